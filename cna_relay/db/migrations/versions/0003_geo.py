"""geo: geocode cache

Revision ID: 0003_geo
Revises: 0002_accounts
Create Date: 2026-12-03 18:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_geo"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "geocode_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_geocode_cache")),
    )
    with op.batch_alter_table("geocode_cache", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_geocode_cache_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("geocode_cache", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_geocode_cache_expires_at"))

    op.drop_table("geocode_cache")
