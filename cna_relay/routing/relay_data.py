"""The corrections the relay stored, read for `python -m cna_relay.routing train`.

The database is the relay's own (`CNA_RELAY_DATABASE_URL`, read through `RelaySettings` like the
relay does). A SQLite file that does not exist yet means the relay never ran here: training goes
on with the seed set (and any corrections file). Any other failure to read is an error: training
without the corrections an operator expects would silently produce the wrong model.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from cna_relay.db import make_database
from cna_relay.routing.examples import Correction
from cna_relay.routing.store import load_corrections


class RelayDatabaseError(RuntimeError):
    """The relay database cannot be read (unreachable, not migrated, malformed URL)."""


@dataclass(frozen=True, slots=True)
class RelayCorrections:
    corrections: list[Correction]
    source: str  # where they came from, fit for output (no password)


def read_relay_corrections(database_url: str) -> RelayCorrections:
    """Every correction in the relay database at `database_url`."""
    shown = _shown(database_url)
    missing = _missing_sqlite_file(database_url)
    if missing is not None:
        return RelayCorrections([], f"no relay database at {missing} (nothing read back yet)")
    try:
        corrections = asyncio.run(_load(database_url))
    except (SQLAlchemyError, OSError) as exc:
        hint = "; is it migrated (python -m cna_relay db upgrade)?" if _is_missing_table(exc) else ""
        raise RelayDatabaseError(f"cannot read corrections from {shown}: {_reason(exc)}{hint}") from exc
    return RelayCorrections(corrections, shown)


async def _load(database_url: str) -> list[Correction]:
    db = make_database(database_url)
    try:
        return await load_corrections(db)
    finally:
        await db.dispose()


def _shown(database_url: str) -> str:
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError as exc:
        raise RelayDatabaseError("CNA_RELAY_DATABASE_URL is not a database URL") from exc


def _missing_sqlite_file(database_url: str) -> Path | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        return Path(":memory:")
    path = Path(url.database).expanduser()
    return None if path.exists() else path


def _reason(exc: BaseException) -> str:
    # The driver's own message, first line only: SQLAlchemy appends the statement and a link.
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def _is_missing_table(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "routing_corrections" in text and ("no such table" in text or "does not exist" in text)
