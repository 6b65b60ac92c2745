"""What happens to a citizen's reports when they delete their account.

Reports already handed to InvGate stay there (the municipality keeps its case files); the
relay's own copy, with the description, the location and the thumbnail, goes with the account.
A report still on its way (ticket or confirmation mail not yet delivered) blocks the deletion
with 409 `reports_pending`: deleting the account must never silently drop a report.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cna_relay.outbox import OutboxEntry, OutboxState
from cna_relay.problems import Conflict
from cna_relay.reports.models import Report


async def forget_reports_of(session: AsyncSession, account_id: str) -> None:
    """An `on_account_deleted` hook: runs inside the deletion's transaction."""
    reports = select(Report.id).where(Report.account_id == account_id)
    unfinished = await session.scalar(
        select(func.count())
        .select_from(OutboxEntry)
        .where(
            OutboxEntry.subject_id.in_(reports),
            OutboxEntry.state.in_([OutboxState.PENDING.value, OutboxState.SENDING.value]),
        )
    )
    if unfinished:
        raise Conflict("reports_pending", status=409)
    await session.execute(delete(Report).where(Report.account_id == account_id))
