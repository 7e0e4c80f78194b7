"""Reissue the 受理通知书 when the holiday recompute moves a 办结期限 (issue 16, item 3).

The applicant holds a notice with a provisional date; once the county's calendar covers the
year and the date moves, the sweep keeps and prints a new 受理通知书 with the new date
(kind ``acceptance_reissued``, filed under the case's last decision) and sends the
``case_deadline_changed`` SMS in the same transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo

from sqlmodel import Session

from appliance.cases.rules.table import Notice
from appliance.cases.rules.working_days import WorkingDays
from appliance.cases.service.codec import decode_case
from appliance.cases.service.notice_context import (
    IssuedNotice,
    NoticeContext,
    item_forms,
    receiver_for,
    with_query_link,
)
from appliance.cases.service.notice_store import StagedNotice, record, render
from appliance.cases.service.notices import BUILDERS, KIND_OF, _issue
from appliance.cases.service.sms import sms_values
from appliance.cases.tables import CaseRecord
from appliance.jobs.service.sms import queue_sms
from appliance.settings import Settings

KIND = "acceptance_reissued"
TITLE_SUFFIX = "（办结期限调整后重新出具）"


def prepare_reissue(
    s: Session, row: CaseRecord, settings: Settings, cal: WorkingDays, now: datetime, tz: tzinfo
) -> tuple[int, list[tuple[IssuedNotice, bytes]]]:
    """(seq, rendered) of the new 受理通知书 of ``row`` (read in ``s``), rendered
    outside the write lock."""
    case = decode_case(row.data)
    today = now.astimezone(tz).date()
    receiver = receiver_for(s, fallback_staff_id=row.staff_id)
    ctx = NoticeContext(settings, receiver, today, cal, item_forms(s, row.item_code))
    issued = _issue(KIND_OF[Notice.ACCEPTANCE], BUILDERS[Notice.ACCEPTANCE](ctx, case, case))
    issued = replace(issued, kind=KIND, title=issued.title + TITLE_SUFFIX)
    linked = with_query_link([issued], settings, row.case_number, row.query_token)
    return len(case.history), render(linked)


def tell_applicant(
    s: Session,
    row: CaseRecord,
    settings: Settings,
    staged: list[StagedNotice],
    seq: int,
    now: datetime,
    tz: tzinfo,
) -> None:
    """In the recompute's write: keep and print the notice, queue the SMS."""
    case = decode_case(row.data)
    record(s, row.id, row.case_number, seq, staged, now)
    if case.applicant.phone:
        today = now.astimezone(tz).date()
        values = sms_values(settings.station_name, case, row.due_on, "", today, row.due_provisional)
        queue_sms(s, "case_deadline_changed", case.applicant.phone, values, now)
