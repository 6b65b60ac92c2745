"""Human references for reports: `<prefix>-<year>-<number>`, numbered per year without gaps
(a rolled-back transaction gives its number back)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from cna_relay.db.dialect import dialect_insert
from cna_relay.reports.models import ReferenceCounter


async def next_reference(session: AsyncSession, *, prefix: str, year: int) -> str:
    table = ReferenceCounter.__table__
    stmt = dialect_insert(session, ReferenceCounter).values(year=year, last_value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["year"], set_={"last_value": table.c.last_value + 1}
    ).returning(table.c.last_value)
    number = int((await session.execute(stmt)).scalar_one())
    return format_reference(prefix, year, number)


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"
