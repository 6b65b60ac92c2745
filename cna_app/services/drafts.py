"""Reports kept on the device: the one being written, and those waiting to be sent.

A `ReportDraft` holds everything the relay needs (the report UUID, text, location and the
*processed* attachment bytes), so a report that could not be sent goes out later exactly as it
was, under the same UUID; the relay then answers a repeat with the first receipt and never
files it twice. Drafts belong to one account: another account on the same device never sees them.

`DraftStore` is the port; `FileDraftStore` keeps one JSON file per draft under the app's storage
folder (desktop, mobile), `cna_app.adapters.draft_storage.PreferencesDraftStore` keeps them in
the browser's local storage (web), `MemoryDraftStore` in memory (tests, and the fallback when
the device refuses). Stores raise `DraftStoreError` when they cannot keep a draft.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Protocol

from cna_app.contract.wire import LocationIn
from cna_app.services.wire_check import WireShapeError, check_wire

DraftState = Literal["composing", "waiting", "failed"]
_STATES: tuple[DraftState, ...] = ("composing", "waiting", "failed")
FORMAT_VERSION = 1
# Bounds on what one account may leave on a device (and what a tampered store can make us read).
MAX_DRAFTS_PER_ACCOUNT = 20
MAX_DRAFT_CHARS = 40 * 1024 * 1024


class DraftStoreError(Exception):
    """The draft could not be kept on this device (no space, too large for the store, refused)."""


@dataclass(frozen=True, slots=True)
class DraftAttachment:
    name: str
    content_type: str
    data: bytes
    preview: bytes | None = None


@dataclass(frozen=True, slots=True)
class ReportDraft:
    """One report on the device. `id` is the report UUID the relay sees, on every attempt."""

    id: str
    account_id: str
    created_at: str  # ISO 8601, UTC, when the citizen first started it
    description: str = ""
    location: LocationIn | None = None
    attachments: tuple[DraftAttachment, ...] = ()
    state: DraftState = "composing"
    attempts: int = 0
    # Why the relay refused it for good (its own sentence, already in the user's language).
    failure: str | None = None

    @property
    def empty(self) -> bool:
        return not self.description.strip() and self.location is None and not self.attachments

    def with_state(self, state: DraftState, **changes: Any) -> ReportDraft:
        return replace(self, state=state, **changes)


def new_report_id() -> str:
    return str(uuid.uuid4())


def account_key(account_id: str) -> str:
    """A short, path- and key-safe name for an account (its id never appears in storage keys)."""
    return hashlib.sha256(account_id.encode("utf-8")).hexdigest()[:24]


def is_report_id(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except (ValueError, AttributeError, TypeError):
        return False


# ---- encoding ------------------------------------------------------------------------------


def encode_draft(draft: ReportDraft, *, by_reference: bool = False) -> str:
    """The draft as JSON. `by_reference`: attachment bytes are left out and named by their
    SHA-256 (`attachment_digest`), for stores that keep them once, apart from the text."""
    document = {
        "v": FORMAT_VERSION,
        "id": draft.id,
        "account": account_key(draft.account_id),
        "created_at": draft.created_at,
        "description": draft.description,
        "location": draft.location,
        "attachments": [_encode_attachment(item, by_reference) for item in draft.attachments],
        "state": draft.state,
        "attempts": draft.attempts,
        "failure": draft.failure,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def decode_draft(
    text: str, *, account_id: str, blobs: Mapping[str, bytes] | None = None
) -> ReportDraft | None:
    """The draft in `text` when it is well-formed and belongs to `account_id`, else None.
    Attachments stored by reference are taken from `blobs` (digest → bytes)."""
    if len(text) > MAX_DRAFT_CHARS:
        return None
    try:
        doc = json.loads(text)
        if not isinstance(doc, dict) or doc.get("v") != FORMAT_VERSION:
            return None
        if doc.get("account") != account_key(account_id) or not is_report_id(doc.get("id", "")):
            return None
        location = None if doc.get("location") is None else check_wire(doc["location"], LocationIn)
        state = doc.get("state")
        attempts = doc.get("attempts")
        failure = doc.get("failure")
        if state not in _STATES or not isinstance(attempts, int) or not isinstance(failure, str | None):
            return None
        return ReportDraft(
            id=doc["id"],
            account_id=account_id,
            created_at=str(doc.get("created_at", "")),
            description=str(doc.get("description", "")),
            location=location,
            attachments=tuple(_decode_attachment(item, blobs or {}) for item in doc.get("attachments", [])),
            state=state,
            attempts=max(0, attempts),
            failure=failure,
        )
    except (ValueError, TypeError, KeyError, WireShapeError, binascii.Error):
        return None


def attachment_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def referenced_digests(text: str) -> set[str]:
    """The attachment digests a by-reference draft needs (empty when it is not one)."""
    try:
        doc = json.loads(text)
        return {item["sha256"] for item in doc["attachments"] if isinstance(item.get("sha256"), str)}
    except (ValueError, TypeError, KeyError, AttributeError):
        return set()


def _encode_attachment(item: DraftAttachment, by_reference: bool) -> dict[str, Any]:
    encoded: dict[str, Any] = {
        "name": item.name,
        "type": item.content_type,
        "preview": None if item.preview is None else base64.b64encode(item.preview).decode("ascii"),
    }
    if by_reference:
        encoded["sha256"] = attachment_digest(item.data)
    else:
        encoded["data"] = base64.b64encode(item.data).decode("ascii")
    return encoded


def _decode_attachment(raw: Any, blobs: Mapping[str, bytes]) -> DraftAttachment:
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("name"), str)
        or not isinstance(raw.get("type"), str)
    ):
        raise ValueError("attachment")
    preview = raw.get("preview")
    if "sha256" in raw:
        data = blobs[raw["sha256"]]  # KeyError: a missing piece makes the draft unusable
        if attachment_digest(data) != raw["sha256"]:
            raise ValueError("attachment bytes do not match their digest")
    else:
        data = base64.b64decode(raw["data"], validate=True)
    return DraftAttachment(
        name=raw["name"],
        content_type=raw["type"],
        data=data,
        preview=None if preview is None else base64.b64decode(preview, validate=True),
    )


# ---- stores ----------------------------------------------------------------------------------


class DraftStore(Protocol):
    @property
    def durable(self) -> bool:
        """Whether drafts survive closing the app (False: memory only, say so)."""
        ...

    async def load_all(self, account_id: str) -> list[ReportDraft]:
        """This account's drafts, oldest first; unreadable entries are skipped."""
        ...

    async def save(self, draft: ReportDraft) -> None: ...

    async def delete(self, draft: ReportDraft) -> None: ...


