"""Appointments and the outage register (预约台账、停电断网登记)

Revision ID: 0018_appointments
Revises: 0017_delegation
Create Date: 2026-12-03 14:00:00

- ``appointment``: every booking of a slot, its channel (现场, 电话, 网上, 县级平台,
  停电断网补约), what became of it (签到 → ticket, 过时作废, 取消) and the 一人多约 flag
  (R-Q7);
- ``outage``: the outage register; each visitor it lists gets a priority appointment on the
  next open day (R-Q8);
- the SMS templates of booking, reminder, cancellation, move and the outage offer.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import appliance.db.types

revision = "0018_appointments"
down_revision = "0017_delegation"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
UTC_DT = appliance.db.types.UtcDateTime

# Literal bodies, as of this revision (``DEFAULT_TEMPLATES`` in
# ``appliance/jobs/rules/sms_templates.py`` says the same).
TEMPLATES = {
    "appointment_booked": "【{station}】您已预约 {slot} 办理{category}，预约号 {ref}，"
    "请按时到站签到，过时作废。{materials}",
    "appointment_reminder": "【{station}】提醒：您预约了 {slot} 办理{category}"
    "（预约号 {ref}），请按时到站签到。{materials}",
    "appointment_cancelled": "【{station}】抱歉，您 {slot} 的预约（{ref}）已取消，"
    "原因：{reason}。如需办理请重新预约。",
    "appointment_moved": "【{station}】您的预约（{ref}）已改到 {slot}，原因：{reason}。",
    "appointment_offer": "【{station}】因{reason}未能为您办理，已为您优先预约 {slot}"
    "（{category}，预约号 {ref}），届时请到站签到。",
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
        "appointment",
        sa.Column("id", STR(), nullable=False),
        sa.Column("number", STR(), nullable=False),
        sa.Column("business_date", STR(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("channel", STR(), nullable=False),
        sa.Column("status", STR(), nullable=False),
        sa.Column("category_id", STR(), nullable=False),
        sa.Column("category_prefix", STR(), nullable=False),
        sa.Column("category_name", STR(), nullable=False),
        sa.Column("item_code", STR(), nullable=False),
        sa.Column("item_name", STR(), nullable=False),
        sa.Column("slot_date", STR(), nullable=False),
        sa.Column("slot_time", STR(), nullable=False),
        sa.Column("slot_start", UTC_DT(), nullable=False),
        sa.Column("slot_end", UTC_DT(), nullable=False),
        sa.Column("visitor_name", STR(), nullable=False),
        sa.Column("phone", STR(), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("multi_booking", sa.Boolean(), nullable=False),
        sa.Column("notice_by", STR(), nullable=False),
        sa.Column("print_job_id", STR(), nullable=True),
        sa.Column("ticket_id", STR(), nullable=True),
        sa.Column("ticket_number", STR(), nullable=False),
        sa.Column("checked_in_at", UTC_DT(), nullable=True),
        sa.Column("reason", STR(), nullable=False),
        sa.Column("moved", sa.Integer(), nullable=False),
        sa.Column("reminded_at", UTC_DT(), nullable=True),
        sa.Column("external_id", STR(), nullable=True),
        sa.Column("outage_id", STR(), nullable=True),
        sa.Column("created_by", STR(), nullable=False),
        sa.Column("created_at", UTC_DT(), nullable=False),
        sa.Column("updated_at", UTC_DT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("business_date", "seq", name="uq_appointment_day_seq"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("external_id"),
    )
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointment_business_date"), ["business_date"])
        batch_op.create_index(batch_op.f("ix_appointment_status"), ["status"])
        batch_op.create_index(
            "ix_appointment_slot", ["slot_date", "category_id", "slot_time"], unique=False
        )
        batch_op.create_index("ix_appointment_phone_day", ["phone", "slot_date"], unique=False)
    op.create_table(
        "outage",
        sa.Column("id", STR(), nullable=False),
        sa.Column("number", STR(), nullable=False),
        sa.Column("kind", STR(), nullable=False),
        sa.Column("started_at", UTC_DT(), nullable=False),
        sa.Column("ended_at", UTC_DT(), nullable=True),
        sa.Column("note", STR(), nullable=False),
        sa.Column("offer_date", STR(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("recorded_by", STR(), nullable=False),
        sa.Column("recorded_at", UTC_DT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
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
    op.drop_table("outage")
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index("ix_appointment_phone_day")
        batch_op.drop_index("ix_appointment_slot")
        batch_op.drop_index(batch_op.f("ix_appointment_status"))
        batch_op.drop_index(batch_op.f("ix_appointment_business_date"))
    op.drop_table("appointment")
