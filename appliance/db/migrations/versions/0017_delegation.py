"""帮办代办 (help and delegation, R-D1, R-D2)

Revision ID: 0017_delegation
Revises: 0016_figures
Create Date: 2026-12-07 10:00:00

- ``delegation``: every 帮办 and 代办 — applicant, matter, content, agent, period, state,
  the ground of a 中止, the result, whether the rating is open;
- ``delegation_entry``: the ledger lines (分派, 进展反馈 with its SMS, 中止, 续办, the fees
  the applicant paid, 上门服务, 办结);
- ``delegation_visit``: home visits (上门服务) scheduled as tasks;
- ``delegation_document``: the printed papers (委托书, 中止单, 续办委托书, 办结单), byte for byte;
- SMS template ``delegation_progress`` (进展反馈 to the applicant; no name in it).
"""

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import appliance.db.types

revision = "0017_delegation"
down_revision = "0016_figures"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
UTC_DT = appliance.db.types.UtcDateTime

TEMPLATES = {
    "delegation_progress": "【{station}】您委托办理的事项（编号 {ref}）进展：{answer}",
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
        "delegation",
        sa.Column("id", STR(), nullable=False),
        sa.Column("number", STR(), nullable=False),
        sa.Column("business_date", STR(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", STR(), nullable=False),
        sa.Column("status", STR(), nullable=False),
        sa.Column("applicant_name", STR(), nullable=False),
        sa.Column("applicant_id_number", STR(), nullable=False),
        sa.Column("applicant_phone", STR(), nullable=False),
        sa.Column("applicant_address", STR(), nullable=False),
        sa.Column("item_name", STR(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("responsibilities", sa.Text(), nullable=False),
        sa.Column("period_start", STR(), nullable=True),
        sa.Column("period_end", STR(), nullable=True),
        sa.Column("agent_id", STR(), nullable=False),
        sa.Column("agent_name", STR(), nullable=False),
        sa.Column("staff_id", STR(), nullable=False),
        sa.Column("staff_name", STR(), nullable=False),
        sa.Column("created_at", UTC_DT(), nullable=False),
        sa.Column("suspend_reason", STR(), nullable=True),
        sa.Column("suspend_note", STR(), nullable=False),
        sa.Column("suspended_at", UTC_DT(), nullable=True),
        sa.Column("continuations", sa.Integer(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("completed_at", UTC_DT(), nullable=True),
        sa.Column("rating_open", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC_DT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("business_date", "seq", name="uq_delegation_day_seq"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("delegation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delegation_business_date"), ["business_date"])
        batch_op.create_index(batch_op.f("ix_delegation_status"), ["status"])
    op.create_table(
        "delegation_entry",
        sa.Column("id", STR(), nullable=False),
        sa.Column("delegation_id", STR(), nullable=False),
        sa.Column("at", UTC_DT(), nullable=False),
        sa.Column("kind", STR(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("staff_id", STR(), nullable=False),
        sa.Column("staff_name", STR(), nullable=False),
        sa.Column("sms_id", STR(), nullable=True),
        sa.Column("amount_fen", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["delegation_id"], ["delegation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_delegation_entry_delegation", "delegation_entry", ["delegation_id", "at"])
    op.create_table(
        "delegation_visit",
        sa.Column("id", STR(), nullable=False),
        sa.Column("delegation_id", STR(), nullable=False),
        sa.Column("scheduled_for", UTC_DT(), nullable=False),
        sa.Column("address", STR(), nullable=False),
        sa.Column("purpose", STR(), nullable=False),
        sa.Column("staff_id", STR(), nullable=False),
        sa.Column("staff_name", STR(), nullable=False),
        sa.Column("status", STR(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("done_at", UTC_DT(), nullable=True),
        sa.Column("created_at", UTC_DT(), nullable=False),
        sa.ForeignKeyConstraint(["delegation_id"], ["delegation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_delegation_visit_due", "delegation_visit", ["status", "scheduled_for"])
    op.create_table(
        "delegation_document",
        sa.Column("id", STR(), nullable=False),
        sa.Column("delegation_id", STR(), nullable=False),
        sa.Column("kind", STR(), nullable=False),
        sa.Column("number", STR(), nullable=False),
        sa.Column("created_at", UTC_DT(), nullable=False),
        sa.Column("sha256", STR(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["delegation_id"], ["delegation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("delegation_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delegation_document_delegation_id"), ["delegation_id"])
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
    with op.batch_alter_table("delegation_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegation_document_delegation_id"))
    op.drop_table("delegation_document")
    op.drop_index("ix_delegation_visit_due", table_name="delegation_visit")
    op.drop_table("delegation_visit")
    op.drop_index("ix_delegation_entry_delegation", table_name="delegation_entry")
    op.drop_table("delegation_entry")
    with op.batch_alter_table("delegation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegation_status"))
        batch_op.drop_index(batch_op.f("ix_delegation_business_date"))
    op.drop_table("delegation")
