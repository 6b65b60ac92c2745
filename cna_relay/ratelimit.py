"""Abuse limits (log-in, sign-up, code entry, reset): fixed-window counters in the database.

Counting in the database, not in memory, makes a limit hold across every relay process and
survive restarts; keys are hashed so no e-mail address or IP sits in this table in clear.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Integer, String, case, delete
from sqlalchemy.orm import Mapped, mapped_column

from cna_relay.clock import Clock
from cna_relay.db.base import Base, UTCDateTime
from cna_relay.db.dialect import dialect_insert
from cna_relay.db.engine import Database


class RateLimitCounter(Base):
    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    count: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `hits` per `window_s` seconds for one key."""

    name: str
    hits: int
    window_s: int


class RateLimiter:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def hit(self, limit: Limit, subject: str) -> float | None:
        """Count one attempt; returns the seconds to wait when the limit is exceeded, else None."""
        now = self._clock.now()
        window_start = _window_start(now, limit.window_s)
        key = _key(limit.name, subject)
        table = RateLimitCounter.__table__
        async with self._db.transaction() as session:
            stmt = dialect_insert(session, RateLimitCounter).values(
                key=key, window_start=window_start, count=1
            )
            stmt = stmt.on_conflict_do_update(
                index_elements=["key"],
                set_={
                    "count": case((table.c.window_start == window_start, table.c.count + 1), else_=1),
                    "window_start": window_start,
                },
            ).returning(table.c.count)
            count = int((await session.execute(stmt)).scalar_one())
        if count <= limit.hits:
            return None
        reset = window_start + timedelta(seconds=limit.window_s)
        return max(1.0, math.ceil((reset - now).total_seconds()))

    async def reset(self, limit: Limit, subject: str) -> None:
        """Forget the attempts for `subject` (e.g. after a successful log-in)."""
        async with self._db.transaction() as session:
            await session.execute(
                delete(RateLimitCounter).where(RateLimitCounter.key == _key(limit.name, subject))
            )

    async def purge(self, older_than: datetime) -> int:
        """Forget counters whose window started before `older_than`; returns how many."""
        async with self._db.transaction() as session:
            result = await session.execute(
                delete(RateLimitCounter).where(RateLimitCounter.window_start < older_than)
            )
            return int(getattr(result, "rowcount", 0))


def _key(name: str, subject: str) -> str:
    digest = hashlib.sha256(f"{name}\x00{subject}".encode()).hexdigest()[:48]
    return f"{name[:30]}:{digest}"


def _window_start(now: datetime, window_s: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window_s, tz=UTC)
