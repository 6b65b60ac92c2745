"""Shared pacing gates: keep the whole relay (every process) under an outside service's rate.

A gate is one row holding the next free time slot. Reserving a slot moves it forward by the
gate's interval in one transaction, so N workers on PostgreSQL share one schedule. InvGate's
per-minute ticket limit and the geocoder's one-request-per-second policy both use this.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, select, update
from sqlalchemy.orm import Mapped, mapped_column

from cna_relay.clock import Clock
from cna_relay.db.base import Base, UTCDateTime
from cna_relay.db.dialect import insert_ignoring_conflict
from cna_relay.db.engine import Database


class PaceGate(Base):
    __tablename__ = "pace_gates"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_free_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Pacer:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def reserve(self, gate: str, *, interval_s: float, max_wait_s: float) -> float | None:
        """Take the next slot on `gate` and return the seconds to wait for it.

        None (and nothing reserved) when the slot is more than `max_wait_s` away: the caller should
        come back later rather than hold a worker.
        """
        now = self._clock.now()
        async with self._db.transaction() as session:
            await insert_ignoring_conflict(
                session,
                PaceGate,
                {"name": gate, "next_free_at": now},
                ["name"],
            )
            query = select(PaceGate.next_free_at).where(PaceGate.name == gate)
            if not self._db.is_sqlite:
                query = query.with_for_update()
            next_free: datetime = (await session.execute(query)).scalar_one()
            slot = max(next_free, now)
            wait = (slot - now).total_seconds()
            if wait > max_wait_s:
                return None
            await session.execute(
                update(PaceGate)
                .where(PaceGate.name == gate)
                .values(next_free_at=slot + timedelta(seconds=interval_s))
            )
            return wait

    async def hold_until(self, gate: str, until: datetime) -> None:
        """Nobody uses `gate` before `until` (e.g. the service answered 429 with Retry-After)."""
        async with self._db.transaction() as session:
            await insert_ignoring_conflict(
                session,
                PaceGate,
                {"name": gate, "next_free_at": until},
                ["name"],
            )
            await session.execute(
                update(PaceGate)
                .where(PaceGate.name == gate, PaceGate.next_free_at < until)
                .values(next_free_at=until)
            )

    async def seconds_until_free(self, gate: str) -> float:
        async with self._db.sessions() as session:
            next_free = await session.scalar(select(PaceGate.next_free_at).where(PaceGate.name == gate))
        if next_free is None:
            return 0.0
        return max(0.0, (next_free - self._clock.now()).total_seconds())
