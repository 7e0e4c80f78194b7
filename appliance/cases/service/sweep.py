"""The case sweep (办件巡检, R-K2, R-K3, R-K6): one pass over the open cases.

In order:
1. 期限重算: a provisional 办结期限 (a year without holiday data) is recomputed once the
   calendar covers it (``case.due_recomputed``);
2. 逾期视为受理: a case still in 收件 past its acceptance deadline is accepted from the day
   of receipt (``auto_accept`` by 系统, with its notice and SMS, through ``CaseService.act``);
3. 容缺逾期: a 容缺 commitment past its deadline with materials owed → ``lapse`` (the
   applicant is flagged, the service queues the case_lapsed SMS);
4. escalations (``domain.cases.escalation``): 到期提醒 and 超期 write ``case.reminder`` /
   ``case.overdue`` once per case and due date (``case_escalation`` remembers), and every
   condition keeps one staff alert (``alert`` kind ``case_<kind>``) open while it holds.

Each change is its own transaction, re-read inside the write lock, so the sweep is
idempotent (a second pass finds nothing to do) and safe next to staff actions: a case that
changed meanwhile is skipped (a refused action) or judged on its new state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, or_, select

from appliance.alerts.tables import Alert
from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.deadlines import auto_acceptance, case_deadline, tolerant_overdue
from appliance.cases.rules.escalation import (
    ESCALATION_LABELS,
    EscalationKind,
    case_label,
    escalations,
    short_day,
)
from appliance.cases.rules.states import Action, CaseState
from appliance.cases.rules.working_days import WorkingDays
from appliance.cases.schemas import CaseActionIn
from appliance.cases.service.cases import CaseService
from appliance.cases.service.codec import decode_case
from appliance.cases.service.notice_store import commit_with_files
from appliance.cases.service.reads import DONE_STATES
from appliance.cases.service.reissue import prepare_reissue, tell_applicant
from appliance.cases.tables import CaseEscalation, CaseRecord
from appliance.core.clock import Clock
from appliance.core.errors import DomainError
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.settings import Settings

log = logging.getLogger("yizhan.cases.sweep")
SYSTEM_ACTOR = "系统"
ALERT_PREFIX = "case_"  # alert kinds: case_reminder, case_overdue, … (the TUI groups them)
CASE_EVENTS = {EscalationKind.REMINDER: "case.reminder", EscalationKind.OVERDUE: "case.overdue"}
WHAT_LABELS = {
    "recomputed": "期限重算",
    "auto_accept": "视为受理",
    "lapse": "容缺逾期",
    **{k.value: v for k, v in ESCALATION_LABELS.items()},
    "cleared": "解除预警",
    "skipped": "跳过",
}
SYSTEM_REASONS = {
    Action.AUTO_ACCEPT: "受理期限内未作出决定，依规视为受理",
    Action.LAPSE: "容缺补齐期限已过，材料仍未补齐",
}


@dataclass(frozen=True)
class SweepLine:
    """One thing the sweep did to one case (``what`` is a ``WHAT_LABELS`` key)."""

    what: str
    case_number: str
    text: str  # Chinese, personal data masked


@dataclass
class SweepReport:
    """What one pass did."""

    day: date
    looked_at: int = 0
    lines: list[SweepLine] = field(default_factory=list)

    def add(self, what: str, case_number: str, text: str) -> None:
        self.lines.append(SweepLine(what, case_number, text))

    def count(self, what: str) -> int:
        return sum(1 for line in self.lines if line.what == what)

    @property
    def changed(self) -> bool:
        return any(line.what != "skipped" for line in self.lines)

    def text_lines(self) -> list[str]:
        """The report as printed by ``yizhan cases sweep``."""
        head = f"办件巡检（{self.day.isoformat()}）：检查 {self.looked_at} 件"
        if not self.lines:
            return [f"{head}，没有需要处理的办件"]
        counts = "、".join(
            f"{label} {self.count(what)} 件"
            for what, label in WHAT_LABELS.items()
            if self.count(what)
        )
        return [f"{head}，{counts}", *(f"  · {WHAT_LABELS[x.what]}：{x.text}" for x in self.lines)]


class _Changed(Exception):
    """The case changed between the read and the write of a recompute."""


class SweepCases(CaseService):
    """``CaseService`` plus the two helpers the sweep needs (case_service.py stays as is)."""

    def working_days(self) -> WorkingDays:
        return self._calendar()

    def reproject(self, row: CaseRecord, case: CaseFile, cal: WorkingDays, now: datetime) -> None:
        """Recompute the row's projections (state, materials, 办结期限) from ``case``."""
        self._project(row, case, cal, now)


