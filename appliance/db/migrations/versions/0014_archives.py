"""Archives: one archive information package per finished case (一事一档, R-A1–R-A3)

Revision ID: 0014_archives
Revises: 0012_complaints
Create Date: 2026-12-06 10:00:00

- ``archive_package``: each built package (zip under DATA_DIR/archives) with its digests;
- ``archive_due_alert``: the one open alert of a case whose package is late or nearly so;
- ``archive_transfer``, ``archive_transfer_round``, ``archive_transfer_line``: the paper
  transfer lists (移交清单, HN-5 附录A) with every round;
- ``catalogue_item.retention``: the item's 保管期限 (永久 / 30年 / 10年; "" = by 事项类型).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import appliance.db.types

revision = "0014_archives"
down_revision = "0012_complaints"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
UTC_DT = appliance.db.types.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "archive_package",
        sa.Column("id", STR(), nullable=False),
        sa.Column("case_id", STR(), nullable=False),
        sa.Column("case_number", STR(), nullable=False),
        sa.Column("archive_no", STR(), nullable=False),
        sa.Column("retention", STR(), nullable=False),
        sa.Column("item_code", STR(), nullable=False),
        sa.Column("item_name", STR(), nullable=False),
        sa.Column("completed_on", STR(), nullable=False),
        sa.Column("due_on", STR(), nullable=False),
        sa.Column("case_version", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("path", STR(), nullable=False),
        sa.Column("sha256", STR(), nullable=False),
        sa.Column("content_digest", STR(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("file_count", sa.Integer(), nullable=False),
        sa.Column("built_at", UTC_DT(), nullable=False),
        sa.Column("built_by", STR(), nullable=False),
        sa.Column("uploaded_sha256", STR(), nullable=False),
        sa.Column("uploaded_at", UTC_DT(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("archive_no"),
        sa.UniqueConstraint("case_id"),
    )
    op.create_index("ix_archive_package_case_number", "archive_package", ["case_number"])
    op.create_table(
        "archive_due_alert",
        sa.Column("case_id", STR(), nullable=False),
        sa.Column("case_number", STR(), nullable=False),
        sa.Column("kind", STR(), nullable=False),
        sa.Column("alert_id", STR(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"]),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_table(
        "archive_transfer",
        sa.Column("id", STR(), nullable=False),
        sa.Column("number", STR(), nullable=False),
        sa.Column("receiver", STR(), nullable=False),
        sa.Column("status", STR(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DT(), nullable=False),
        sa.Column("created_by", STR(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_archive_transfer_status", "archive_transfer", ["status"])
    op.create_table(
        "archive_transfer_round",
        sa.Column("id", STR(), nullable=False),
        sa.Column("transfer_id", STR(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("case_numbers", sa.Text(), nullable=False),
        sa.Column("note", STR(), nullable=False),
        sa.Column("submitted_at", UTC_DT(), nullable=False),
        sa.Column("submitted_by", STR(), nullable=False),
        sa.Column("pdf_path", STR(), nullable=False),
        sa.Column("pdf_sha256", STR(), nullable=False),
        sa.Column("outcome", STR(), nullable=False),
        sa.Column("outcome_at", UTC_DT(), nullable=True),
        sa.Column("outcome_by", STR(), nullable=False),
        sa.Column("outcome_reason", STR(), nullable=False),
        sa.ForeignKeyConstraint(["transfer_id"], ["archive_transfer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("transfer_id", "round", name="uq_transfer_round"),
    )
    op.create_index(
        "ix_archive_transfer_round_transfer_id", "archive_transfer_round", ["transfer_id"]
    )
    op.create_table(
        "archive_transfer_line",
        sa.Column("case_number", STR(), nullable=False),
        sa.Column("transfer_id", STR(), nullable=False),
        sa.ForeignKeyConstraint(["transfer_id"], ["archive_transfer.id"]),
        sa.PrimaryKeyConstraint("case_number"),
    )
    op.create_index(
        "ix_archive_transfer_line_transfer_id", "archive_transfer_line", ["transfer_id"]
    )
    with op.batch_alter_table("catalogue_item") as batch:
        batch.add_column(sa.Column("retention", STR(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("catalogue_item") as batch:
        batch.drop_column("retention")
    op.drop_index("ix_archive_transfer_line_transfer_id", table_name="archive_transfer_line")
    op.drop_table("archive_transfer_line")
    op.drop_index("ix_archive_transfer_round_transfer_id", table_name="archive_transfer_round")
    op.drop_table("archive_transfer_round")
    op.drop_index("ix_archive_transfer_status", table_name="archive_transfer")
    op.drop_table("archive_transfer")
    op.drop_table("archive_due_alert")
    op.drop_index("ix_archive_package_case_number", table_name="archive_package")
    op.drop_table("archive_package")
