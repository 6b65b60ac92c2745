"""Drain the outbox: claim due entries with a lease, run their handler, record the outcome.

Any number of dispatchers (threads of one relay, or many relay processes on PostgreSQL) can run
against one database: claims are atomic, leases bring a crashed worker's entries back, and a
lock key keeps two jobs for the same InvGate customer from running at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cna_relay.clock import Clock
from cna_relay.outbox.errors import DeferDelivery, PermanentDeliveryError, TransientDeliveryError
from cna_relay.outbox.models import OutboxState
from cna_relay.outbox.policy import RetryPolicy
from cna_relay.outbox.store import ClaimedEntry, OutboxStore

log = logging.getLogger(__name__)

Handler = Callable[[ClaimedEntry], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True, slots=True)
class DispatcherOptions:
    worker_id: str
    concurrency: int = 4
    lease_s: float = 120.0
    poll_interval_s: float = 0.5


class Dispatcher:
    def __init__(
        self,
        store: OutboxStore,
        handlers: Mapping[str, Handler],
        *,
        policy: RetryPolicy,
        clock: Clock,
        options: DispatcherOptions,
        rng: random.Random | None = None,
    ) -> None:
        self._store = store
        self._handlers = dict(handlers)
        self._policy = policy
        self._clock = clock
        self._options = options
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Something was enqueued in this process: look now instead of at the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Process entries until `stop` is set; running handlers are allowed to finish."""
        slots = asyncio.Semaphore(self._options.concurrency)
        running: set[asyncio.Task[None]] = set()
        while not stop.is_set():
            await slots.acquire()
            entry = await self._claim()
            if entry is None:
                slots.release()
                await self._idle(stop)
                continue
            task = asyncio.create_task(self.process(entry))
            running.add(task)

            def finished(done: asyncio.Task[None]) -> None:
                running.discard(done)
                slots.release()

            task.add_done_callback(finished)
        if running:
            await asyncio.wait(running, timeout=self._options.lease_s)

    async def drain(self, *, max_entries: int | None = None) -> int:
        """One pass: process each due entry at most once (a failed one waits for the next pass).

        Returns how many ran. For operators' one-shot runs and tests; workers use `run`.
        """
        seen: list[int] = []
        while max_entries is None or len(seen) < max_entries:
            entry = await self._claim(exclude=seen)
            if entry is None:
                break
            seen.append(entry.id)
            await self.process(entry)
        return len(seen)

    async def process(self, entry: ClaimedEntry) -> None:
        handler = self._handlers.get(entry.kind)
        if handler is None:
            await self._store.fail(entry, f"no handler for kind {entry.kind!r}", retry_at=None)
            log.error("outbox entry %s has unknown kind %s: marked dead", entry.id, entry.kind)
            return
        heartbeat = asyncio.create_task(self._keep_lease(entry))
        try:
            result = await handler(entry)
        except DeferDelivery as deferral:
            await self._store.defer(entry, delay_s=deferral.delay_s, reason=str(deferral))
        except PermanentDeliveryError as exc:
            await self._record_failure(entry, exc, permanent=True)
        except TransientDeliveryError as exc:
            await self._record_failure(entry, exc, retry_after=exc.retry_after)
        except Exception as exc:
            log.exception("outbox entry %s (%s) failed unexpectedly", entry.id, entry.kind)
            await self._record_failure(entry, exc)
        else:
            if not await self._store.complete(entry, result):
                log.warning("outbox entry %s finished after its lease was taken over", entry.id)
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat

    async def _record_failure(
        self,
        entry: ClaimedEntry,
        exc: BaseException,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
    ) -> None:
        now = self._clock.now()
        retry_at = (
            None
            if permanent
            else self._policy.next_attempt_at(entry.attempts, now, rng=self._rng, retry_after=retry_after)
        )
        reason = f"{type(exc).__name__}: {exc}"
        state = await self._store.fail(entry, reason, retry_at=retry_at)
        level = logging.ERROR if state is OutboxState.DEAD else logging.WARNING
        log.log(
            level,
            "outbox entry %s (%s) attempt %s failed, now %s: %s",
            entry.id,
            entry.kind,
            entry.attempts,
            state.value,
            reason,
        )

    async def _claim(self, exclude: list[int] | None = None) -> ClaimedEntry | None:
        try:
            return await self._store.claim(
                self._options.worker_id,
                lease_s=self._options.lease_s,
                kinds=list(self._handlers),
                exclude=exclude or (),
            )
        except Exception:
            # The database may be restarting; the dispatcher must outlive that.
            log.exception("claiming from the outbox failed")
            return None

    async def _keep_lease(self, entry: ClaimedEntry) -> None:
        interval = self._options.lease_s / 3
        while True:
            await asyncio.sleep(interval)
            if not await self._store.renew(entry, lease_s=self._options.lease_s):
                log.warning("lost the lease on outbox entry %s", entry.id)
                return

    async def _idle(self, stop: asyncio.Event) -> None:
        self._wake.clear()
        waiters = [asyncio.create_task(self._wake.wait()), asyncio.create_task(stop.wait())]
        try:
            await asyncio.wait(
                waiters, timeout=self._options.poll_interval_s, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for waiter in waiters:
                waiter.cancel()
