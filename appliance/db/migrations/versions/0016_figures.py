"""Station figures: daily roll-ups of the event log (日汇总, R-M1)

Revision ID: 0016_figures
Revises: 0015_contacts
Create Date: 2026-12-03 14:00:00

- ``figure_day``: one row per station-local day, the roll-up as JSON;
- ``figure_mark``: the event ``seq`` the roll-ups are complete up to;
- ``ix_event_occurred_at``: re-reading one day's events without scanning the log.

The roll-ups are derived data: they start empty and fill from the event log on first read.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import appliance.db.types

revision = "0016_figures"
down_revision = "0015_contacts"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
UTC_DT = appliance.db.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "figure_day",
        sa.Column("day", STR(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("followups", sa.Integer(), nullable=False),
        sa.Column("followups_closed", sa.Integer(), nullable=False),
        sa.Column("complaints", sa.Integer(), nullable=False),
        sa.Column("complaints_closed", sa.Integer(), nullable=False),
        sa.Column("built_at", UTC_DT(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "figure_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_event_occurred_at", "event", ["occurred_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_event_occurred_at", table_name="event")
    op.drop_table("figure_mark")
    op.drop_table("figure_day")
