"""The periodic read-back of final helpdesks, as a periodic outbox job (cna_relay/periodic.py)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from cna_relay import periodic
from cna_relay.context import RelayContext
from cna_relay.invgate import InvGatePermanentError, InvGateTransientError
from cna_relay.outbox import PermanentDeliveryError, TransientDeliveryError
from cna_relay.outbox.errors import DeferDelivery
from cna_relay.periodic import PeriodicJob
from cna_relay.routing.readback import ReadbackOptions, ReadbackPaced, TicketReadback
from cna_relay.settings import RelaySettings

log = logging.getLogger(__name__)

READBACK_KIND = "routing_readback"


def readback_options(settings: RelaySettings) -> ReadbackOptions:
    return ReadbackOptions(
        batch_size=settings.routing_readback_batch_size,
        max_batches=settings.routing_readback_max_batches,
        calls_per_minute=settings.routing_readback_calls_per_minute,
        max_age=timedelta(days=settings.routing_readback_max_age_days),
        max_wait_s=settings.outbox_lease_s / 3,
        final_status_ids=frozenset(settings.routing_readback_final_status_ids),
    )


async def run_readback(context: RelayContext, read_before: datetime) -> dict[str, Any]:
    """One slot's read-back: tickets not read since `read_before`, paced and bounded."""
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
        raise DeferDelivery(paced.delay_s, f"{paced} after {paced.summary.tickets_read} tickets") from paced
    except InvGateTransientError as exc:
        raise TransientDeliveryError(str(exc), retry_after=exc.retry_after) from exc
    except InvGatePermanentError as exc:
        raise PermanentDeliveryError(str(exc)) from exc
    log.info("routing read-back: %s", summary.as_dict())
    return summary.as_dict()


READBACK = PeriodicJob(
    kind=READBACK_KIND,
    interval_s=lambda context: context.settings.routing_readback_interval_s,
    run=run_readback,
)


def readback_slot(moment: datetime, interval_s: float) -> int:
    return periodic.slot_of(moment, interval_s)


async def schedule_readback(context: RelayContext, *, slot: int | None = None) -> bool:
    """Enqueue the read-back of `slot` (default: the current one); False if it exists or is off."""
    return await periodic.schedule(context, READBACK, slot=slot)


def register_routing_handlers(context: RelayContext) -> None:
    """The read-back handler, and its first run when a worker starts."""
    periodic.register(context, READBACK)
