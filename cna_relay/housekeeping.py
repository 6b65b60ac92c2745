"""Tables that would otherwise only grow: old abuse counters and long-delivered outbox entries.

A periodic outbox job (cna_relay/periodic.py), so one worker does it per interval whatever the
number of relay processes. Dead and pending outbox entries are never touched: they are work.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from cna_relay import periodic
from cna_relay.context import RelayContext
from cna_relay.periodic import PeriodicJob

# Every abuse limit's window is at most a day; a counter older than two is of no use.
RATE_COUNTER_RETENTION = timedelta(days=2)


async def tidy(context: RelayContext, slot_start: datetime) -> dict[str, Any]:
    retention = timedelta(days=context.settings.outbox_sent_retention_days)
    counters = await context.limiter.purge(slot_start - RATE_COUNTER_RETENTION)
    entries = await context.outbox.purge_sent(slot_start - retention)
    return {"rate_counters_deleted": counters, "outbox_entries_deleted": entries}


HOUSEKEEPING = PeriodicJob(
    kind="housekeeping",
    interval_s=lambda context: context.settings.housekeeping_interval_s,
    run=tidy,
)


def register_housekeeping(context: RelayContext) -> None:
    periodic.register(context, HOUSEKEEPING)