class MemoryDraftStore:
    durable = False

    def __init__(self) -> None:
        self.drafts: dict[str, ReportDraft] = {}

    async def load_all(self, account_id: str) -> list[ReportDraft]:
        found = [d for d in self.drafts.values() if d.account_id == account_id]
        return sorted(found, key=lambda d: d.created_at)

    async def save(self, draft: ReportDraft) -> None:
        self.drafts[draft.id] = draft

    async def delete(self, draft: ReportDraft) -> None:
        self.drafts.pop(draft.id, None)


class FileDraftStore:
    """One `<report id>.json` per draft in a folder per account under `root`; writes are atomic."""

    durable = True

    def __init__(self, root: Path) -> None:
        self._root = root

    async def load_all(self, account_id: str) -> list[ReportDraft]:
        return await asyncio.to_thread(self._load_all, account_id)

    async def save(self, draft: ReportDraft) -> None:
        await asyncio.to_thread(self._save, draft)

    async def delete(self, draft: ReportDraft) -> None:
        await asyncio.to_thread(self._delete, draft)

    def _folder(self, account_id: str) -> Path:
        return self._root / account_key(account_id)

    def _load_all(self, account_id: str) -> list[ReportDraft]:
        folder = self._folder(account_id)
        if not folder.is_dir():
            return []
        drafts = []
        for path in sorted(folder.glob("*.json"))[: MAX_DRAFTS_PER_ACCOUNT * 2]:
            with contextlib.suppress(OSError, UnicodeDecodeError):
                if path.stat().st_size <= MAX_DRAFT_CHARS * 2:
                    draft = decode_draft(path.read_text("utf-8"), account_id=account_id)
                    if draft is not None and path.stem == draft.id:
                        drafts.append(draft)
        return sorted(drafts, key=lambda d: d.created_at)[:MAX_DRAFTS_PER_ACCOUNT]

    def _save(self, draft: ReportDraft) -> None:
        if not is_report_id(draft.id):
            raise DraftStoreError("not a report id")
        folder = self._folder(draft.account_id)
        target = folder / f"{draft.id}.json"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not target.exists() and len(list(folder.glob("*.json"))) >= MAX_DRAFTS_PER_ACCOUNT:
                raise DraftStoreError("too many drafts on this device")
            temporary = folder / f".{draft.id}.tmp"
            temporary.write_text(encode_draft(draft), "utf-8")
            os.replace(temporary, target)
        except OSError as exc:
            raise DraftStoreError(f"cannot write draft: {type(exc).__name__}") from exc

    def _delete(self, draft: ReportDraft) -> None:
        if is_report_id(draft.id):
            with contextlib.suppress(FileNotFoundError):
                (self._folder(draft.account_id) / f"{draft.id}.json").unlink()
