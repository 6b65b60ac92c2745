"""The `outbox_entries` table and its state machine."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from cna_relay.db.base import Base, UTCDateTime


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


ALLOWED_TRANSITIONS: dict[OutboxState, frozenset[OutboxState]] = {
    OutboxState.PENDING: frozenset({OutboxState.SENDING}),
    # back to pending on a transient failure or a deferral; a lapsed lease is re-claimed as sending
    OutboxState.SENDING: frozenset(
        {OutboxState.SENT, OutboxState.PENDING, OutboxState.DEAD, OutboxState.SENDING}
    ),
    OutboxState.DEAD: frozenset({OutboxState.PENDING}),  # an operator's retry
    OutboxState.SENT: frozenset(),
}


class OutboxEntry(Base):
    __tablename__ = "outbox_entries"
    __table_args__ = (
        Index("ix_outbox_entries_due", "state", "next_attempt_at"),
        # At most one entry per lock key is being sent at a time, across every worker process:
        # two entries that touch the same InvGate customer must never run concurrently.
        Index(
            "uq_outbox_entries_lock_key_sending",
            "lock_key",
            unique=True,
            sqlite_where=text("state = 'sending' AND lock_key IS NOT NULL"),
            postgresql_where=text("state = 'sending' AND lock_key IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    # Enqueueing the same job twice (a replayed request) is a no-op.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    lock_key: Mapped[str | None] = mapped_column(String(200))
    subject_id: Mapped[str | None] = mapped_column(String(64), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<OutboxEntry {self.id} {self.kind} {self.state} attempts={self.attempts}>"
