"""Read back the helpdesk each CNA ticket finally ended in: the raw material of retraining.

One run reads the tickets of forwarded reports from InvGate in batches (`GET incidents` with
`ids[]`), least recently read first, names each ticket's helpdesk (`assigned_group_id`) through
the directory, and stores what it saw in `routing_corrections` (store.py), one transaction per
batch so that an interrupted run keeps what it did.

When a ticket stops being read:
- it is closed, rejected or cancelled (`final_status_ids`, or InvGate set `closed_at`): staff
  no longer move it. A *solved* ticket is still read: a rejected solution reopens it, and
  InvGate closes unanswered solutions by itself after a week;
- it is no longer in InvGate;
- its report was forwarded more than `max_age` ago: whatever desk holds it by then is the answer.

InvGate allows 50–100 `GET incidents` a minute per instance (plan dependent); a run takes its
calls from a pacing gate shared by every relay process, and asks for `ReadbackPaced` (come back
later) rather than hold a worker when the gate is far ahead or InvGate answered 429.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cna_relay.clock import Clock
from cna_relay.db import Database
from cna_relay.directory import ServiceDeskDirectory
from cna_relay.invgate import InvGateRateLimited, ServiceDesk, Ticket
from cna_relay.pacing import Pacer
from cna_relay.routing.helpdesks import canonical_helpdesk
from cna_relay.routing.naming import HelpdeskNamer
from cna_relay.routing.store import DueTicket, Observation, due_tickets, record_observations

log = logging.getLogger(__name__)

# Shared by everything that lists tickets by id, so together they stay under InvGate's limit.
READ_GATE = "invgate:incidents:get"
# InvGate's default ids (incident.attributes.status) of Closed, Rejected and Cancelled.
DEFAULT_FINAL_STATUS_IDS = frozenset({6, 7, 8})
# The column width of helpdesk names in routing_corrections.
_NAME_LIMIT = 100


@dataclass(frozen=True, slots=True)
class ReadbackOptions:
    batch_size: int = 50
    max_batches: int = 20
    calls_per_minute: float = 20.0
    max_age: timedelta = timedelta(days=60)
    # Longer than this until the next call is allowed: give the worker back and come back later.
    max_wait_s: float = 40.0
    final_status_ids: frozenset[int] = DEFAULT_FINAL_STATUS_IDS


@dataclass(slots=True)
class ReadbackSummary:
    """What one run did; stored as the outbox entry's result."""

    tickets_read: int = 0
    corrections: int = 0
    moved: int = 0
    unnamed: int = 0
    settled: int = 0

    def count(self, observations: Sequence[Observation]) -> None:
        for observation in observations:
            self.tickets_read += 1
            self.corrections += observation.final_helpdesk is not None
            self.moved += observation.changed
            self.unnamed += observation.final_helpdesk is None
            self.settled += observation.settled

    def as_dict(self) -> dict[str, Any]:
        return {
            "tickets_read": self.tickets_read,
            "corrections": self.corrections,
            "moved": self.moved,
            "unnamed": self.unnamed,
            "settled": self.settled,
        }


class ReadbackPaced(Exception):
    """InvGate's read budget is used up for now: continue the run after `delay_s` seconds."""

    def __init__(self, delay_s: float, summary: ReadbackSummary) -> None:
        super().__init__(f"waiting {delay_s:.0f} s for an InvGate read slot (per-minute limit)")
        self.delay_s = delay_s
        self.summary = summary


class TicketReadback:
    """One run of the read-back. Raises InvGate's transient and permanent errors, and `ReadbackPaced`."""

    def __init__(
        self,
        *,
        db: Database,
        desk: ServiceDesk,
        directory: ServiceDeskDirectory,
        pacer: Pacer,
        clock: Clock,
        options: ReadbackOptions,
    ) -> None:
        self._db = db
        self._desk = desk
        self._directory = directory
        self._pacer = pacer
        self._clock = clock
        self._options = options

    async def run(self, *, read_before: datetime | None = None) -> ReadbackSummary:
        """Read the tickets not read since `read_before` (default: now, so all that are due).

        A run that was paced and resumes passes the time it first started, so that it goes on
        with the tickets it did not get to instead of starting over."""
        options, now = self._options, self._clock.now()
        due = await due_tickets(
            self._db,
            now=now,
            max_age=options.max_age,
            read_before=read_before or now,
            limit=options.batch_size * options.max_batches,
        )
        namer = HelpdeskNamer(self._desk, self._directory)
        summary = ReadbackSummary()
        for batch in _batches(due, options.batch_size):
            await self._wait_for_slot(summary)
            tickets = await self._read(batch, summary)
            observations = [await self._observe(item, tickets.get(item.ticket_id), namer) for item in batch]
            await record_observations(self._db, observations, now=self._clock.now())
            summary.count(observations)
        return summary

    async def _read(self, batch: Sequence[DueTicket], summary: ReadbackSummary) -> dict[int, Ticket]:
        try:
            return await self._desk.get_tickets([item.ticket_id for item in batch])
        except InvGateRateLimited as exc:
            delay = exc.retry_after if exc.retry_after is not None else 60.0
            await self._pacer.hold_until(READ_GATE, self._clock.now() + timedelta(seconds=delay))
            raise ReadbackPaced(delay, summary) from exc

    async def _wait_for_slot(self, summary: ReadbackSummary) -> None:
        interval = 60.0 / self._options.calls_per_minute
        wait = await self._pacer.reserve(READ_GATE, interval_s=interval, max_wait_s=self._options.max_wait_s)
        if wait is None:
            raise ReadbackPaced(await self._pacer.seconds_until_free(READ_GATE), summary)
        if wait > 0:
            await asyncio.sleep(wait)

    async def _observe(self, item: DueTicket, ticket: Ticket | None, namer: HelpdeskNamer) -> Observation:
        if ticket is None:
            log.warning(
                "InvGate no longer has ticket %d (report %s): it is not read back any more",
                item.ticket_id,
                item.report_id,
            )
            return Observation(item, status_id=None, final_helpdesk=None, changed=False, settled=True)
        name = None
        if ticket.helpdesk_id is not None:
            name = await namer.name(ticket.helpdesk_id, ticket_id=ticket.id)
        final = None if name is None else _routing_name(name)
        return Observation(
            item,
            status_id=ticket.status_id,
            final_helpdesk=final,
            changed=final is not None and not same_helpdesk(final, item.routed_helpdesk),
            settled=ticket.status_id in self._options.final_status_ids or ticket.closed_at is not None,
        )


def _routing_name(name: str) -> str:
    # The classifier's spelling when it knows the desk; InvGate's own (cut to fit) otherwise.
    return canonical_helpdesk(name) or name[:_NAME_LIMIT]


def same_helpdesk(a: str, b: str) -> bool:
    """Whether two helpdesk names denote the same desk (case, spacing, accents and '&' ignored)."""
    return (canonical_helpdesk(a) or " ".join(a.casefold().split())) == (
        canonical_helpdesk(b) or " ".join(b.casefold().split())
    )


def _batches(items: Sequence[DueTicket], size: int) -> Iterator[Sequence[DueTicket]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
