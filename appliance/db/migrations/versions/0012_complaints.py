""" "办不成事" register and complaints (办不成事登记、投诉受理)

Revision ID: 0012_complaints
Revises: 0011_ratings
Create Date: 2026-12-06 10:00:00

- ``desk_entry`` / ``desk_step``: the "办不成事" register: each problem, its kind (simple,
  complex with its 5-working-day deadline, outside the remit, transferred to a named
  handler), how the visitor was told, the result; every step with who, when and the text
  (R-P1);
- ``complaint`` / ``complaint_step``: complaints from any channel, confidential on request,
  from 核实 to 办结 with the answer; every step with who, when and the text (R-P2);
- SMS templates ``desk_transferred`` (the visitor told the handler) and
  ``complaint_answered`` (the answer by SMS); neither carries a name.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import appliance.db.types

revision = "0012_complaints"
down_revision = "0011_ratings"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
UTC_DT = appliance.db.types.UtcDateTime

# Literal bodies, as of this revision (``DEFAULT_TEMPLATES`` in
# ``appliance/jobs/rules/sms_templates.py`` says the same; a test keeps them equal).
TEMPLATES = {
    "desk_transferred": "【{station}】您反映的问题（登记编号 {ref}）已转交{dept}处理，"
    "承办人：{handler}。本站将跟踪办理结果。",
    "complaint_answered": "【{station}】您的投诉（编号 {ref}）答复如下：{answer}",
}


def _template() -> sa.TableClause:
    return sa.table(
        "sms_template",
        sa.column("kind", sa.String),
        sa.column("body", sa.String),
        sa.column("updated_at", sa.DateTime),
    )


def upgrade() -> None:
    op.create_table(
        "desk_entry",
        sa.Column("id", STR(), nullable=False),
        sa.Column("number", STR(), nullable=False),
        sa.Column("business_date", STR(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("reported_at", UTC_DT(), nullable=False),
        sa.Column("kind", STR(), nullable=False),
        sa.Column("problem_type", STR(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("item_name", STR(), nullable=False),
        sa.Column("case_number", STR(), nullable=False),
        sa.Column("visitor_name", STR(), nullable=False),
        sa.Column("visitor_phone", STR(), nullable=False),
        sa.Column("status", STR(), nullable=False),
        sa.Column("due_on", STR(), nullable=True),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("referral", STR(), nullable=False),
        sa.Column("handler_dept", STR(), nullable=False),
        sa.Column("handler_name", STR(), nullable=False),
        sa.Column("handler_phone", STR(), nullable=False),
        sa.Column("transferred_at", UTC_DT(), nullable=True),
        sa.Column("notify_by", STR(), nullable=True),
        sa.Column("notified_at", UTC_DT(), nullable=True),
        sa.Column("sms_id", STR(), nullable=True),
        sa.Column("print_job_id", STR(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("closed_at", UTC_DT(), nullable=True),
        sa.Column("closed_by_id", STR(), nullable=True),
        sa.Column("closed_by_name", STR(), nullable=False),
        sa.Column("staff_id", STR(), nullable=False),
        sa.Column("staff_name", STR(), nullable=False),
        sa.Column("alert_id", STR(), nullable=True),
        sa.Column("overdue_reported", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC_DT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("business_date", "seq", name="uq_desk_entry_day_seq"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("desk_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_entry_business_date"), ["business_date"])
        batch_op.create_index(batch_op.f("ix_desk_entry_due_on"), ["due_on"])
        batch_op.create_index(batch_op.f("ix_desk_entry_status"), ["status"])

    op.create_table(
        "desk_step",
        sa.Column("id", STR(), nullable=False),
        sa.Column("entry_id", STR(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("step", STR(), nullable=False),
        sa.Column("who_id", STR(), nullable=False),
        sa.Column("who_name", STR(), nullable=False),
        sa.Column("at", UTC_DT(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["desk_entry.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entry_id", "seq", name="uq_desk_step"),
    )
    with op.batch_alter_table("desk_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_step_entry_id"), ["entry_id"])

    op.create_table(
        "complaint",
        sa.Column("id", STR(), nullable=False),
        sa.Column("number", STR(), nullable=False),
        sa.Column("business_date", STR(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("received_at", UTC_DT(), nullable=False),
        sa.Column("channel", STR(), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("complainant_name", STR(), nullable=False),
        sa.Column("complainant_phone", STR(), nullable=False),
        sa.Column("complainant_contact", STR(), nullable=False),
        sa.Column("about", STR(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("state", STR(), nullable=False),
        sa.Column("finding", STR(), nullable=True),
        sa.Column("transferred_to", STR(), nullable=False),
        sa.Column("transfer_handler", STR(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answer_via", STR(), nullable=True),
        sa.Column("answered_at", UTC_DT(), nullable=True),
        sa.Column("answered_by_name", STR(), nullable=False),
        sa.Column("sms_id", STR(), nullable=True),
        sa.Column("closed_at", UTC_DT(), nullable=True),
        sa.Column("closed_by_id", STR(), nullable=True),
        sa.Column("closed_by_name", STR(), nullable=False),
        sa.Column("staff_id", STR(), nullable=False),
        sa.Column("staff_name", STR(), nullable=False),
        sa.Column("updated_at", UTC_DT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("business_date", "seq", name="uq_complaint_day_seq"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_business_date"), ["business_date"])
        batch_op.create_index(batch_op.f("ix_complaint_confidential"), ["confidential"])
        batch_op.create_index(batch_op.f("ix_complaint_state"), ["state"])

    op.create_table(
        "complaint_step",
        sa.Column("id", STR(), nullable=False),
        sa.Column("complaint_id", STR(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("step", STR(), nullable=False),
        sa.Column("who_id", STR(), nullable=False),
        sa.Column("who_name", STR(), nullable=False),
        sa.Column("at", UTC_DT(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("complaint_id", "seq", name="uq_complaint_step"),
    )
    with op.batch_alter_table("complaint_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_step_complaint_id"), ["complaint_id"])

    now = datetime.now(UTC)
    known = {row[0] for row in op.get_bind().execute(sa.text("SELECT kind FROM sms_template"))}
    rows = [
        {"kind": kind, "body": body, "updated_at": now}
        for kind, body in TEMPLATES.items()
        if kind not in known
    ]
    if rows:
        op.bulk_insert(_template(), rows)


def downgrade() -> None:
    kinds = ", ".join(f"'{kind}'" for kind in TEMPLATES)
    op.execute(f"DELETE FROM sms_template WHERE kind IN ({kinds})")
    with op.batch_alter_table("complaint_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_step_complaint_id"))
    op.drop_table("complaint_step")
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_state"))
        batch_op.drop_index(batch_op.f("ix_complaint_confidential"))
        batch_op.drop_index(batch_op.f("ix_complaint_business_date"))
    op.drop_table("complaint")
    with op.batch_alter_table("desk_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_step_entry_id"))
    op.drop_table("desk_step")
    with op.batch_alter_table("desk_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_entry_status"))
        batch_op.drop_index(batch_op.f("ix_desk_entry_due_on"))
        batch_op.drop_index(batch_op.f("ix_desk_entry_business_date"))
    op.drop_table("desk_entry")
