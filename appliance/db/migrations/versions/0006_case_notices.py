"""case notices kept with the case, case SMS with deadlines and reasons

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 09:00:00

- ``case_notice``: one row per notice PDF issued on a case (the file lives under
  ``Settings.case_notice_path``).
- ``ix_case_file_staff_due``: "my cases, nearest deadline first" stays an index walk.
- Case SMS templates gain ``{case}``/``{item}``/``{deadline}``/``{reason}``; a template a
  station has edited since 0005 is left as the station wrote it.
"""
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import appliance.db.types

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The 0005 bodies, to tell an untouched template from one the station edited.
OLD = {
    "case_accepted": "【{station}】您申请的“{category}”已受理，办件编号 {number}，"
    "可凭编号和手机号后4位查询进度。",
    "case_correction": "【{station}】您申请的“{category}”（办件编号 {number}）材料需补正，"
    "请按补正通知书所列一次性补齐。",
    "case_refused": "【{station}】您申请的“{category}”（办件编号 {number}）不予受理，"
    "理由及救济途径见不予受理通知书。",
    "case_decided": "【{station}】您申请的“{category}”（办件编号 {number}）已办结，"
    "结果请留意取件通知。",
    "case_pickup": "【{station}】您申请的“{category}”（办件编号 {number}）办理结果已到站，"
    "请携带身份证件到窗口领取。",
}
NEW = {
    "case_accepted": "【{station}】您申请的“{item}”已受理，办件编号 {case}，"
    "承诺{deadline}前办结，可凭编号和手机号后4位查询进度。",
    "case_correction": "【{station}】您申请的“{item}”（办件编号 {case}）材料需补正，"
    "请于{deadline}前按补正通知书所列一次性补齐。",
    "case_refused": "【{station}】您申请的“{item}”（办件编号 {case}）不予受理，"
    "理由：{reason}。救济途径见不予受理通知书。",
    "case_decided": "【{station}】您申请的“{item}”（办件编号 {case}）已办结，"
    "结果请留意取件通知。",
    "case_pickup": "【{station}】您申请的“{item}”（办件编号 {case}）办理结果已到站，"
    "请携带身份证件到窗口领取。",
}
ADDED = {
    "case_extended": "【{station}】您申请的“{item}”（办件编号 {case}）办理期限延长至{deadline}，"
    "理由：{reason}。",
    "case_lapsed": "【{station}】您申请的“{item}”（办件编号 {case}）容缺材料未按承诺期限补齐，"
    "本事项暂不能予以批准，请尽快到站补齐。",
}


def _template() -> sa.TableClause:
    return sa.table(
        "sms_template", sa.column("kind", sa.String), sa.column("body", sa.String),
        sa.column("updated_at", sa.DateTime),
    )


def upgrade() -> None:
    op.create_table('case_notice',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('case_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('transition_seq', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('path', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('print_job_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', appliance.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_notice_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_notice_case_number'), ['case_number'], unique=False)
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index('ix_case_file_staff_due', ['staff_id', 'due_on'], unique=False)

    now = datetime.now(UTC).replace(tzinfo=None)
    t = _template()
    for kind, body in NEW.items():
        op.execute(
            t.update().where(t.c.kind == kind, t.c.body == OLD[kind]).values(body=body, updated_at=now)
        )
    op.bulk_insert(t, [{"kind": k, "body": v, "updated_at": now} for k, v in ADDED.items()])


def downgrade() -> None:
    t = _template()
    op.execute(t.delete().where(t.c.kind.in_(list(ADDED))))
    for kind, body in NEW.items():
        op.execute(t.update().where(t.c.kind == kind, t.c.body == body).values(body=OLD[kind]))
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index('ix_case_file_staff_due')
    with op.batch_alter_table('case_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_notice_case_number'))
        batch_op.drop_index(batch_op.f('ix_case_notice_case_id'))
    op.drop_table('case_notice')
