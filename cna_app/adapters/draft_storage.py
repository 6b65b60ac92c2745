"""`DraftStore` in the client's shared preferences: the browser's local storage on the web.

On the web Python runs on the server, so "on the device" means in the browser: a server-side file
would be shared by everyone and lost with the server. Two things follow:

- every write travels over the connection to the browser, so a draft's attachments are stored
  once, under their SHA-256 (`cna.blob.<account>.<digest>`), and the draft itself
  (`cna.draft.<account>.<report id>`) only names them: typing after adding three photos rewrites
  a few hundred bytes, not megabytes;
- local storage holds about five million characters per site and photos are base64 there (a
  third larger), so this store keeps to a budget below that and refuses what does not fit
  (`DraftStoreError`): the form then says the report is only kept while the page stays open.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Awaitable
from typing import TypeVar

import flet as ft

from cna_app.services.drafts import (
    MAX_DRAFTS_PER_ACCOUNT,
    DraftStoreError,
    ReportDraft,
    account_key,
    attachment_digest,
    decode_draft,
    encode_draft,
    referenced_digests,
)

T = TypeVar("T")
DRAFT_PREFIX = "cna.draft."
BLOB_PREFIX = "cna.blob."
# Characters of draft data this site may use in local storage (its quota is about 5 million).
BUDGET_CHARS = 3_500_000
CLIENT_TIMEOUT_S = 10.0
logger = logging.getLogger(__name__)


class PreferencesDraftStore:
    durable = True

    def __init__(
        self,
        prefs: ft.SharedPreferences,
        *,
        budget_chars: int = BUDGET_CHARS,
        timeout_s: float = CLIENT_TIMEOUT_S,
    ) -> None:
        self._prefs = prefs
        self._budget = budget_chars
        self._timeout_s = timeout_s
        self._sizes: dict[str, int] = {}  # key → characters, for what this page wrote or read
        self._refs: dict[str, set[str]] = {}  # draft key → blob keys it names

    async def load_all(self, account_id: str) -> list[ReportDraft]:
        account = account_key(account_id)
        keys = [
            k
            for k in await self._call(self._prefs.get_keys(DRAFT_PREFIX + account + "."))
            if isinstance(k, str)
        ]
        drafts = []
        for key in sorted(keys)[: MAX_DRAFTS_PER_ACCOUNT * 2]:
            draft = await self._read(key, account_id)
            if draft is not None:
                drafts.append(draft)
        await self._drop_orphans(account)
        return sorted(drafts, key=lambda d: d.created_at)[:MAX_DRAFTS_PER_ACCOUNT]

    async def save(self, draft: ReportDraft) -> None:
        key = self._draft_key(draft)
        text = encode_draft(draft, by_reference=True)
        blobs = {self._blob_key(draft, item.data): item.data for item in draft.attachments}
        new = {k: base64.b64encode(data).decode("ascii") for k, data in blobs.items() if k not in self._sizes}
        used = sum(size for other, size in self._sizes.items() if other != key)
        if used + len(text) + sum(len(v) for v in new.values()) > self._budget:
            raise DraftStoreError("draft does not fit in the browser's storage")
        for blob_key, value in new.items():
            await self._write(blob_key, value)
        await self._write(key, text)
        old = self._refs.get(key, set())
        self._refs[key] = set(blobs)
        await self._release(old - set(blobs))

    async def delete(self, draft: ReportDraft) -> None:
        key = self._draft_key(draft)
        await self._call(self._prefs.remove(key))
        self._sizes.pop(key, None)
        await self._release(self._refs.pop(key, set()))

    # ---- pieces ----------------------------------------------------------------------------

    async def _read(self, key: str, account_id: str) -> ReportDraft | None:
        text = await self._call(self._prefs.get(key))
        if not isinstance(text, str):
            return None
        prefix = BLOB_PREFIX + account_key(account_id) + "."
        blobs: dict[str, bytes] = {}
        for digest in referenced_digests(text):
            raw = await self._call(self._prefs.get(prefix + digest))
            data = _decoded(raw)
            if data is not None:
                blobs[digest] = data
                self._sizes[prefix + digest] = len(raw)  # type: ignore[arg-type]
        draft = decode_draft(text, account_id=account_id, blobs=blobs)
        if draft is None or not key.endswith(draft.id):
            return None
        self._sizes[key] = len(text)
        self._refs[key] = {prefix + digest for digest in blobs}
        return draft

    async def _drop_orphans(self, account: str) -> None:
        """Attachments no draft names any more (a write cut short, an old version) are removed."""
        named = set().union(*self._refs.values()) if self._refs else set()
        for key in await self._call(self._prefs.get_keys(BLOB_PREFIX + account + ".")):
            if isinstance(key, str) and key not in named:
                await self._call(self._prefs.remove(key))
                self._sizes.pop(key, None)

    async def _release(self, blob_keys: set[str]) -> None:
        still_named = set().union(*self._refs.values()) if self._refs else set()
        for key in blob_keys - still_named:
            await self._call(self._prefs.remove(key))
            self._sizes.pop(key, None)

    async def _write(self, key: str, value: str) -> None:
        if not await self._call(self._prefs.set(key, value)):
            raise DraftStoreError("the browser refused to store the draft")
        self._sizes[key] = len(value)

    @staticmethod
    def _draft_key(draft: ReportDraft) -> str:
        return f"{DRAFT_PREFIX}{account_key(draft.account_id)}.{draft.id}"

    @staticmethod
    def _blob_key(draft: ReportDraft, data: bytes) -> str:
        return f"{BLOB_PREFIX}{account_key(draft.account_id)}.{attachment_digest(data)}"

    async def _call(self, request: Awaitable[T]) -> T:
        try:
            return await asyncio.wait_for(request, self._timeout_s)
        except (TimeoutError, RuntimeError) as exc:
            # RuntimeError: the client failed the call (quota exceeded, storage disabled).
            raise DraftStoreError(f"browser storage: {type(exc).__name__}") from exc


def _decoded(raw: object) -> bytes | None:
    if not isinstance(raw, str):
        return None
    try:
        return base64.b64decode(raw, validate=True)
    except (ValueError, binascii.Error):
        return None
