"""Inputs: the progress-query token of each case, and the case-number reservation

Revision ID: 0009_inputs
Revises: 0008
Create Date: 2026-12-03 12:00:00

``case_file.query_token`` (查询码) is the random token in the notices' QR link, which opens
the case's progress page without the phone digits (R-K7); every existing case gets its own
token here (its notices already printed keep their old link, which still asks for the
digits). ``case_number_seq`` keeps the last case number handed out per day, so intake can
reserve a number before it renders the 收件凭证 (R-K1); it starts from the existing cases.
"""

import secrets

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009_inputs"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "query_token",
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default="",
            )
        )
    bind = op.get_bind()
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM case_file"))]
    for case_id in ids:
        bind.execute(
            sa.text("UPDATE case_file SET query_token = :t WHERE id = :id"),
            {"t": secrets.token_urlsafe(16), "id": case_id},
        )
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_file_query_token"), ["query_token"], unique=False)

    op.create_table(
        "case_number_seq",
        sa.Column("business_date", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("business_date"),
    )
    bind.execute(
        sa.text(
            "INSERT INTO case_number_seq (business_date, last_seq) "
            "SELECT business_date, max(seq) FROM case_file GROUP BY business_date"
        )
    )


def downgrade() -> None:
    op.drop_table("case_number_seq")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_file_query_token"))
        batch_op.drop_column("query_token")
