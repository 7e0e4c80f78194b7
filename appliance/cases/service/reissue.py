"""Reissue the notice that gave the 办结期限 when the holiday recompute moves it (issue 16,
item 3).

The applicant holds a notice with a provisional date; once the county's calendar covers the
year and the date moves, the sweep keeps and prints that notice again with the new date,
filed under the case's last decision, and sends the ``case_deadline_changed`` SMS in the
same transaction. The date came from the 延期告知书 when the case was extended (kind
``extension_reissued``), else from the 受理通知书 (kind ``acceptance_reissued``).
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
EXTENSION_KIND = "extension_reissued"
TITLE_SUFFIX = "（办结期限调整后重新出具）"


def prepare_reissue(
    s: Session, row: CaseRecord, settings: Settings, cal: WorkingDays, now: datetime, tz: tzinfo
) -> tuple[int, list[tuple[IssuedNotice, bytes]]]:
    """(seq, rendered) of the new 受理通知书 or 延期告知书 of ``row`` (read in ``s``),
    rendered outside the write lock."""
    case = decode_case(row.data)
    today = now.astimezone(tz).date()
    receiver = receiver_for(s, fallback_staff_id=row.staff_id)
    ctx = NoticeContext(settings, receiver, today, cal, item_forms(s, row.item_code))
    if case.extensions:  # the date the applicant holds is the 延期告知书's
        before = replace(case, extensions=case.extensions[:-1])
        data = BUILDERS[Notice.EXTENSION](ctx, before, case)
        issued = replace(_issue(KIND_OF[Notice.EXTENSION], data), kind=EXTENSION_KIND)
    else:
        data = BUILDERS[Notice.ACCEPTANCE](ctx, case, case)
        issued = replace(_issue(KIND_OF[Notice.ACCEPTANCE], data), kind=KIND)
    issued = replace(issued, title=issued.title + TITLE_SUFFIX)
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
