"""The device's copy of reports (`cna_app.services.drafts`, `adapters.draft_storage`): exact round
trips (the relay recognises a resend by its bytes), one account's drafts invisible to another,
and tampered or oversized entries refused instead of crashing the app."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any

import pytest

from cna_app.adapters.draft_storage import PreferencesDraftStore
from cna_app.services.drafts import (
    MAX_DRAFTS_PER_ACCOUNT,
    DraftAttachment,
    DraftStoreError,
    FileDraftStore,
    ReportDraft,
    account_key,
    decode_draft,
    encode_draft,
    new_report_id,
)
from tests.support import images


def draft(account: str = "acc-1", **changes: Any) -> ReportDraft:
    values: dict[str, Any] = {
        "id": new_report_id(),
        "account_id": account,
        "created_at": "2026-12-03T10:00:00+00:00",
        "description": "Put in de weg — “diep”\nVoor nr. 12",
        "location": {"lat": 50.8717, "lon": 2.9866, "source": "gps", "accuracy_m": 8.0, "address": None},
        "attachments": (
            DraftAttachment("put.jpg", "image/jpeg", images.jpeg(64, 48), b"\xff\xd8preview"),
            DraftAttachment("plan.pdf", "application/pdf", images.pdf()),
        ),
        "state": "waiting",
        "attempts": 3,
    }
    values.update(changes)
    return ReportDraft(**values)


def test_a_draft_survives_encoding_byte_for_byte() -> None:
    original = draft()
    assert decode_draft(encode_draft(original), account_id="acc-1") == original


def test_the_account_id_never_appears_in_what_is_stored() -> None:
    text = encode_draft(draft(account="an.devos@example.be"))
    assert "an.devos" not in text and account_key("an.devos@example.be") in text


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d.update(v=2),
        lambda d: d.update(id="../../etc/passwd"),
        lambda d: d.update(state="sent"),
        lambda d: d.update(attempts="3"),
        lambda d: d.update(location={"lat": "50", "lon": 2.9, "source": "pin"}),
        lambda d: d.update(location={"lat": 50.8, "lon": 2.9, "source": "teleport"}),
        lambda d: d["attachments"][0].update(data="not base64!"),
        lambda d: d["attachments"].append({"name": 3}),
        lambda d: d.clear(),
    ],
)
def test_tampered_entries_are_skipped(tamper: Any) -> None:
    document = json.loads(encode_draft(draft()))
    tamper(document)
    assert decode_draft(json.dumps(document), account_id="acc-1") is None


def test_garbage_and_other_accounts_are_skipped() -> None:
    assert decode_draft("{not json", account_id="acc-1") is None
    assert decode_draft("[]", account_id="acc-1") is None
    assert decode_draft(encode_draft(draft(account="acc-2")), account_id="acc-1") is None


async def test_the_file_store_keeps_one_file_per_report_per_account(tmp_path) -> None:
    store = FileDraftStore(tmp_path)
    mine, theirs = draft(), draft(account="acc-2")
    await store.save(mine)
    await store.save(theirs)
    await store.save(mine.with_state("failed", failure="Buiten de gemeente."))
    [loaded] = await store.load_all("acc-1")
    assert loaded.state == "failed" and loaded.failure == "Buiten de gemeente."
    assert [p.name for p in tmp_path.rglob("*.json")].count(f"{mine.id}.json") == 1
    await store.delete(mine)
    assert await store.load_all("acc-1") == [] and await store.load_all("acc-2") == [theirs]
    assert not list(tmp_path.rglob(".*.tmp"))  # atomic writes leave nothing behind


async def test_the_file_store_ignores_files_that_are_not_drafts(tmp_path) -> None:
    store = FileDraftStore(tmp_path)
    kept = draft()
    await store.save(kept)
    folder = tmp_path / account_key("acc-1")
    (folder / f"{new_report_id()}.json").write_text("{broken", "utf-8")
    (folder / "notes.json").write_text(encode_draft(draft()), "utf-8")  # name does not match its id
    assert await store.load_all("acc-1") == [kept]


async def test_the_file_store_has_a_ceiling_per_account(tmp_path) -> None:
    store = FileDraftStore(tmp_path)
    for _ in range(MAX_DRAFTS_PER_ACCOUNT):
        await store.save(draft(attachments=()))
    with pytest.raises(DraftStoreError):
        await store.save(draft(attachments=()))


async def test_the_file_store_refuses_ids_that_are_not_uuids(tmp_path) -> None:
    with pytest.raises(DraftStoreError):
        await FileDraftStore(tmp_path).save(draft(id="../escape"))
    assert list(tmp_path.rglob("*")) == []


async def test_an_unwritable_folder_is_a_store_error(tmp_path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with pytest.raises(DraftStoreError):
        await FileDraftStore(blocked).save(draft())


class BrowserStorage:
    """What `ft.SharedPreferences` talks to in a browser: string values under string keys.
    `written` counts the characters each `set` carried to the browser."""

    def __init__(self, *, refuse: bool = False) -> None:
        self.values: dict[str, Any] = {}
        self.refuse = refuse
        self.written: list[int] = []

    async def get(self, key: str) -> Any:
        return self.values.get(key)

    async def set(self, key: str, value: Any) -> bool:
        if self.refuse:
            raise RuntimeError("QuotaExceededError")
        self.values[key] = value
        self.written.append(len(value))
        return True

    async def remove(self, key: str) -> bool:
        self.values.pop(key, None)
        return True

    async def get_keys(self, key_prefix: str) -> list[str]:
        return [key for key in self.values if key.startswith(key_prefix)]


async def test_browser_storage_round_trips_and_separates_accounts() -> None:
    browser = BrowserStorage()
    store = PreferencesDraftStore(browser)  # type: ignore[arg-type]
    mine, theirs = draft(), draft(account="acc-2")
    await store.save(mine)
    await store.save(theirs)
    assert await store.load_all("acc-1") == [mine]
    browser.values[f"cna.draft.{account_key('acc-1')}.junk"] = "{]"
    assert await PreferencesDraftStore(browser).load_all("acc-1") == [mine]  # type: ignore[arg-type]
    await store.delete(mine)
    assert await store.load_all("acc-1") == []
    assert all(account_key("acc-1") not in key for key in browser.values if key.startswith("cna.blob."))


async def test_typing_after_adding_photos_does_not_resend_the_photos() -> None:
    browser = BrowserStorage()
    store = PreferencesDraftStore(browser)  # type: ignore[arg-type]
    first = draft()
    await store.save(first)
    photos = sum(browser.written)
    browser.written.clear()
    await store.save(replace(first, description=first.description + " Nog iets."))
    assert sum(browser.written) < 2_000 < photos  # only the text went to the browser
    assert await store.load_all("acc-1") == [replace(first, description=first.description + " Nog iets.")]


async def test_a_missing_or_altered_photo_makes_the_draft_unreadable_not_wrong() -> None:
    browser = BrowserStorage()
    kept = draft()
    await PreferencesDraftStore(browser).save(kept)  # type: ignore[arg-type]
    blob = next(key for key in browser.values if key.startswith("cna.blob."))
    browser.values[blob] = base64.b64encode(b"other bytes").decode()
    assert await PreferencesDraftStore(browser).load_all("acc-1") == []  # type: ignore[arg-type]


async def test_browser_storage_keeps_to_its_budget() -> None:
    store = PreferencesDraftStore(BrowserStorage(), budget_chars=30_000)  # type: ignore[arg-type]
    big = draft(attachments=(DraftAttachment("groot.jpg", "image/jpeg", b"x" * 25_000),))
    with pytest.raises(DraftStoreError):
        await store.save(big)
    small = draft(attachments=())
    await store.save(small)
    await store.save(small)  # replacing a draft does not count it twice


async def test_a_browser_that_refuses_is_a_store_error() -> None:
    with pytest.raises(DraftStoreError):
        await PreferencesDraftStore(BrowserStorage(refuse=True)).save(draft())  # type: ignore[arg-type]
