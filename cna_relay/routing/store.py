"""`routing_corrections`: the helpdesk each CNA ticket finally ended in, read back from InvGate.

One row per forwarded report (so one per ticket). It is written by the read-back job
(`readback.py`) and read by `python -m cna_relay.routing train`. A row is created the first time
the ticket is read; `final_helpdesk` stays empty until InvGate names a helpdesk the relay knows,
and `settled_at` is set once the ticket reached a final status (or vanished), after which it is
no longer read. Only rows with a `final_helpdesk` are corrections a model learns from.

The row keeps its own copy of the report's text: the training data must not change when the
report row is edited later. It goes with the report (`ON DELETE CASCADE`): a deleted report
leaves no text behind here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from cna_relay.db import Database
from cna_relay.db.base import Base, UTCDateTime
from cna_relay.reports.models import Report
from cna_relay.routing.examples import Correction
from cna_relay.routing.helpdesks import TRIAGE


class RoutingCorrection(Base):
    __tablename__ = "routing_corrections"

    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    # Not unique: a test instance of InvGate that was reset hands out ticket ids again, and one
    # such clash must not stop the read-back of every other ticket.
    ticket_id: Mapped[int] = mapped_column(Integer, index=True)
    text: Mapped[str] = mapped_column(Text)
    # What the model answered, and where the relay sent the ticket (triage when InvGate lacked
    # the predicted desk): "moved by staff" is measured against the latter.
    predicted_helpdesk: Mapped[str] = mapped_column(String(100))
    routed_helpdesk: Mapped[str] = mapped_column(String(100))
    final_helpdesk: Mapped[str | None] = mapped_column(String(100))
    changed: Mapped[bool] = mapped_column(Boolean, default=False)
    ticket_status_id: Mapped[int | None] = mapped_column(Integer)
    observed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


@dataclass(frozen=True, slots=True)
class DueTicket:
    """A forwarded report whose ticket should be read again."""

    report_id: str
    ticket_id: int
    text: str
    predicted_helpdesk: str
    routed_helpdesk: str


@dataclass(frozen=True, slots=True)
class Observation:
    """What one read of a ticket showed. `final_helpdesk` None: no helpdesk the relay can name."""

    ticket: DueTicket
    status_id: int | None
    final_helpdesk: str | None
    changed: bool
    settled: bool


async def due_tickets(
    db: Database, *, now: datetime, max_age: timedelta, read_before: datetime, limit: int
) -> list[DueTicket]:
    """Tickets not read since `read_before`, least recently read first (never read ones first).

    Reports forwarded longer than `max_age` ago and tickets already settled are left out.
    """
    query = (
        select(
            Report.id,
            Report.ticket_id,
            Report.description,
            Report.predicted_helpdesk,
            Report.helpdesk,
        )
        .outerjoin(RoutingCorrection, RoutingCorrection.report_id == Report.id)
        .where(
            Report.ticket_id.is_not(None),
            Report.forwarded_at.is_not(None),
            Report.forwarded_at >= now - max_age,
            RoutingCorrection.settled_at.is_(None),
            or_(RoutingCorrection.checked_at.is_(None), RoutingCorrection.checked_at < read_before),
        )
        .order_by(RoutingCorrection.checked_at.asc().nulls_first(), Report.forwarded_at, Report.id)
        .limit(limit)
    )
    async with db.sessions() as session:
        rows = (await session.execute(query)).all()
    return [
        DueTicket(
            report_id=report_id,
            ticket_id=ticket_id,
            text=text,
            # Reports always carry both once forwarded; triage is the honest answer if not.
            predicted_helpdesk=predicted or routed or TRIAGE,
            routed_helpdesk=routed or predicted or TRIAGE,
        )
        for report_id, ticket_id, text, predicted, routed in rows
        if ticket_id is not None  # always, by the query; this tells the type checker
    ]


async def record_observations(db: Database, observations: Sequence[Observation], *, now: datetime) -> None:
    """Store one batch of reads in one transaction."""
    async with db.transaction() as session:
        for observation in observations:
            row = await _row_for(session, observation.ticket, now=now)
            row.checked_at = now
            row.ticket_status_id = observation.status_id
            if observation.final_helpdesk is not None:
                row.final_helpdesk = observation.final_helpdesk
                row.changed = observation.changed
                row.observed_at = now
            if observation.settled:
                row.settled_at = now


async def _row_for(session: AsyncSession, ticket: DueTicket, *, now: datetime) -> RoutingCorrection:
    row = await session.get(RoutingCorrection, ticket.report_id)
    if row is None:
        row = RoutingCorrection(
            report_id=ticket.report_id,
            ticket_id=ticket.ticket_id,
            text=ticket.text,
            predicted_helpdesk=ticket.predicted_helpdesk,
            routed_helpdesk=ticket.routed_helpdesk,
            changed=False,
            checked_at=now,
        )
        session.add(row)
    return row


async def load_corrections(db: Database) -> list[Correction]:
    """Every ticket whose final helpdesk is known, as training corrections (oldest first)."""
    query = (
        select(RoutingCorrection)
        .where(RoutingCorrection.final_helpdesk.is_not(None))
        .order_by(RoutingCorrection.observed_at, RoutingCorrection.ticket_id)
    )
    async with db.sessions() as session:
        rows = (await session.execute(query)).scalars().all()
    return [
        Correction(
            text=row.text,
            predicted=row.predicted_helpdesk,
            final_helpdesk=row.final_helpdesk or TRIAGE,
            ticket_id=str(row.ticket_id),
            observed_at=row.observed_at or row.checked_at,
        )
        for row in rows
    ]
