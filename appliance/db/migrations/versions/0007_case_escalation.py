"""case escalations: what the case sweep reminded and reported overdue

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00

- ``case_escalation``: one row per (case, kind, date) the sweep escalated (到期提醒, 超期,
  补正逾期, 取件通知逾期), so each is reported once per due date; open rows point at the
  staff alert that stays while the condition holds.
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

import appliance.db.types

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_escalation',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('case_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('due_on', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('alert_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('raised_at', appliance.db.types.UtcDateTime(), nullable=False),
    sa.Column('cleared_at', appliance.db.types.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'kind', 'due_on', name='uq_case_escalation_once')
    )
    with op.batch_alter_table('case_escalation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_escalation_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_escalation_cleared_at'), ['cleared_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_escalation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_escalation_cleared_at'))
        batch_op.drop_index(batch_op.f('ix_case_escalation_case_id'))
    op.drop_table('case_escalation')
