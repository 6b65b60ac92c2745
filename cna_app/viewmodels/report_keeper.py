"""`DraftKeeper`: the report form's copy on the device, written while the citizen types.

Saves are debounced (one write a second after the last edit, not one per keystroke) and never
overlap: each write takes the form's state *inside* a lock, so a slow write that finishes late
can never put older text back over newer. An empty form leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from cna_app.services.device import Clock
from cna_app.services.drafts import DraftStore, DraftStoreError, ReportDraft
from cna_app.viewmodels.texts import UserText

SAVE_DEBOUNCE_S = 1.0
logger = logging.getLogger(__name__)


class DraftKeeper:
    """`snapshot()` gives the draft to keep, or None when there is nothing to keep right now
    (nobody signed in, or the report is on its way)."""

    def __init__(
        self,
        store: DraftStore,
        clock: Clock,
        *,
        snapshot: Callable[[], ReportDraft | None],
        on_saved: Callable[[], None],
    ) -> None:
        self._store = store
        self._clock = clock
        self._snapshot = snapshot
        self._on_saved = on_saved
        self.note: UserText | None = None  # what the form says about keeping it
        self._edits = 0
        self._lock = asyncio.Lock()
        self._pending: set[asyncio.Task[None]] = set()

    def edited(self) -> None:
        """Something changed: save a moment from now unless something changes again."""
        self._edits += 1
        saver = asyncio.get_running_loop().create_task(self._save_soon(self._edits))
        self._pending.add(saver)
        saver.add_done_callback(self._pending.discard)

    def hold(self) -> None:
        """Drop the saves waiting now (the report was sent, or the form emptied)."""
        self._edits += 1

    async def flush(self) -> None:
        """Write now what is waiting to be written (the app is closing)."""
        if self._pending:
            self.hold()
            await self.save_now()

    async def save_now(self) -> None:
        async with self._lock:
            draft = self._snapshot()
            if draft is None:
                return
            try:
                await (self._store.delete(draft) if draft.empty else self._store.save(draft))
                self.note = None if self._store.durable else UserText.of("report.memory_only")
            except DraftStoreError as exc:
                logger.warning("draft not saved: %s", exc)
                self.note = UserText.of("report.not_saved")
        self._on_saved()

    async def forget(self, draft: ReportDraft) -> None:
        async with self._lock:
            try:
                await self._store.delete(draft)
            except DraftStoreError as exc:
                logger.warning("draft not removed: %s", exc)

    async def load(self, account_id: str) -> list[ReportDraft]:
        try:
            return await self._store.load_all(account_id)
        except DraftStoreError as exc:
            logger.warning("drafts unreadable: %s", exc)
            return []

    def close(self) -> None:
        for saver in list(self._pending):
            saver.cancel()

    async def _save_soon(self, edit: int) -> None:
        await self._clock.sleep(SAVE_DEBOUNCE_S)
        if edit == self._edits:  # else a later edit saves (or the form was sent or dropped)
            await self.save_now()
