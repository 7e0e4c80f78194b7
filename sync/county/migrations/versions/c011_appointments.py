"""appointment facts: one row per station appointment (预约, R-Q7, R-Q8)

Revision ID: c011_appointments
Revises: c010_delegation
Create Date: 2026-12-03 14:00:00

- ``appointment_fact``: number, channel, status, category, slot day and time, the priority
  (停电断网补约) and 一人多约 flags of every appointment a station syncs (``appointment.*``
  events); nothing personal.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "c011_appointments"
down_revision = "c010_delegation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointment_fact",
        sa.Column("station_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("appointment_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("slot_date", sa.Date(), nullable=True),
        sa.Column("slot_time", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("multi_booking", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "appointment_id"),
    )
    op.create_index(
        "ix_appointment_fact_day", "appointment_fact", ["slot_date", "status"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_appointment_fact_day", table_name="appointment_fact")
    op.drop_table("appointment_fact")