class CaseSweep:
    """One pass over the open cases; ``run`` returns what it did."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.cases = SweepCases(db, settings, clock)

    def run(self) -> SweepReport:
        cal = self.cases.working_days()
        now = self.clock.now()
        today = now.astimezone(self.cases.tz).date()
        report = SweepReport(today)
        self._recompute(cal, now, report)
        self._decide(cal, today, report)
        self._escalate(cal, today, report)
        return report

    # ---- 1. provisional deadlines ---------------------------------------------------------
    def _recompute(self, cal: WorkingDays, now: datetime, report: SweepReport) -> None:
        with self.db.read() as s:
            rows = s.exec(
                select(CaseRecord.id, CaseRecord.data, CaseRecord.due_on).where(
                    col(CaseRecord.due_provisional).is_(True)
                )
            ).all()
        for case_id, data, due_on in rows:
            if _due_key(decode_case(data), cal) != (due_on, True):
                self._recompute_one(case_id, cal, now, report)

    def _recompute_one(
        self, case_id: str, cal: WorkingDays, now: datetime, report: SweepReport
    ) -> None:
        with self.db.read() as s:
            row = s.get(CaseRecord, case_id)
            if row is None or not row.due_provisional:
                return
            case, data, number = decode_case(row.data), row.data, row.case_number
            due = _due_key(case, cal)
            if due == (row.due_on, True):
                return
            # the applicant holds the old date: a new notice and an SMS (issue 16, item 3)
            moved = due[0] != row.due_on and case.accepted_on is not None
            tz = self.cases.tz
            seq, rendered = (
                prepare_reissue(s, row, self.settings, cal, now, tz) if moved else (0, [])
            )
        staged = self.cases.files.prepare(number, seq, rendered)

        def write(s: Session) -> None:
            row = s.get(CaseRecord, case_id)
            if row is None or row.data != data or not row.due_provisional:
                raise _Changed
            before = row.due_on
            self.cases.reproject(row, case, cal, now)
            s.add(row)
            append_event(
                s,
                "case.due_recomputed",
                "case",
                row.id,
                {
                    **_case_payload(row),
                    "from_due": before,
                    "due_on": row.due_on,
                    "due_provisional": row.due_provisional,
                },
                now,
            )
            if moved:
                tell_applicant(s, row, self.settings, staged, seq, now, tz)
            text = f"{case_label(case)} 办结期限 {before or '—'} → {row.due_on or '—'}"
            if row.due_provisional:
                text += "（仍为暂定）"
            report.add("recomputed", row.case_number, text)

        try:
            commit_with_files(self.db, self.cases.files, staged, write)
        except _Changed:
            return  # a decision landed meanwhile: the next sweep looks again

    # ---- 2–3. auto-acceptance and lapsed tolerance ----------------------------------------
    def _decide(self, cal: WorkingDays, today: date, report: SweepReport) -> None:
        waiting = [CaseState.RECEIVED.value, CaseState.TOLERANT_ACCEPTED.value]
        with self.db.read() as s:
            rows = s.exec(
                select(CaseRecord.case_number, CaseRecord.data).where(
                    col(CaseRecord.state).in_(waiting)
                )
            ).all()
        for number, data in rows:
            case = decode_case(data)
            if auto_acceptance(case, today, cal).applies:
                self._act(
                    number,
                    Action.AUTO_ACCEPT,
                    report,
                    (
                        f"{case_label(case)} 受理期限已过，自收件日 {short_day(case.received_on)} 起视为受理"
                    ),
                )
            elif tolerant_overdue(case, today):
                assert case.tolerant is not None
                self._act(
                    number,
                    Action.LAPSE,
                    report,
                    (
                        f"{case_label(case)} 容缺补齐期限 {short_day(case.tolerant.deadline)} 已过，"
                        "已标记申请人并短信告知"
                    ),
                )

    def _act(self, number: str, action: Action, report: SweepReport, text: str) -> None:
        try:
            self.cases.act(
                number,
                action.value,
                CaseActionIn(reason=SYSTEM_REASONS[action]),
                SYSTEM_ACTOR,
                system=True,
            )
        except DomainError as exc:  # changed meanwhile (a staff decision): next pass judges
            log.info("case sweep skipped %s %s: %s", action.value, number, exc.message)
            report.add("skipped", number, f"{number} {exc.message}")
            return
        report.add(action.value, number, text)

    # ---- 4. escalations ---------------------------------------------------------------------
    def _escalate(self, cal: WorkingDays, today: date, report: SweepReport) -> None:
        remind = self.settings.case_reminder_working_days
        with self.db.read() as s:
            open_keys: dict[str, set[tuple[str, str]]] = {}
            for e in s.exec(select(CaseEscalation).where(col(CaseEscalation.cleared_at).is_(None))):
                open_keys.setdefault(e.case_id, set()).add((e.kind, e.due_on))
            rows = s.exec(
                select(CaseRecord.id, CaseRecord.data).where(
                    or_(
                        col(CaseRecord.state).not_in([st.value for st in DONE_STATES]),
                        col(CaseRecord.id).in_(list(open_keys)),
                    )
                )
            ).all()
        report.looked_at = len(rows)
        now = self.clock.now()
        for case_id, data in rows:
            wanted = _keys(decode_case(data), today, cal, remind)
            if wanted != open_keys.get(case_id, set()):
                with self.db.write() as s:
                    self._escalate_one(s, case_id, cal, today, now, report)

    def _escalate_one(
        self,
        s: Session,
        case_id: str,
        cal: WorkingDays,
        today: date,
        now: datetime,
        report: SweepReport,
    ) -> None:
        """Bring one case's escalations in line with its current conditions (one transaction)."""
        row = s.get(CaseRecord, case_id)
        if row is None:
            return
        case = decode_case(row.data)
        wanted = {
            (e.kind.value, e.on.isoformat()): e
            for e in escalations(case, today, cal, self.settings.case_reminder_working_days)
        }
        known = {
            (e.kind, e.due_on): e
            for e in s.exec(select(CaseEscalation).where(CaseEscalation.case_id == case_id))
        }
        for key, cond in wanted.items():
            esc = known.get(key)
            if esc is not None and esc.cleared_at is None:
                continue
            alert = Alert(kind=ALERT_PREFIX + cond.kind.value, message=cond.message, raised_at=now)
            s.add(alert)
            if esc is None:
                esc = CaseEscalation(
                    case_id=row.id,
                    case_number=row.case_number,
                    kind=cond.kind.value,
                    due_on=key[1],
                    raised_at=now,
                )
                event = CASE_EVENTS.get(cond.kind)
                if event is not None:
                    append_event(
                        s,
                        event,
                        "case",
                        row.id,
                        {
                            **_case_payload(row),
                            "due_on": key[1],
                            "due_provisional": row.due_provisional,
                        },
                        now,
                    )
            esc.alert_id, esc.cleared_at = alert.id, None
            s.add(esc)
            s.flush()
            append_event(
                s,
                "alert.raised",
                "alert",
                alert.id,
                {"kind": alert.kind, "message": alert.message},
                now,
            )
            report.add(cond.kind.value, row.case_number, cond.message)
        for key, esc in known.items():
            if esc.cleared_at is not None or key in wanted:
                continue
            esc.cleared_at = now
            s.add(esc)
            shown = s.get(Alert, esc.alert_id) if esc.alert_id else None
            if shown is not None and shown.cleared_at is None:
                shown.cleared_at = now
                s.add(shown)
                s.flush()
                append_event(s, "alert.cleared", "alert", shown.id, {"kind": shown.kind}, now)
            label = ESCALATION_LABELS[EscalationKind(esc.kind)]
            report.add(
                "cleared", row.case_number, f"{row.case_number} {label}（{esc.due_on}）已解除"
            )


