"""complaint facts: one row per station complaint for the open-complaints panel

Revision ID: c005_complaints
Revises: c002
Create Date: 2026-12-06 10:00:00

- ``complaint_fact``: number, channel, confidential flag, state, the complainant as shown
  outside the station (masked, 匿名 or （保密）), the scrubbed summary, finding, transfer and
  times of every complaint (投诉, R-P2) a station syncs (``complaint.*`` events).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "c005_complaints"
down_revision = "c002"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "complaint_fact",
        sa.Column("station_id", STR(length=32), nullable=False),
        sa.Column("complaint_id", STR(length=64), nullable=False),
        sa.Column("number", STR(length=32), nullable=False),
        sa.Column("channel", STR(length=16), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("state", STR(length=16), nullable=False),
        sa.Column("complainant", STR(length=50), nullable=False),
        sa.Column("about", STR(length=100), nullable=False),
        sa.Column("summary", STR(length=300), nullable=False),
        sa.Column("finding", STR(length=32), nullable=False),
        sa.Column("transferred_to", STR(length=100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "complaint_id"),
    )
    op.create_index(
        "ix_complaint_fact_state", "complaint_fact", ["state", "received_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_complaint_fact_state", table_name="complaint_fact")
    op.drop_table("complaint_fact")
