"""Reads and small writes of report rows used by the delivery handlers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload, undefer

from cna_relay.db import Database
from cna_relay.reports.models import Delivery, Report, ReportAttachment


async def load_report(db: Database, report_id: str, *, with_files: bool = False) -> Report | None:
    query = select(Report).where(Report.id == report_id)
    if with_files:
        query = query.options(selectinload(Report.attachments).options(undefer(ReportAttachment.data)))
    else:
        query = query.options(selectinload(Report.attachments))
    async with db.sessions() as session:
        return (await session.execute(query)).scalar_one_or_none()


async def update_report(db: Database, report_id: str, **values: Any) -> None:
    async with db.transaction() as session:
        await session.execute(update(Report).where(Report.id == report_id).values(**values))


async def finish_delivery(db: Database, report_id: str, *, pretty_id: str | None, now: datetime) -> None:
    """The ticket exists and sits in its helpdesk: record it, and purge the files if the mail went."""
    async with db.transaction() as session:
        await session.execute(
            update(Report)
            .where(Report.id == report_id)
            .values(
                ticket_pretty_id=pretty_id, delivery=Delivery.FORWARDED, forwarded_at=now, reassigned_at=now
            )
        )
        await _purge_when_delivered(session, report_id, now=now)


async def finish_confirmation(db: Database, report_id: str, *, now: datetime) -> None:
    """The confirmation mail went out: record it, and purge the files if the ticket has them."""
    async with db.transaction() as session:
        await session.execute(update(Report).where(Report.id == report_id).values(confirmation_sent_at=now))
        await _purge_when_delivered(session, report_id, now=now)


async def _purge_when_delivered(session: AsyncSession, report_id: str, *, now: datetime) -> None:
    """Drop attachment bytes once both the ticket and the confirmation mail have them."""
    report = await session.get(Report, report_id)
    if report is None or report.attachments_purged_at is not None:
        return
    if report.ticket_id is None or report.confirmation_sent_at is None:
        return
    await session.execute(
        update(ReportAttachment).where(ReportAttachment.report_id == report_id).values(data=None)
    )
    report.attachments_purged_at = now
