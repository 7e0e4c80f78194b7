"""SMS templates for a 办结期限 moved by the holiday recompute (issue 16, item 3) and for a
ticket of a category nobody is serving (item 2: no wait is promised)

Revision ID: 0021_truth
Revises: 0019_faults
Create Date: 2026-12-03 14:30:00

A provisional 办结期限 (a year without holiday data) is recomputed once the county's calendar
arrives; when the date moves, the applicant is told by SMS (``case_deadline_changed``).
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0021_truth"
down_revision = "0019_faults"
branch_labels = None
depends_on = None

# Literal body, as of this revision (``TEMPLATE_LABELS`` in
# ``appliance/jobs/rules/sms_templates.py`` names it).
TEMPLATES = {
    "ticket_issued_unstaffed": "【{station}】您已取号 {number}（{category}），前面还有 {ahead} "
    "人。目前暂无工作人员在窗口办理此类业务，等候时间无法估计，请咨询引导台。",
    "case_deadline_changed": "【{station}】您申请的“{item}”（办件编号 {case}）的办结期限"
    "按节假日安排调整为{deadline}，请以此为准，原暂定日期作废。",
}


def _template() -> sa.TableClause:
    return sa.table(
        "sms_template",
        sa.column("kind", sa.String),
        sa.column("body", sa.String),
        sa.column("updated_at", sa.DateTime),
    )


def upgrade() -> None:
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
