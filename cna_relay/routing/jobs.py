"""The periodic read-back as an outbox job: exactly one run per interval across all relays.

Time is cut into slots of `routing_readback_interval_s`. Slot *n* is one outbox entry of kind
`routing_readback` with the dedupe key `routing_readback:<interval>:<n>`, due at the slot's
start. Every worker process enqueues the current slot when it starts (a no-op when another
process already did), and each run first enqueues the next slot, so the chain survives a failed
run. The dedupe key makes a second entry for a slot impossible, the lease lets one worker run it,
and the lock key keeps a late run from overlapping the next one. A run claimed after its slot
has passed (relays were down, or retries ran long) does nothing: the current slot's entry does
the work, so a restart after downtime costs one run, not one per missed slot.
"""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from cna_relay.context import RelayContext
from cna_relay.invgate import InvGatePermanentError, InvGateTransientError
from cna_relay.outbox import ClaimedEntry, PermanentDeliveryError, TransientDeliveryError
from cna_relay.outbox.errors import DeferDelivery
from cna_relay.routing.readback import ReadbackOptions, ReadbackPaced, TicketReadback
from cna_relay.settings import RelaySettings

log = logging.getLogger(__name__)

READBACK_KIND = "routing_readback"
_LOCK_KEY = "routing_readback"


def readback_slot(moment: datetime, interval_s: float) -> int:
    """The number of the slot `moment` falls in."""
    return math.floor(moment.timestamp() / interval_s)


def readback_options(settings: RelaySettings) -> ReadbackOptions:
    return ReadbackOptions(
        batch_size=settings.routing_readback_batch_size,
        max_batches=settings.routing_readback_max_batches,
        calls_per_minute=settings.routing_readback_calls_per_minute,
        max_age=timedelta(days=settings.routing_readback_max_age_days),
        max_wait_s=settings.outbox_lease_s / 3,
        final_status_ids=frozenset(settings.routing_readback_final_status_ids),
    )


async def schedule_readback(context: RelayContext, *, slot: int | None = None) -> bool:
    """Enqueue the run of `slot` (default: the current one); False if it exists or is switched off."""
    interval = context.settings.routing_readback_interval_s
    if interval <= 0:
        return False
    now = context.clock.now()
    slot = readback_slot(now, interval) if slot is None else slot
    delay = max(0.0, slot * interval - now.timestamp())
    async with context.db.transaction() as session:
        added = await context.outbox.enqueue(
            session,
            kind=READBACK_KIND,
            dedupe_key=f"{READBACK_KIND}:{interval:g}:{slot}",
            payload={"slot": slot, "interval_s": interval},
            lock_key=_LOCK_KEY,
            delay_s=delay,
        )
    if added:
        context.wake_dispatcher()
    return added


class ReadbackJob:
    """Outbox handler of `routing_readback` entries."""

    def __init__(self, context: RelayContext) -> None:
        self._context = context

    async def __call__(self, entry: ClaimedEntry) -> dict[str, Any]:
        interval = self._context.settings.routing_readback_interval_s
        if interval <= 0:
            return {"skipped": "the read-back is switched off"}
        current = readback_slot(self._context.clock.now(), interval)
        await schedule_readback(self._context, slot=current + 1)
        if _is_stale(entry.payload, current=current, interval=interval):
            # Whatever chain this entry belonged to, the current slot does the work.
            await schedule_readback(self._context, slot=current)
            return {"skipped": f"slot {entry.payload.get('slot')!r} has passed"}
        # A deferred or retried run goes on with what this slot has not read yet.
        return await self._run(read_before=datetime.fromtimestamp(current * interval, UTC))

    async def _run(self, *, read_before: datetime) -> dict[str, Any]:
        context = self._context
        readback = TicketReadback(
            db=context.db,
            desk=context.service_desk,
            directory=context.directory,
            pacer=context.pacer,
            clock=context.clock,
            options=readback_options(context.settings),
        )
        try:
            summary = await readback.run(read_before=read_before)
        except ReadbackPaced as paced:
            raise DeferDelivery(
                paced.delay_s, f"{paced} after {paced.summary.tickets_read} tickets"
            ) from paced
        except InvGateTransientError as exc:
            raise TransientDeliveryError(str(exc), retry_after=exc.retry_after) from exc
        except InvGatePermanentError as exc:
            raise PermanentDeliveryError(str(exc)) from exc
        log.info("routing read-back: %s", summary.as_dict())
        return summary.as_dict()


def _is_stale(payload: dict[str, Any], *, current: int, interval: float) -> bool:
    slot = payload.get("slot")
    # A slot from the future counts as current: another process's clock may run slightly ahead.
    return payload.get("interval_s") != interval or not isinstance(slot, int) or slot < current


def register_routing_handlers(context: RelayContext) -> None:
    """The read-back handler, and its first run when a worker starts."""
    context.handlers[READBACK_KIND] = ReadbackJob(context)
    context.schedules.append(lambda: schedule_readback(context))
