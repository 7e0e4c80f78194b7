"""delegation facts: one row per station 帮办 / 代办 for the dashboard

Revision ID: c010_delegation
Revises: c008_consultations
Create Date: 2026-12-07 10:00:00

- ``delegation_fact``: number, kind, state, the day logged, the period end, the ground of a
  中止 and the day completed of every 帮办 and 代办 (R-D1, R-D2) a station syncs
  (``delegation.*`` events); nothing personal.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "c010_delegation"
down_revision = "c008_consultations"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "delegation_fact",
        sa.Column("station_id", STR(length=32), nullable=False),
        sa.Column("delegation_id", STR(length=64), nullable=False),
        sa.Column("number", STR(length=32), nullable=False),
        sa.Column("kind", STR(length=16), nullable=False),
        sa.Column("status", STR(length=16), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("suspend_reason", STR(length=32), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "delegation_id"),
    )
    op.create_index(
        "ix_delegation_fact_status", "delegation_fact", ["status", "station_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_delegation_fact_status", table_name="delegation_fact")
    op.drop_table("delegation_fact")
