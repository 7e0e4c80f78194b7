"""First contact, consultations and the knowledge base (首问登记、咨询台账、知识库)

Revision ID: 0015_contacts
Revises: 0014_archives
Create Date: 2026-12-05 10:00:00

- ``contact``: every visitor contact, its first responder, the responsible one and the
  outcome (R-C1);
- ``consultation``: the consultation ledger with the agreed reply date and the reply (R-C2);
- ``knowledge_entry``: the question-and-answer knowledge base, the station's own entries
  and those the county publishes (R-C3).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import appliance.db.types

revision = "0015_contacts"
down_revision = "0014_archives"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
UTC_DT = appliance.db.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("id", STR(), nullable=False),
        sa.Column("business_date", STR(), nullable=False),
        sa.Column("occurred_at", UTC_DT(), nullable=False),
        sa.Column("channel", STR(), nullable=False),
        sa.Column("matter", STR(), nullable=False),
        sa.Column("item_code", STR(), nullable=True),
        sa.Column("visitor_name", STR(), nullable=False),
        sa.Column("visitor_contact", STR(), nullable=False),
        sa.Column("first_staff_id", STR(), nullable=False),
        sa.Column("first_staff_name", STR(), nullable=False),
        sa.Column("first_staff_role", STR(), nullable=False),
        sa.Column("second_staff_id", STR(), nullable=True),
        sa.Column("second_staff_name", STR(), nullable=False),
        sa.Column("second_staff_role", STR(), nullable=False),
        sa.Column("responsible_staff_id", STR(), nullable=False),
        sa.Column("responsible_staff_name", STR(), nullable=False),
        sa.Column("outcome", STR(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("referred_to", STR(), nullable=False),
        sa.Column("guided_to", STR(), nullable=False),
        sa.Column("ticket_id", STR(), nullable=True),
        sa.Column("ticket_number", STR(), nullable=False),
        sa.Column("consultation_id", STR(), nullable=True),
        sa.Column("consultation_number", STR(), nullable=False),
        sa.Column("case_number", STR(), nullable=True),
        sa.Column("knowledge_id", STR(), nullable=True),
        sa.Column("closed_at", UTC_DT(), nullable=True),
        sa.Column("closed_by", STR(), nullable=True),
        sa.Column("updated_at", UTC_DT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_business_date"), ["business_date"])
        batch_op.create_index(batch_op.f("ix_contact_outcome"), ["outcome"])
        batch_op.create_index(
            batch_op.f("ix_contact_responsible_staff_id"), ["responsible_staff_id"]
        )

    op.create_table(
        "consultation",
        sa.Column("id", STR(), nullable=False),
        sa.Column("number", STR(), nullable=False),
        sa.Column("business_date", STR(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("asked_at", UTC_DT(), nullable=False),
        sa.Column("channel", STR(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("visitor_name", STR(), nullable=False),
        sa.Column("visitor_contact", STR(), nullable=False),
        sa.Column("status", STR(), nullable=False),
        sa.Column("reply_due", STR(), nullable=True),
        sa.Column("reply_due_provisional", sa.Boolean(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", UTC_DT(), nullable=True),
        sa.Column("answered_by_id", STR(), nullable=True),
        sa.Column("answered_by_name", STR(), nullable=False),
        sa.Column("staff_id", STR(), nullable=False),
        sa.Column("staff_name", STR(), nullable=False),
        sa.Column("contact_id", STR(), nullable=True),
        sa.Column("knowledge_id", STR(), nullable=True),
        sa.Column("promoted_id", STR(), nullable=True),
        sa.Column("alert_id", STR(), nullable=True),
        sa.Column("overdue_reported", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC_DT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("business_date", "seq", name="uq_consultation_day_seq"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultation_business_date"), ["business_date"])
        batch_op.create_index(batch_op.f("ix_consultation_reply_due"), ["reply_due"])
        batch_op.create_index(batch_op.f("ix_consultation_status"), ["status"])

    op.create_table(
        "knowledge_entry",
        sa.Column("id", STR(), nullable=False),
        sa.Column("source", STR(), nullable=False),
        sa.Column("ref_id", STR(), nullable=True),
        sa.Column("question", STR(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("keywords", STR(), nullable=False),
        sa.Column("question_initials", STR(), nullable=False),
        sa.Column("keyword_initials", STR(), nullable=False),
        sa.Column("asked_count", sa.Integer(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("consultation_id", STR(), nullable=True),
        sa.Column("consultation_number", STR(), nullable=True),
        sa.Column("created_by", STR(), nullable=False),
        sa.Column("created_at", UTC_DT(), nullable=False),
        sa.Column("updated_at", UTC_DT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("knowledge_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_knowledge_entry_active"), ["active"])
        batch_op.create_index(batch_op.f("ix_knowledge_entry_ref_id"), ["ref_id"])
        batch_op.create_index(batch_op.f("ix_knowledge_entry_source"), ["source"])


def downgrade() -> None:
    with op.batch_alter_table("knowledge_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_knowledge_entry_source"))
        batch_op.drop_index(batch_op.f("ix_knowledge_entry_ref_id"))
        batch_op.drop_index(batch_op.f("ix_knowledge_entry_active"))
    op.drop_table("knowledge_entry")
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_status"))
        batch_op.drop_index(batch_op.f("ix_consultation_reply_due"))
        batch_op.drop_index(batch_op.f("ix_consultation_business_date"))
    op.drop_table("consultation")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_responsible_staff_id"))
        batch_op.drop_index(batch_op.f("ix_contact_outcome"))
        batch_op.drop_index(batch_op.f("ix_contact_business_date"))
    op.drop_table("contact")
