"""The device's copies for a start without a connection (`StartupCache`) and where they live
(`FileCacheStore`, `MemoryCacheStore`): kept per relay, the account per session, anything
unreadable ignored, and a device that refuses never stops the app."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from cna_app.adapters.cache_storage import CACHE_PREFIX, PreferencesCacheStore
from cna_app.contract.wire import AccountView, ConfigView
from cna_app.services.device_cache import (
    MAX_CACHE_CHARS,
    CacheStoreError,
    FileCacheStore,
    MemoryCacheStore,
    check_name,
)
from cna_app.services.startup_cache import FORMAT_VERSION, StartupCache, session_fingerprint
from cna_app.services.tokens import StoredTokens
from tests.app.fakes import FakeAccount, make_config

RELAY = "https://meldingen.zonnebeke.be"
TOKENS = StoredTokens("access-1", "refresh-1")


def account_view() -> AccountView:
    return FakeAccount("acc-1", "an@example.be", "x", "An", "Peeters", verified=True).view()


class RefusingStore:
    """A device that will not keep anything (full disk, storage disabled in the browser)."""

    async def read(self, name: str) -> str | None:
        raise CacheStoreError("refused")

    async def write(self, name: str, text: str) -> None:
        raise CacheStoreError("refused")

    async def erase(self, name: str) -> None:
        raise CacheStoreError("refused")


@pytest.fixture
def store() -> MemoryCacheStore:
    return MemoryCacheStore()


@pytest.fixture
def cache(store: MemoryCacheStore) -> StartupCache:
    return StartupCache(store, relay_url=RELAY)


async def test_the_configuration_comes_back_as_it_was_kept(cache: StartupCache) -> None:
    view = make_config()
    await cache.keep_config(view)
    assert await cache.config() == view


async def test_nothing_kept_is_no_configuration(cache: StartupCache) -> None:
    assert await cache.config() is None
    assert await cache.recall(TOKENS) is None


async def test_a_copy_from_another_relay_is_never_used(store: MemoryCacheStore) -> None:
    await StartupCache(store, relay_url="https://meldingen.ieper.be").keep_config(make_config(name="Ieper"))
    await StartupCache(store, relay_url="https://meldingen.ieper.be").remember(account_view(), TOKENS)
    here = StartupCache(store, relay_url=RELAY)
    assert await here.config() is None
    assert await here.recall(TOKENS) is None


async def test_the_account_comes_back_only_for_the_tokens_it_was_kept_with(cache: StartupCache) -> None:
    await cache.remember(account_view(), TOKENS)
    assert await cache.recall(TOKENS) == account_view()
    # Rotated, or another session on this device: not this copy.
    assert await cache.recall(StoredTokens("access-1", "refresh-2")) is None


async def test_the_account_copy_holds_no_token(cache: StartupCache, store: MemoryCacheStore) -> None:
    secret = StoredTokens("access-very-secret", "refresh-very-secret")
    await cache.remember(account_view(), secret)
    kept = store.texts["account"]
    assert "very-secret" not in kept
    assert json.loads(kept)["session"] == session_fingerprint(secret)


async def test_forgetting_removes_the_account_but_keeps_the_configuration(
    cache: StartupCache, store: MemoryCacheStore
) -> None:
    await cache.keep_config(make_config())
    await cache.remember(account_view(), TOKENS)
    await cache.forget()
    assert await cache.recall(TOKENS) is None
    assert set(store.texts) == {"config"}


def kept(config: object, **changes: object) -> str:
    return json.dumps({"v": FORMAT_VERSION, "relay": RELAY, "saved_at": "x", "config": config, **changes})


def broken_configuration() -> ConfigView:
    view = make_config()
    view["report"]["max_attachments"] = "three"  # type: ignore[typeddict-item]
    return view


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json at all",
        "{" * 10,
        "[" * 100_000,  # nesting that would blow the parser's stack
        "null",
        "[1, 2]",
        json.dumps({"v": FORMAT_VERSION, "relay": RELAY}),  # no configuration in it
        kept(make_config(), v=FORMAT_VERSION + 1),  # a format this app does not know
        kept(make_config(), v="1"),
        kept(make_config(), relay=None),
        kept({"municipality": "Zonnebeke"}),  # not the contract's shape
        kept(broken_configuration()),
        kept(make_config(), padding="x" * MAX_CACHE_CHARS),  # far larger than anything we write
        "\ud800",  # a lone surrogate, as a broken store might hand back
    ],
)
async def test_an_unreadable_configuration_is_ignored(
    cache: StartupCache, store: MemoryCacheStore, text: str
) -> None:
    store.texts["config"] = text
    assert await cache.config() is None


@pytest.mark.parametrize(
    "account",
    [
        None,
        "An",
        {"id": "acc-1"},
        {**account_view(), "email_verified": "yes"},
        {**account_view(), "language": "de"},
    ],
)
async def test_an_unreadable_account_is_ignored(
    cache: StartupCache, store: MemoryCacheStore, account: object
) -> None:
    store.texts["account"] = json.dumps(
        {"v": FORMAT_VERSION, "relay": RELAY, "session": session_fingerprint(TOKENS), "account": account}
    )
    assert await cache.recall(TOKENS) is None


async def test_a_device_that_refuses_never_stops_the_app() -> None:
    cache = StartupCache(RefusingStore(), relay_url=RELAY)
    await cache.keep_config(make_config())
    await cache.remember(account_view(), TOKENS)
    await cache.forget()
    assert await cache.config() is None
    assert await cache.recall(TOKENS) is None


async def test_a_configuration_too_large_to_keep_is_not_kept(
    cache: StartupCache, store: MemoryCacheStore
) -> None:
    view = make_config()
    view["boundary"] = {"type": "Polygon", "coordinates": [[[2.9, 50.8]] * (MAX_CACHE_CHARS // 10)]}
    await cache.keep_config(view)
    assert store.texts == {}


# ---- the file store (desktop, mobile) ------------------------------------------------------------


async def test_the_file_store_keeps_one_file_per_name(tmp_path: Path) -> None:
    store = FileCacheStore(tmp_path / "offline-cache")
    assert await store.read("config") is None
    await store.write("config", "één")
    await store.write("config", "twee")
    assert await store.read("config") == "twee"
    assert sorted(p.name for p in (tmp_path / "offline-cache").iterdir()) == ["config.json"]
    await store.erase("config")
    await store.erase("config")  # already gone: nothing to do
    assert await store.read("config") is None


async def test_the_file_store_reads_nothing_from_an_unreadable_file(tmp_path: Path) -> None:
    store = FileCacheStore(tmp_path)
    (tmp_path / "config.json").write_bytes(b"\xff\xfe\x00 not utf-8")
    assert await store.read("config") is None
    (tmp_path / "account.json").mkdir()  # a folder where the file should be
    assert await store.read("account") is None


async def test_the_file_store_says_so_when_the_place_is_taken(tmp_path: Path) -> None:
    (tmp_path / "offline-cache").write_text("a file, not a folder")
    with pytest.raises(CacheStoreError):
        await FileCacheStore(tmp_path / "offline-cache").write("config", "{}")


@pytest.mark.parametrize("name", ["../config", "config.json", "", "Config", "a/b", "x" * 41, "config\x00"])
async def test_cache_names_are_never_paths(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a cache name"):
        check_name(name)
    with pytest.raises(ValueError):
        await FileCacheStore(tmp_path).write(name, "{}")
    with pytest.raises(ValueError):
        await MemoryCacheStore().read(name)


# ---- the browser's storage (web), behind a client that misbehaves --------------------------------


class FlakyPreferences:
    """The client's shared preferences as a broken client answers: a failed call (quota, storage
    disabled), a call that never comes back, a refused write, or a value of the wrong type."""

    def __init__(self, *, fail: bool = False, hang: bool = False, refuse: bool = False) -> None:
        self.values: dict[str, object] = {}
        self._fail, self._hang, self._refuse = fail, hang, refuse

    async def _answer(self, value: object) -> object:
        if self._fail:
            raise RuntimeError("QuotaExceededError")
        if self._hang:
            await asyncio.Event().wait()
        return value

    async def get(self, key: str) -> object:
        return await self._answer(self.values.get(key))

    async def set(self, key: str, value: str) -> object:
        if not self._refuse:
            self.values[key] = value
        return await self._answer(not self._refuse)

    async def remove(self, key: str) -> object:
        self.values.pop(key, None)
        return await self._answer(True)


async def test_the_browser_store_keeps_texts_under_its_own_prefix() -> None:
    prefs = FlakyPreferences()
    store = PreferencesCacheStore(prefs)  # type: ignore[arg-type]
    await store.write("config", "{}")
    assert prefs.values == {CACHE_PREFIX + "config": "{}"}
    assert await store.read("config") == "{}"
    prefs.values[CACHE_PREFIX + "config"] = 12345  # not what we wrote
    assert await store.read("config") is None
    await store.erase("config")
    assert prefs.values == {}


@pytest.mark.parametrize("broken", [{"fail": True}, {"hang": True}, {"refuse": True}])
async def test_a_misbehaving_browser_store_only_loses_the_copy(broken: dict[str, bool]) -> None:
    store = PreferencesCacheStore(FlakyPreferences(**broken), timeout_s=0.01)  # type: ignore[arg-type]
    with pytest.raises(CacheStoreError):
        await store.write("config", "{}")
    cache = StartupCache(store, relay_url=RELAY)
    await cache.keep_config(make_config())
    await cache.remember(account_view(), TOKENS)
    assert await cache.recall(TOKENS) is None
    assert await cache.config() is None
    await cache.forget()