def _due_key(case: CaseFile, cal: WorkingDays) -> tuple[str | None, bool]:
    """(办结期限, provisional) as the row stores them, for an accepted case."""
    deadline = case_deadline(case, cal)
    if deadline is None:
        return None, False
    return (deadline.due.isoformat() if deadline.due else None), deadline.provisional


def _keys(case: CaseFile, today: date, cal: WorkingDays, remind: int) -> set[tuple[str, str]]:
    return {(e.kind.value, e.on.isoformat()) for e in escalations(case, today, cal, remind)}


def _case_payload(row: CaseRecord) -> dict[str, object]:
    """What a case event carries for the county (no personal data)."""
    return {
        "case_number": row.case_number,
        "item_code": row.item_code,
        "item_name": row.item_name,
        "state": row.state,
        "staff_id": row.staff_id,
        "actor": SYSTEM_ACTOR,
    }


def sweep_main(settings: Settings, clock: Clock) -> int:
    """``yizhan cases sweep``: one pass, printed in Chinese; 0 on success."""
    db = Database(settings.sqlalchemy_url)
    try:
        report = CaseSweep(db, settings, clock).run()
    finally:
        db.dispose()
    print("\n".join(report.text_lines()))
    return 0


__all__ = ["CaseSweep", "SweepReport", "sweep_main"]
