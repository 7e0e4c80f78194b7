"""The appliance: backup records (备份记录) for the age the staff terminal shows

Revision ID: 0010_appliance
Revises: 0009_inputs
Create Date: 2026-12-03 12:00:00

The hardware service's heartbeat needs no table: it is kept in the server's memory and a
change of verdict goes to the existing ``device_status`` row ``hwservice``.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import appliance.db.types

revision = "0010_appliance"
down_revision = "0009_inputs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "backup_record",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("taken_at", appliance.db.types.UtcDateTime(), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("usb_paths", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("manifest_sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("backup_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_backup_record_taken_at"), ["taken_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("backup_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_backup_record_taken_at"))
    op.drop_table("backup_record")
