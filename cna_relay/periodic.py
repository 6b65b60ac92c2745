"""Periodic jobs through the outbox: exactly one run per interval across all relay processes.

Time is cut into slots of the job's interval. Slot *n* is one outbox entry of the job's kind with
the dedupe key `<kind>:<interval>:<n>`, due at the slot's start. Every worker process enqueues the
current slot when it starts (a no-op when another process already did), and each run first
enqueues the next slot, so the chain survives a failed run. The dedupe key makes a second entry
for a slot impossible, the lease lets one worker run it, and the lock key keeps a late run from
overlapping the next one. A run claimed after its slot has passed (relays were down, or retries
ran long) does nothing: the current slot's entry does the work, so a restart after downtime costs
one run, not one per missed slot.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cna_relay.context import RelayContext
from cna_relay.outbox import ClaimedEntry


@dataclass(frozen=True)
class PeriodicJob:
    """`run(slot_start)` does one interval's work; `interval_s` reads the setting (≤ 0: off)."""

    kind: str
    interval_s: Callable[[RelayContext], float]
    run: Callable[[RelayContext, datetime], Awaitable[dict[str, Any]]]


def slot_of(moment: datetime, interval_s: float) -> int:
    """The number of the slot `moment` falls in."""
    return math.floor(moment.timestamp() / interval_s)


async def schedule(context: RelayContext, job: PeriodicJob, *, slot: int | None = None) -> bool:
    """Enqueue the run of `slot` (default: the current one); False if it exists or the job is off."""
    interval = job.interval_s(context)
    if interval <= 0:
        return False
    now = context.clock.now()
    slot = slot_of(now, interval) if slot is None else slot
    async with context.db.transaction() as session:
        added = await context.outbox.enqueue(
            session,
            kind=job.kind,
            dedupe_key=f"{job.kind}:{interval:g}:{slot}",
            payload={"slot": slot, "interval_s": interval},
            lock_key=job.kind,
            delay_s=max(0.0, slot * interval - now.timestamp()),
        )
    if added:
        context.wake_dispatcher()
    return added


def register(context: RelayContext, job: PeriodicJob) -> None:
    """The job's outbox handler, and its first run when a worker starts."""

    async def handle(entry: ClaimedEntry) -> dict[str, Any]:
        interval = job.interval_s(context)
        if interval <= 0:
            return {"skipped": f"{job.kind} is switched off"}
        current = slot_of(context.clock.now(), interval)
        await schedule(context, job, slot=current + 1)
        if _is_stale(entry.payload, current=current, interval=interval):
            # Whatever chain this entry belonged to, the current slot does the work.
            await schedule(context, job, slot=current)
            return {"skipped": f"slot {entry.payload.get('slot')!r} has passed"}
        # A deferred or retried run goes on with what this slot has not done yet.
        return await job.run(context, datetime.fromtimestamp(current * interval, UTC))

    context.handlers[job.kind] = handle
    context.schedules.append(lambda: schedule(context, job))


def _is_stale(payload: dict[str, Any], *, current: int, interval: float) -> bool:
    slot = payload.get("slot")
    # A slot from the future counts as current: another process's clock may run slightly ahead.
    return payload.get("interval_s") != interval or not isinstance(slot, int) or slot < current
