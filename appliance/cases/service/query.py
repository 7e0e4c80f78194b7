"""Public progress query (办件进度查询, R-K7): case number + last 4 phone digits, or the
case's 查询码 from the notice's QR link.

Anyone may ask, so the answer is guarded three ways:

* the check: the case's random 查询码 (``case_file.query_token``, in the QR link of every
  notice), or the last 4 digits of the applicant's phone (the agent's when the applicant
  left none; a case with neither opens only by its QR link);
* no enumeration: an unknown number, wrong digits and a wrong token give the same 404;
* no guessing: failed attempts are limited per client address (``case_query_ip_*``); over
  the limit the answer is 429 with the time to come back. Never per case: a stranger's
  wrong guesses must not lock the applicant out, and the QR link is never limited while it
  is right. Successful queries are never counted. The counters live in memory (one server
  process) and follow the injected clock.

The answer (``PublicCaseView``) is masked: 张*三 style names, no ID number, no full phone,
no staff member, no address or signature record.
"""

from __future__ import annotations

import hmac
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from appliance.calendar.service import CalendarService
from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.case_number import parse_case_number
from appliance.cases.rules.deadlines import DUE_STATUS_LABELS, DueStatus, due_view
from appliance.cases.rules.public_progress import (
    SUFFIX_DIGITS,
    public_outcome,
    public_steps,
    suffix_matches,
)
from appliance.cases.rules.working_days import ByDateCoverage
from appliance.cases.schemas import CaseQueryIn, PublicCaseView, PublicStepView
from appliance.cases.service.codec import decode_case
from appliance.cases.tables import CaseRecord
from appliance.core.clock import Clock
from appliance.core.errors import Invalid, NotFound
from appliance.core.masking import mask_name
from appliance.core.rate_limit import FailureLimit, FailureLimiter, TooManyAttempts
from appliance.db.database import Database
from appliance.settings import Settings

NOT_FOUND_MESSAGE = "未找到该办件，请核对办件编号和手机号后4位"
MAX_NUMBER_LENGTH = 40


@dataclass(frozen=True)
class QueryInput:
    case_number: str  # normalised
    last4: str  # "" when a token is given
    token: str = ""


def _text(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def parse_query(body: CaseQueryIn) -> QueryInput:
    """Check the form: a well-formed case number and exactly 4 digits (400 otherwise)."""
    raw_number = _text(body.case_number)
    if not raw_number:
        raise Invalid("请输入办件编号", "field_required")
    if len(raw_number) > MAX_NUMBER_LENGTH:
        raise Invalid("办件编号过长，应形如 YZ0001-20261123-0007", "bad_case_number")
    number = str(parse_case_number(raw_number))
    token = body.token.strip()
    if token:
        return QueryInput(number, "", token)
    last4 = _text(body.phone_last4)
    if not last4:
        raise Invalid("请输入手机号后4位", "field_required")
    if len(last4) != SUFFIX_DIGITS or not (last4.isascii() and last4.isdigit()):
        raise Invalid("手机号后4位应为4位数字", "bad_phone_last4")
    return QueryInput(number, last4)


class CaseQueryService:
    """办件进度查询 with its guessing limits (one instance per server process)."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)
        self.by_client = FailureLimiter(
            FailureLimit(
                settings.case_query_ip_max_failures,
                timedelta(minutes=settings.case_query_ip_window_minutes),
            ),
            clock,
        )

    def _check_limits(self, client: str) -> None:
        wait = self.by_client.blocked_for(client)
        if wait is None:
            return
        until = (self.clock.now() + wait).astimezone(self.tz)
        minutes = max(1, -(-int(wait.total_seconds()) // 60))
        raise TooManyAttempts(
            f"查询失败次数过多，为保护您的信息，请于 {until:%H:%M} 后再试（约 {minutes} 分钟）；"
            "如有疑问请到服务站窗口咨询",
            wait,
        )

    def query(self, body: CaseQueryIn, client: str) -> PublicCaseView:
        """The public view of one case, or 400 / 404 / 429 with a Chinese message."""
        q = parse_query(body)
        client = client or "unknown"
        self._check_limits(client)
        with self.db.read() as s:
            row = s.exec(select(CaseRecord).where(CaseRecord.case_number == q.case_number)).first()
            data = row.data if row is not None else None
            stored_token = row.query_token if row is not None else ""
        case = decode_case(data) if data is not None else None
        if q.token:
            ok = bool(stored_token) and hmac.compare_digest(q.token.encode(), stored_token.encode())
        else:
            ok = case is not None and suffix_matches(case.applicant, q.last4)
        if case is None or not ok:
            self.by_client.record_failure(client)
            raise NotFound(NOT_FOUND_MESSAGE, "case_not_found")
        return self._view(case)

    def _local(self, at: datetime) -> str:
        return f"{at.astimezone(self.tz):%Y-%m-%d %H:%M}"

    def _view(self, case: CaseFile) -> PublicCaseView:
        calendar = ByDateCoverage(CalendarService(self.db, self.clock).calendar())
        today = self.clock.now().astimezone(self.tz).date()
        due = due_view(case, today, calendar, self.settings.case_reminder_working_days)
        outcome = public_outcome(case)
        agent = case.applicant.agent
        return PublicCaseView(
            case_number=case.number,
            item_name=case.item.name,
            applicant_name=mask_name(case.applicant.name),
            agent_name=mask_name(agent.name) if agent is not None else None,
            state=case.state,
            state_label=case.state_label,
            received_on=case.received_on,
            accepted_on=case.accepted_on,
            due_on=due.due,
            due_provisional=due.provisional,
            due_status=due.status,
            due_status_label=DUE_STATUS_LABELS[due.status],
            overdue=due.status in (DueStatus.OVERDUE, DueStatus.DONE_LATE),
            outcome_title=outcome.title,
            outcome_lines=list(outcome.lines),
            steps=[
                PublicStepView(
                    at=self._local(st.at), label=st.label, state_label=st.state_label, note=st.note
                )
                for st in public_steps(case)
            ],
            station_name=self.settings.station_name,
            station_phone=self.settings.station_phone,
        )
