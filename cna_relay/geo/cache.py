"""Geocoding answers cached in the database, so every relay process shares them.

Keys are SHA-256 digests of (provider, kind, language, normalised query): the table holds no
typed text, only what the provider answered about the municipality's streets. Expired rows are
ignored on read and deleted on the next write.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from cna_relay.clock import Clock
from cna_relay.db.base import Base, UTCDateTime
from cna_relay.db.dialect import dialect_insert
from cna_relay.db.engine import Database


class GeocodeCacheEntry(Base):
    __tablename__ = "geocode_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class GeocodeCache:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def get(self, key: str) -> list[dict[str, Any]] | None:
        """The cached results for `key`, or None when absent or expired."""
        query = select(GeocodeCacheEntry.results).where(
            GeocodeCacheEntry.key == key, GeocodeCacheEntry.expires_at > self._clock.now()
        )
        async with self._db.sessions() as session:
            results = await session.scalar(query)
        return list(results) if isinstance(results, list) else None

    async def put(self, key: str, *, provider: str, results: list[dict[str, Any]], ttl_s: float) -> None:
        now = self._clock.now()
        values = {
            "key": key,
            "provider": provider,
            "results": results,
            "created_at": now,
            "expires_at": now + timedelta(seconds=ttl_s),
        }
        async with self._db.transaction() as session:
            await session.execute(delete(GeocodeCacheEntry).where(GeocodeCacheEntry.expires_at <= now))
            stmt = dialect_insert(session, GeocodeCacheEntry).values(**values)
            update = {
                name: stmt.excluded[name] for name in ("provider", "results", "created_at", "expires_at")
            }
            await session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_=update))
