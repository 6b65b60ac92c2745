"""Reports as stored by the relay: the report, its attachments, and per-year reference counters.

A report is written once, in one transaction with its attachments and its outbox entries, and
afterwards only its delivery columns change. Attachment bytes live in the database (no orphan
files) until the ticket and the confirmation mail have them; then they are purged.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cna_relay.db.base import Base, UTCDateTime


class Delivery(StrEnum):
    RECEIVED = "received"  # stored; waiting for InvGate
    FORWARDED = "forwarded"  # a ticket exists in InvGate
    FAILED = "failed"  # InvGate refused it for good; operators see it in the outbox


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_account_created", "account_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the client's UUID
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    account_id: Mapped[str | None] = mapped_column(String(36))  # who filed it (citizen or clerk)
    # For a counter report: the walk-in citizen the clerk filed it for.
    on_behalf_of: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    description: Mapped[str] = mapped_column(Text)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    location_source: Mapped[str] = mapped_column(String(16))
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(300))
    # SHA-256 over the submitted content: a replayed UUID with other content is refused.
    content_hash: Mapped[str] = mapped_column(String(64))
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    delivery: Mapped[str] = mapped_column(String(16), default=Delivery.RECEIVED)
    predicted_helpdesk: Mapped[str | None] = mapped_column(String(100))
    prediction_confidence: Mapped[float | None] = mapped_column(Float)
    helpdesk: Mapped[str | None] = mapped_column(String(100))
    ticket_id: Mapped[int | None] = mapped_column(Integer)
    ticket_pretty_id: Mapped[str | None] = mapped_column(String(32))
    reassigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attachments_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attachments: Mapped[list[ReportAttachment]] = relationship(
        back_populates="report", order_by="ReportAttachment.position", cascade="all, delete-orphan"
    )


class ReportAttachment(Base):
    __tablename__ = "report_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    report: Mapped[Report] = relationship(back_populates="attachments")


class ReferenceCounter(Base):
    """The last reference number handed out per year (`CNA-2026-000123`)."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)
