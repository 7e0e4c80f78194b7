"""case facts: one row per station case for 电子监察 and figures

Revision ID: c002
Revises: c001
Create Date: 2026-11-24 10:00:00

- ``case_fact``: item, state, 办结期限, decision date and the overdue / due-soon flags of
  every case a station syncs (``case.*`` events); no personal data.
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'c002'
down_revision = 'c001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_fact',
    sa.Column('station_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('item_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('item_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('overdue_for', sa.Date(), nullable=True),
    sa.Column('reminded_for', sa.Date(), nullable=True),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.Column('due_soon', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('station_id', 'case_number')
    )
    op.create_index('ix_case_fact_flags', 'case_fact', ['overdue', 'due_soon'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_case_fact_flags', table_name='case_fact')
    op.drop_table('case_fact')
