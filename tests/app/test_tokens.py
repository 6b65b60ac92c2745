"""Token storage: the JSON in the slot, the keyring slot, and the fall-back to memory."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.backends.fail
import pytest
from keyring.errors import PasswordDeleteError

from cna_app.services.keyring_slot import KeyringSlot
from cna_app.services.tokens import (
    FallbackTokenStore,
    MemoryTokenStore,
    SlotTokenStore,
    StoredTokens,
    TokenStoreUnavailable,
)

TOKENS = StoredTokens("access-1", "refresh-1")


class InMemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring backend for the tests: no OS keyring exists on this machine (see flet-1.0.md §8)."""

    @keyring.backend.properties.classproperty
    def priority(cls) -> float:
        # Not viable for discovery: keyring must never pick this up as the machine's keyring.
        raise RuntimeError("test-only backend")

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.values:
            raise PasswordDeleteError("not found")
        del self.values[(service, username)]


class BrokenSlot:
    """A secret slot whose device storage refuses every call (locked keychain, missing plugin)."""

    def __init__(self) -> None:
        self.calls = 0

    async def read(self) -> str | None:
        self.calls += 1
        raise TokenStoreUnavailable("locked")

    async def write(self, value: str) -> None:
        self.calls += 1
        raise TokenStoreUnavailable("locked")

    async def erase(self) -> None:
        self.calls += 1
        raise TokenStoreUnavailable("locked")


def test_tokens_round_trip_as_json_and_hide_in_reprs() -> None:
    assert StoredTokens.from_json(TOKENS.to_json()) == TOKENS
    assert "refresh-1" not in repr(TOKENS) and "access-1" not in repr(TOKENS)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "not json",
        "[]",
        "null",
        '{"access_token": 1, "refresh_token": "r"}',
        '{"access_token": "a"}',
        '{"access_token": "", "refresh_token": ""}',
    ],
)
def test_tampered_slot_contents_read_as_no_session(raw: str) -> None:
    assert StoredTokens.from_json(raw) is None


async def test_keyring_slot_round_trip_with_a_backend() -> None:
    backend = InMemoryKeyring()
    store = SlotTokenStore(KeyringSlot(backend=backend))
    await store.save(TOKENS)
    assert await store.load() == TOKENS
    await store.clear()
    assert await store.load() is None
    await store.clear()  # clearing twice is fine


async def test_keyring_without_a_backend_is_unavailable() -> None:
    slot = KeyringSlot(backend=keyring.backends.fail.Keyring())
    with pytest.raises(TokenStoreUnavailable):
        await slot.write("x")
    with pytest.raises(TokenStoreUnavailable):
        await slot.read()


async def test_the_machines_default_keyring_falls_back_to_memory_with_a_notice() -> None:
    # This machine has no Secret Service: the real discovery must end in the memory fallback.
    if not isinstance(keyring.get_keyring(), keyring.backends.fail.Keyring):
        pytest.skip("a real keyring backend is available here")
    store = FallbackTokenStore(SlotTokenStore(KeyringSlot()))
    assert store.durable
    await store.save(TOKENS)
    assert not store.durable
    assert await store.load() == TOKENS


async def test_fallback_switches_to_memory_once_and_keeps_the_session() -> None:
    broken = BrokenSlot()
    store = FallbackTokenStore(SlotTokenStore(broken))
    await store.save(TOKENS)
    assert not store.durable
    assert await store.load() == TOKENS
    await store.clear()
    assert await store.load() is None
    assert broken.calls == 1  # never asked again after the first failure


async def test_fallback_with_a_working_store_stays_durable() -> None:
    backend = InMemoryKeyring()
    store = FallbackTokenStore(SlotTokenStore(KeyringSlot(backend=backend)))
    await store.save(TOKENS)
    assert store.durable
    assert next(iter(backend.values.values())) == TOKENS.to_json()
    fresh = FallbackTokenStore(SlotTokenStore(KeyringSlot(backend=backend)))
    assert await fresh.load() == TOKENS  # survives an app restart


async def test_memory_store_is_not_durable() -> None:
    store = MemoryTokenStore()
    assert not store.durable
    await store.save(TOKENS)
    assert await store.load() == TOKENS
