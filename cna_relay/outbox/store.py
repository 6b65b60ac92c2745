"""Every SQL statement on `outbox_entries`: enqueue, claim with a lease, finish, and operator views."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cna_relay.clock import Clock
from cna_relay.db.dialect import insert_ignoring_conflict
from cna_relay.db.engine import Database
from cna_relay.outbox.models import OutboxEntry, OutboxState

_ERROR_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class ClaimedEntry:
    id: int
    kind: str
    dedupe_key: str
    lock_key: str | None
    subject_id: str | None
    payload: dict[str, Any]
    attempts: int
    lease_owner: str


class OutboxStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # -- producers ------------------------------------------------------------------------------

    async def enqueue(
        self,
        session: AsyncSession,
        *,
        kind: str,
        dedupe_key: str,
        payload: dict[str, Any],
        lock_key: str | None = None,
        subject_id: str | None = None,
        delay_s: float = 0.0,
    ) -> bool:
        """Add a job in the caller's transaction; a second job with the same `dedupe_key` is ignored."""
        now = self._clock.now()
        values = {
            "kind": kind,
            "dedupe_key": dedupe_key,
            "lock_key": lock_key,
            "subject_id": subject_id,
            "payload": payload,
            "state": OutboxState.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now + timedelta(seconds=delay_s),
            "created_at": now,
            "updated_at": now,
        }
        return await insert_ignoring_conflict(session, OutboxEntry, values, ["dedupe_key"])

    # -- workers --------------------------------------------------------------------------------

    async def claim(
        self,
        worker_id: str,
        *,
        lease_s: float,
        kinds: Sequence[str] | None = None,
        exclude: Collection[int] = (),
    ) -> ClaimedEntry | None:
        """Take the most overdue entry for `worker_id`, or None when nothing is due.

        An entry is due when it is pending and its time has come, or when it is `sending` but its
        lease lapsed (its worker crashed). Entries whose `lock_key` is being sent elsewhere wait.
        """
        now = self._clock.now()
        try:
            async with self._db.transaction() as session:
                query = self._due_query(session, now, kinds, exclude)
                entry_id = (await session.execute(query)).scalar_one_or_none()
                if entry_id is None:
                    return None
                claimed = (
                    await session.execute(
                        update(OutboxEntry)
                        .where(OutboxEntry.id == entry_id)
                        .values(
                            state=OutboxState.SENDING.value,
                            lease_owner=worker_id,
                            lease_until=now + timedelta(seconds=lease_s),
                            attempts=OutboxEntry.attempts + 1,
                            updated_at=now,
                        )
                        .returning(OutboxEntry)
                    )
                ).scalar_one()
                return _claimed(claimed, worker_id)
        except IntegrityError:
            # Another worker started an entry with the same lock key between our read and write.
            return None

    def _due_query(
        self, session: AsyncSession, now: datetime, kinds: Sequence[str] | None, exclude: Collection[int]
    ) -> Any:
        busy_keys = select(OutboxEntry.lock_key).where(
            OutboxEntry.state == OutboxState.SENDING.value, OutboxEntry.lock_key.is_not(None)
        )
        pending_due = and_(
            OutboxEntry.state == OutboxState.PENDING.value,
            OutboxEntry.next_attempt_at <= now,
            or_(OutboxEntry.lock_key.is_(None), OutboxEntry.lock_key.not_in(busy_keys)),
        )
        lease_lapsed = and_(OutboxEntry.state == OutboxState.SENDING.value, OutboxEntry.lease_until <= now)
        query = (
            select(OutboxEntry.id)
            .where(or_(pending_due, lease_lapsed))
            .order_by(OutboxEntry.next_attempt_at, OutboxEntry.id)
            .limit(1)
        )
        if kinds:
            query = query.where(OutboxEntry.kind.in_(list(kinds)))
        if exclude:
            query = query.where(OutboxEntry.id.not_in(list(exclude)))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return query

    async def renew(self, entry: ClaimedEntry, *, lease_s: float) -> bool:
        now = self._clock.now()
        return await self._update_owned(entry, lease_until=now + timedelta(seconds=lease_s), updated_at=now)

    async def complete(self, entry: ClaimedEntry, result: dict[str, Any] | None = None) -> bool:
        """Mark sent; False when the lease was lost (another worker owns the entry now)."""
        now = self._clock.now()
        return await self._update_owned(
            entry,
            state=OutboxState.SENT.value,
            sent_at=now,
            updated_at=now,
            result=result,
            lease_owner=None,
            lease_until=None,
            last_error=None,
        )

    async def fail(self, entry: ClaimedEntry, error: str, *, retry_at: datetime | None) -> OutboxState:
        """Back to pending until `retry_at`, or dead when `retry_at` is None."""
        state = OutboxState.PENDING if retry_at is not None else OutboxState.DEAD
        now = self._clock.now()
        await self._update_owned(
            entry,
            state=state.value,
            next_attempt_at=retry_at or now,
            last_error=error[:_ERROR_LIMIT],
            lease_owner=None,
            lease_until=None,
            updated_at=now,
        )
        return state

    async def defer(self, entry: ClaimedEntry, *, delay_s: float, reason: str) -> bool:
        """Not a failure (e.g. pacing): try again later without spending an attempt."""
        now = self._clock.now()
        return await self._update_owned(
            entry,
            state=OutboxState.PENDING.value,
            next_attempt_at=now + timedelta(seconds=delay_s),
            attempts=OutboxEntry.attempts - 1,
            last_error=reason[:_ERROR_LIMIT],
            lease_owner=None,
            lease_until=None,
            updated_at=now,
        )

    async def _update_owned(self, entry: ClaimedEntry, **values: Any) -> bool:
        async with self._db.transaction() as session:
            result = await session.execute(
                update(OutboxEntry)
                .where(
                    OutboxEntry.id == entry.id,
                    OutboxEntry.lease_owner == entry.lease_owner,
                    OutboxEntry.state == OutboxState.SENDING.value,
                )
                .values(**values)
            )
            return bool(getattr(result, "rowcount", 0))

    # -- operators ------------------------------------------------------------------------------

    async def counts(self) -> dict[str, int]:
        async with self._db.sessions() as session:
            rows = await session.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state))
            return {state: int(count) for state, count in rows}

    async def entries(
        self, *, states: Sequence[str] | None = None, kind: str | None = None, limit: int = 50
    ) -> list[OutboxEntry]:
        query = select(OutboxEntry).order_by(OutboxEntry.id.desc()).limit(limit)
        if states:
            query = query.where(OutboxEntry.state.in_(list(states)))
        if kind:
            query = query.where(OutboxEntry.kind == kind)
        async with self._db.sessions() as session:
            return list((await session.execute(query)).scalars())

    async def get(self, entry_id: int) -> OutboxEntry | None:
        async with self._db.sessions() as session:
            return await session.get(OutboxEntry, entry_id)

    async def retry(self, entry_ids: Sequence[int] | None = None) -> int:
        """Give dead entries (all, or the given ones) a fresh set of attempts, due now."""
        now = self._clock.now()
        stmt = (
            update(OutboxEntry)
            .where(OutboxEntry.state == OutboxState.DEAD.value)
            .values(state=OutboxState.PENDING.value, attempts=0, next_attempt_at=now, updated_at=now)
        )
        if entry_ids is not None:
            stmt = stmt.where(OutboxEntry.id.in_(list(entry_ids)))
        async with self._db.transaction() as session:
            result = await session.execute(stmt)
            return int(getattr(result, "rowcount", 0))

    async def purge_sent(self, older_than: datetime) -> int:
        """Forget entries delivered before `older_than` (dead and pending ones always stay)."""
        async with self._db.transaction() as session:
            result = await session.execute(
                delete(OutboxEntry).where(
                    OutboxEntry.state == OutboxState.SENT.value, OutboxEntry.sent_at < older_than
                )
            )
            return int(getattr(result, "rowcount", 0))


def _claimed(entry: OutboxEntry, worker_id: str) -> ClaimedEntry:
    return ClaimedEntry(
        id=entry.id,
        kind=entry.kind,
        dedupe_key=entry.dedupe_key,
        lock_key=entry.lock_key,
        subject_id=entry.subject_id,
        payload=dict(entry.payload),
        attempts=entry.attempts,
        lease_owner=worker_id,
    )
