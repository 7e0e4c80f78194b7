"""archives: the stations' archive packages and their zips (一事一档, R-A3)

Revision ID: c007_archives
Revises: c002
Create Date: 2026-12-06 10:00:00

- ``county_archive``: every package a station's ``archive.built`` events announce, with its
  digests, and whether its zip arrived and checked out;
- ``county_archive_blob``: the zip (bytea).
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'c007_archives'
down_revision = 'c005_complaints'
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('county_archive',
    sa.Column('station_id', STR(length=32), nullable=False),
    sa.Column('archive_no', STR(length=64), nullable=False),
    sa.Column('case_number', STR(length=64), nullable=False),
    sa.Column('item_code', STR(length=64), nullable=False),
    sa.Column('item_name', STR(length=200), nullable=False),
    sa.Column('retention', STR(length=8), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('sha256', STR(length=64), nullable=False),
    sa.Column('content_digest', STR(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('file_count', sa.Integer(), nullable=False),
    sa.Column('status', STR(length=16), nullable=False),
    sa.Column('problems', STR(length=2000), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('station_id', 'archive_no')
    )
    op.create_index('ix_county_archive_status', 'county_archive', ['status'], unique=False)
    op.create_table('county_archive_blob',
    sa.Column('station_id', STR(length=32), nullable=False),
    sa.Column('archive_no', STR(length=64), nullable=False),
    sa.Column('sha256', STR(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('station_id', 'archive_no')
    )


def downgrade() -> None:
    op.drop_table('county_archive_blob')
    op.drop_index('ix_county_archive_status', table_name='county_archive')
    op.drop_table('county_archive')
