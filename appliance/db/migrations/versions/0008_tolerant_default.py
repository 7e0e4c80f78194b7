"""容缺失信记录: applicants who let a tolerant-acceptance commitment lapse

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 10:00:00

Existing cases already flagged (``applicant_flagged`` in ``case_file.data``) are carried
into the new table, so a field database keeps refusing 容缺 to those applicants.
"""
import json
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import appliance.db.types
from appliance.core.ids import new_id

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tolerant_default',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('id_number', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('applicant_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('item_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('lapsed_on', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', appliance.db.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_number')
    )
    with op.batch_alter_table('tolerant_default', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tolerant_default_id_number'), ['id_number'], unique=False)

    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT case_number, item_name, data, updated_at FROM case_file WHERE data LIKE :flag"
    ), {"flag": '%"applicant_flagged": true%'}).all()
    table = sa.table(
        "tolerant_default", sa.column("id", sa.String), sa.column("id_number", sa.String),
        sa.column("applicant_name", sa.String), sa.column("case_number", sa.String),
        sa.column("item_name", sa.String), sa.column("lapsed_on", sa.String),
        sa.column("created_at", sa.DateTime),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    carried = []
    for number, item, data, updated in rows:
        applicant = json.loads(data).get("applicant") or {}
        if applicant.get("id_number"):
            carried.append({
                "id": new_id(), "id_number": applicant["id_number"],
                "applicant_name": applicant.get("name", ""), "case_number": number,
                "item_name": item, "lapsed_on": str(updated)[:10], "created_at": now,
            })
    if carried:
        op.bulk_insert(table, carried)


def downgrade() -> None:
    with op.batch_alter_table('tolerant_default', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tolerant_default_id_number'))
    op.drop_table('tolerant_default')
