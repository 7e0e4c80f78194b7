"""Ratings (好差评) and the follow-up of bad ratings (回访)

Revision ID: 0011_ratings
Revises: 0010_appliance
Create Date: 2026-12-04 09:00:00

- ``rating``: one rating per finished service (unique on the service), with its channel;
- ``rating_followup`` and ``rating_followup_step``: the 回访 of each bad rating, step by step;
- ``rating_invite``: the 邀请评价 SMS after a finished case, to match the reply;
- the SMS template ``rating_invite``.

Ratings given before this revision were events only (``rating.keypad_pressed``, one per key
press, several per service); they stay in the event log and are not turned into rows.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import appliance.db.types

revision = "0011_ratings"
down_revision = "0010_appliance"
branch_labels = None
depends_on = None

INVITE = (
    "【{station}】您申请的“{item}”（办件编号 {case}）已办理结束。请回复数字评价本次服务："
    "5非常满意 4满意 3基本满意 2不满意 1非常不满意，不满意请一并说明原因。"
)

S = sqlmodel.sql.sqltypes.AutoString
T = appliance.db.types.UtcDateTime


def _template() -> sa.TableClause:
    return sa.table(
        "sms_template",
        sa.column("kind", sa.String),
        sa.column("body", sa.String),
        sa.column("updated_at", sa.DateTime),
    )


def upgrade() -> None:
    op.create_table(
        "rating",
        sa.Column("id", S(), nullable=False),
        sa.Column("subject_kind", S(), nullable=False),
        sa.Column("subject_id", S(), nullable=False),
        sa.Column("subject_ref", S(), nullable=False),
        sa.Column("service_date", S(), nullable=False),
        sa.Column("finished_at", T(), nullable=False),
        sa.Column("window_number", sa.Integer(), nullable=True),
        sa.Column("staff_id", S(), nullable=True),
        sa.Column("category_id", S(), nullable=True),
        sa.Column("item_code", S(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("dimensions", sa.Text(), nullable=False),
        sa.Column("reason", S(), nullable=True),
        sa.Column("reason_text", sa.Text(), nullable=False),
        sa.Column("source", S(), nullable=False),
        sa.Column("source_ref", S(), nullable=True),
        sa.Column("transcribed_by", S(), nullable=True),
        sa.Column("transcribed_by_name", S(), nullable=True),
        sa.Column("real_name", sa.Boolean(), nullable=False),
        sa.Column("contact_phone", S(), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("rated_at", T(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subject_kind", "subject_id", name="uq_rating_subject"),
    )
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.create_index("ix_rating_service_date", ["service_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_rating_source_ref"), ["source_ref"], unique=False)

    op.create_table(
        "rating_followup",
        sa.Column("id", S(), nullable=False),
        sa.Column("rating_id", S(), nullable=False),
        sa.Column("state", S(), nullable=False),
        sa.Column("opened_at", T(), nullable=False),
        sa.Column("opened_on", S(), nullable=False),
        sa.Column("contact_due", S(), nullable=False),
        sa.Column("rectify_due", S(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("closed_at", T(), nullable=True),
        sa.Column("contact_overdue_at", T(), nullable=True),
        sa.Column("rectify_overdue_at", T(), nullable=True),
        sa.Column("alert_id", S(), nullable=True),
        sa.Column("appeal_grounds", S(), nullable=True),
        sa.Column("appeal_by", S(), nullable=True),
        sa.Column("appeal_text", sa.Text(), nullable=True),
        sa.Column("appeal_at", T(), nullable=True),
        sa.Column("appeal_filed_by", S(), nullable=True),
        sa.Column("appeal_upheld", sa.Boolean(), nullable=True),
        sa.Column("appeal_decision", sa.Text(), nullable=True),
        sa.Column("appeal_decided_by", S(), nullable=True),
        sa.Column("appeal_decided_at", T(), nullable=True),
        sa.ForeignKeyConstraint(["rating_id"], ["rating.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rating_id"),
    )
    with op.batch_alter_table("rating_followup", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rating_followup_state"), ["state"], unique=False)

    op.create_table(
        "rating_followup_step",
        sa.Column("id", S(), nullable=False),
        sa.Column("followup_id", S(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("step", S(), nullable=False),
        sa.Column("who_id", S(), nullable=False),
        sa.Column("who_name", S(), nullable=False),
        sa.Column("at", T(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["followup_id"], ["rating_followup.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("followup_id", "seq", name="uq_rating_followup_step"),
    )
    with op.batch_alter_table("rating_followup_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rating_followup_step_followup_id"), ["followup_id"], unique=False
        )

    op.create_table(
        "rating_invite",
        sa.Column("id", S(), nullable=False),
        sa.Column("subject_kind", S(), nullable=False),
        sa.Column("subject_id", S(), nullable=False),
        sa.Column("subject_ref", S(), nullable=False),
        sa.Column("phone_key", S(), nullable=False),
        sa.Column("sms_id", S(), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("expires_at", T(), nullable=False),
        sa.Column("answered_at", T(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subject_kind", "subject_id", name="uq_rating_invite"),
    )
    with op.batch_alter_table("rating_invite", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rating_invite_phone_key"), ["phone_key"], unique=False)

    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(_template(), [{"kind": "rating_invite", "body": INVITE, "updated_at": now}])


def downgrade() -> None:
    t = _template()
    op.execute(t.delete().where(t.c.kind == "rating_invite"))
    with op.batch_alter_table("rating_invite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_invite_phone_key"))
    op.drop_table("rating_invite")
    with op.batch_alter_table("rating_followup_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_followup_step_followup_id"))
    op.drop_table("rating_followup_step")
    with op.batch_alter_table("rating_followup", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_followup_state"))
    op.drop_table("rating_followup")
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_source_ref"))
        batch_op.drop_index("ix_rating_service_date")
    op.drop_table("rating")
