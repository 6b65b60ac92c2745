"""The few statements whose syntax differs between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert

from cna_relay.db.base import Base


def dialect_insert(session: AsyncSession, model: type[Base]) -> Any:
    """`INSERT` with `ON CONFLICT` support for the session's backend."""
    table = cast(Table, model.__table__)
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported database backend: {name}")


async def insert_ignoring_conflict(
    session: AsyncSession, model: type[Base], values: Mapping[str, Any], conflict_columns: Sequence[str]
) -> bool:
    """Insert a row unless one with the same `conflict_columns` exists; True when inserted."""
    stmt: Insert = dialect_insert(session, model).values(**values)
    stmt = stmt.on_conflict_do_nothing(index_elements=list(conflict_columns))  # type: ignore[attr-defined]
    # RETURNING, not rowcount: the async PostgreSQL driver does not report rowcount reliably here.
    table = cast(Table, model.__table__)
    result = await session.execute(stmt.returning(*table.primary_key.columns))
    return result.first() is not None
