"""core: outbox, pacing gates, rate limits

Revision ID: 0001_core
Revises:
Create Date: 2026-12-03 16:39:40.273754
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "outbox_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("lock_key", sa.String(length=200), nullable=True),
        sa.Column("subject_id", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_entries")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_entries_dedupe_key")),
    )
    with op.batch_alter_table("outbox_entries", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_entries_due", ["state", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_entries_subject_id"), ["subject_id"], unique=False)
        batch_op.create_index(
            "uq_outbox_entries_lock_key_sending",
            ["lock_key"],
            unique=True,
            sqlite_where=sa.text("state = 'sending' AND lock_key IS NOT NULL"),
            postgresql_where=sa.text("state = 'sending' AND lock_key IS NOT NULL"),
        )

    op.create_table(
        "pace_gates",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("next_free_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_pace_gates")),
    )
    op.create_table(
        "rate_limit_counters",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_counters")),
    )


def downgrade() -> None:

    op.drop_table("rate_limit_counters")
    op.drop_table("pace_gates")
    with op.batch_alter_table("outbox_entries", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_outbox_entries_lock_key_sending",
            sqlite_where=sa.text("state = 'sending' AND lock_key IS NOT NULL"),
            postgresql_where=sa.text("state = 'sending' AND lock_key IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_outbox_entries_subject_id"))
        batch_op.drop_index("ix_outbox_entries_due")

    op.drop_table("outbox_entries")
