"""Fault log and emergency records (故障台账、应急处置记录)

Revision ID: 0019_faults
Revises: 0018_appointments
Create Date: 2026-12-05 14:00:00

- ``fault`` and ``fault_action``: faults graded as HN-4 6.3.1 grades them, with their
  handling steps and the people told (R-I1);
- ``emergency`` and ``emergency_step``: the emergency checklists run and which steps were
  done, when and by whom (R-I2).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import appliance.db.types

revision = "0019_faults"
down_revision = "0018_appointments"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
UTC_DT = appliance.db.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "fault",
        sa.Column("id", STR(), nullable=False),
        sa.Column("number", STR(), nullable=False),
        sa.Column("business_date", STR(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", STR(), nullable=False),
        sa.Column("scope", STR(), nullable=True),
        sa.Column("source", STR(), nullable=False),
        sa.Column("title", STR(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("status", STR(), nullable=False),
        sa.Column("level", STR(), nullable=False),
        sa.Column("opened_at", UTC_DT(), nullable=False),
        sa.Column("opened_by_id", STR(), nullable=True),
        sa.Column("opened_by_name", STR(), nullable=False),
        sa.Column("ended_at", UTC_DT(), nullable=True),
        sa.Column("closed_at", UTC_DT(), nullable=True),
        sa.Column("closed_by_id", STR(), nullable=True),
        sa.Column("closed_by_name", STR(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("updated_at", UTC_DT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("business_date", "seq", name="uq_fault_day_seq"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_fault_business_date", "fault", ["business_date"])
    op.create_index("ix_fault_source", "fault", ["source"])
    op.create_index("ix_fault_status", "fault", ["status"])
    op.create_table(
        "fault_action",
        sa.Column("id", STR(), nullable=False),
        sa.Column("fault_id", STR(), nullable=False),
        sa.Column("kind", STR(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", UTC_DT(), nullable=False),
        sa.Column("staff_id", STR(), nullable=True),
        sa.Column("staff_name", STR(), nullable=False),
        sa.ForeignKeyConstraint(["fault_id"], ["fault.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_fault_action_fault_id", "fault_action", ["fault_id"])
    op.create_table(
        "emergency",
        sa.Column("id", STR(), nullable=False),
        sa.Column("number", STR(), nullable=False),
        sa.Column("business_date", STR(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", STR(), nullable=False),
        sa.Column("started_at", UTC_DT(), nullable=False),
        sa.Column("staff_id", STR(), nullable=False),
        sa.Column("staff_name", STR(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("ended_at", UTC_DT(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("business_date", "seq", name="uq_emergency_day_seq"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_emergency_business_date", "emergency", ["business_date"])
    op.create_table(
        "emergency_step",
        sa.Column("emergency_id", STR(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("done_at", UTC_DT(), nullable=False),
        sa.Column("staff_id", STR(), nullable=False),
        sa.Column("staff_name", STR(), nullable=False),
        sa.ForeignKeyConstraint(["emergency_id"], ["emergency.id"]),
        sa.PrimaryKeyConstraint("emergency_id", "step"),
    )


def downgrade() -> None:
    op.drop_table("emergency_step")
    op.drop_index("ix_emergency_business_date", table_name="emergency")
    op.drop_table("emergency")
    op.drop_index("ix_fault_action_fault_id", table_name="fault_action")
    op.drop_table("fault_action")
    op.drop_index("ix_fault_status", table_name="fault")
    op.drop_index("ix_fault_source", table_name="fault")
    op.drop_index("ix_fault_business_date", table_name="fault")
    op.drop_table("fault")
