"""consultation facts: one row per station consultation for the dashboard

Revision ID: c008_consultations
Revises: c002
Create Date: 2026-12-05 10:00:00

- ``consultation_fact``: number, channel, status, the day asked, the agreed reply date and
  the day answered of every consultation (咨询台账, R-C2) a station syncs
  (``consultation.*`` events); nothing personal.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "c008_consultations"
down_revision = "c007_archives"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consultation_fact",
        sa.Column("station_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("consultation_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=True),
        sa.Column("reply_due", sa.Date(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("overdue_reported", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "consultation_id"),
    )
    op.create_index(
        "ix_consultation_fact_open", "consultation_fact", ["status", "reply_due"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_consultation_fact_open", table_name="consultation_fact")
    op.drop_table("consultation_fact")
