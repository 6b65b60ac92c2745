"""Reports waiting on the device ("wacht op verzending") and the loop that sends them.

A report whose sending failed for a passing reason (no connection, relay overloaded) lands here
with its UUID, text, location and prepared files, is kept in the device's draft store, and is
sent again with back-off: 2, 4, 8, 15, 30, 60, 120 s, then every 5 minutes (with some jitter so a
town's worth of phones coming back online do not knock at the same second). A successful call to
the relay elsewhere in the app (`poke`) or "Nu opnieuw proberen" skips the wait. The same UUID
every time means the relay files it once, however often it is sent.

Refused reports (the relay said no for good) stay visible with the relay's reason until the
user removes them; an expired session pauses the loop until the user logs in again.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cna_app.contract.wire import Receipt
from cna_app.i18n import Translator
from cna_app.services.drafts import DraftStore, DraftStoreError, ReportDraft
from cna_app.services.errors import RelayError
from cna_app.viewmodels.context import ShellPort
from cna_app.viewmodels.report_sending import (
    failure_kind,
    refusal_text,
    retry_after_s,
    send_draft,
    waiting_note,
)
from cna_app.viewmodels.texts import UserText

RETRY_DELAYS_S: tuple[float, ...] = (2, 4, 8, 15, 30, 60, 120, 300)
logger = logging.getLogger(__name__)


@dataclass
class OutboxEntry:
    draft: ReportDraft
    next_try_at: float
    stored: bool = True
    sending: bool = False
    progress: tuple[int, int] | None = None
    note: UserText | None = None

    @property
    def refused(self) -> bool:
        return self.draft.state == "failed"


class ProgressMeter:
    """Turns byte counts into view updates, at most one per percent (not one per 64 KiB chunk)."""

    def __init__(self, apply: Callable[[tuple[int, int]], None], notify: Callable[[], None]) -> None:
        self._apply, self._notify, self._shown = apply, notify, -1

    def __call__(self, sent: int, total: int) -> None:
        self._apply((sent, total))
        percent = sent * 100 // total if total else 100
        if percent != self._shown:
            self._shown = percent
            self._notify()


class ReportOutbox:
    def __init__(
        self,
        shell: ShellPort,
        store: DraftStore,
        *,
        on_delivered: Callable[[ReportDraft, Receipt], None],
        delays_s: Sequence[float] = RETRY_DELAYS_S,
        jitter: float = 0.2,
        rng: random.Random | None = None,
    ) -> None:
        self._shell = shell
        self._store = store
        self._on_delivered = on_delivered
        self._delays = tuple(delays_s) or RETRY_DELAYS_S
        self._jitter = jitter
        self._rng = rng or random.Random()  # noqa: S311 - spreading retries, not secrecy
        self.entries: list[OutboxEntry] = []
        self.paused = False
        self._wake = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None

    # ---- filling and emptying ------------------------------------------------------------

    def open(self, drafts: Sequence[ReportDraft]) -> None:
        """Take over this account's waiting and refused drafts and start sending."""
        self.close()
        now = self._shell.clock.now()
        self.entries = [
            OutboxEntry(d, now, note=UserText.relay(d.failure) if d.failure else None)
            for d in drafts
            if d.state != "composing"
        ]
        self._start()

    async def add(self, draft: ReportDraft, *, because: RelayError) -> bool:
        """Queue `draft` (state `waiting`) after the passing failure `because`; False when the
        device would not keep it."""
        draft = draft.with_state("waiting")
        wait = self._delay(draft.attempts, retry_after_s(because))
        entry = OutboxEntry(draft, self._shell.clock.now() + wait, note=waiting_note(because))
        entry.stored = await self._keep(draft)
        self.entries.append(entry)
        self._start()
        self._shell.changes.notify()
        return entry.stored

    async def remove(self, report_id: str) -> None:
        entry = self._find(report_id)
        if entry is None or entry.sending:
            return
        self.entries.remove(entry)
        await self._forget(entry.draft)
        self._shell.changes.notify()

    def close(self) -> None:
        """Stop sending and forget the entries in memory (log-out, another account)."""
        if self._runner is not None:
            self._runner.cancel()
            self._runner = None
        self.entries = []
        self.paused = False

    # ---- nudging -------------------------------------------------------------------------

    def retry_now(self, report_id: str) -> None:
        entry = self._find(report_id)
        if entry is None or entry.sending:
            return
        if entry.refused:
            entry.draft = entry.draft.with_state("waiting", failure=None)
            entry.note = None
        entry.next_try_at = self._shell.clock.now()
        self.paused = False
        self._start()
        self._shell.changes.notify()

    def unpause(self) -> None:
        if self.paused:
            self.paused = False
            self.poke()

    def poke(self) -> None:
        """The relay answered something just now: waiting reports need not wait any longer."""
        now = self._shell.clock.now()
        for entry in self.entries:
            if not entry.refused:
                entry.next_try_at = min(entry.next_try_at, now)
        self._wake.set()

    # ---- the loop ------------------------------------------------------------------------

    def _start(self) -> None:
        """Make sure the loop runs and looks at the entries again."""
        if self._runner is None or self._runner.done():
            self._runner = asyncio.get_running_loop().create_task(self._run())
            self._runner.add_done_callback(_report_crash)
        self._wake.set()

    async def _run(self) -> None:
        while True:
            due = [e for e in self.entries if not e.refused and not e.sending] if not self.paused else []
            if not due:
                self._wake.clear()
                await self._wake.wait()
                continue
            wait = min(e.next_try_at for e in due) - self._shell.clock.now()
            if wait > 0 and await self._sleep_unless_woken(wait):
                continue
            for entry in [e for e in due if e.next_try_at <= self._shell.clock.now()]:
                if entry in self.entries and not self.paused:
                    await self._attempt(entry)

    async def _sleep_unless_woken(self, seconds: float) -> bool:
        self._wake.clear()
        sleeper = asyncio.ensure_future(self._shell.clock.sleep(seconds))
        woken = asyncio.ensure_future(self._wake.wait())
        done, pending = await asyncio.wait({sleeper, woken}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        return woken in done

    async def _attempt(self, entry: OutboxEntry) -> None:
        entry.sending, entry.note = True, None
        self._shell.changes.notify()
        meter = ProgressMeter(lambda p: setattr(entry, "progress", p), self._shell.changes.notify)
        try:
            receipt = await send_draft(self._shell, entry.draft, meter)
        except RelayError as error:
            await self._failed(entry, error)
        else:
            self.entries.remove(entry)
            await self._forget(entry.draft)
            self._on_delivered(entry.draft, receipt)
        finally:
            entry.sending, entry.progress = False, None
            self._shell.changes.notify()

    async def _failed(self, entry: OutboxEntry, error: RelayError) -> None:
        kind = failure_kind(error)
        attempts = entry.draft.attempts + 1
        if kind == "refused":
            text = refusal_text(error)
            failure = text.render(Translator(self._shell.language))
            entry.draft = entry.draft.with_state("failed", attempts=attempts, failure=failure)
            entry.note = text
        else:
            entry.draft = entry.draft.with_state("waiting", attempts=attempts)
            wait = self._delay(attempts, retry_after_s(error))
            entry.next_try_at = self._shell.clock.now() + wait
            entry.note = waiting_note(error)
            self.paused = kind == "session"
        entry.stored = await self._keep(entry.draft)

    def _delay(self, attempts: int, wait_s: float | None) -> float:
        base = self._delays[min(max(attempts - 1, 0), len(self._delays) - 1)]
        if wait_s is not None:
            base = max(base, float(wait_s))
        return base * (1 + self._jitter * (2 * self._rng.random() - 1))

    def _find(self, report_id: str) -> OutboxEntry | None:
        return next((e for e in self.entries if e.draft.id == report_id), None)

    async def _keep(self, draft: ReportDraft) -> bool:
        try:
            await self._store.save(draft)
        except DraftStoreError as exc:
            logger.warning("report kept in memory only: %s", exc)
            return False
        return bool(self._store.durable)

    async def _forget(self, draft: ReportDraft) -> None:
        try:
            await self._store.delete(draft)
        except DraftStoreError as exc:
            logger.warning("draft not removed from the device: %s", exc)


def _report_crash(task: asyncio.Task[None]) -> None:
    # The loop never ends by itself: anything but a cancellation is a bug to see in the logs.
    if not task.cancelled() and task.exception() is not None:
        logger.error("the outbox stopped", exc_info=task.exception())
