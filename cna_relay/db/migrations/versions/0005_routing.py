"""routing corrections read back from InvGate

Revision ID: 0005_routing
Revises: 0004_reports
Create Date: 2026-12-03 17:30:50.754491
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_routing"
down_revision = "0004_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "routing_corrections",
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("predicted_helpdesk", sa.String(length=100), nullable=False),
        sa.Column("routed_helpdesk", sa.String(length=100), nullable=False),
        sa.Column("final_helpdesk", sa.String(length=100), nullable=True),
        sa.Column("changed", sa.Boolean(), nullable=False),
        sa.Column("ticket_status_id", sa.Integer(), nullable=True),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_routing_corrections_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_routing_corrections")),
    )
    with op.batch_alter_table("routing_corrections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routing_corrections_settled_at"), ["settled_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_routing_corrections_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("routing_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routing_corrections_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_routing_corrections_settled_at"))

    op.drop_table("routing_corrections")
