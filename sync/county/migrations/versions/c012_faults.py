"""fault facts: one row per station fault for the dashboard

Revision ID: c012_faults
Revises: c011_appointments
Create Date: 2026-12-05 14:00:00

- ``fault_fact``: number, kind, level, source, status and times of every fault (故障台账,
  R-I1) a station syncs (``fault.opened`` / ``fault.closed`` events); nothing personal.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "c012_faults"
down_revision = "c011_appointments"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "fault_fact",
        sa.Column("station_id", STR(length=32), nullable=False),
        sa.Column("fault_id", STR(length=64), nullable=False),
        sa.Column("number", STR(length=32), nullable=False),
        sa.Column("kind", STR(length=16), nullable=False),
        sa.Column("level", STR(length=4), nullable=False),
        sa.Column("source", STR(length=32), nullable=False),
        sa.Column("title", STR(length=300), nullable=False),
        sa.Column("status", STR(length=16), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "fault_id"),
    )
    op.create_index("ix_fault_fact_status", "fault_fact", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_fault_fact_status", table_name="fault_fact")
    op.drop_table("fault_fact")
