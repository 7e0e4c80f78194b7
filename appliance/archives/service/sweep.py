"""The archive pass (归档巡检, R-A1): build every due package, then alert on late ones.

The server runs :func:`archive_pass` every ``archive_sweep_seconds``
(``appliance.workers.archive_watch``); ``yizhan archive build`` runs the same pass once.
Building automatically is the default because a package needs no decision from staff — it
is the record of what was done. A package that cannot be built (a kept notice lost or
altered) stays due: 7 days before its deadline it raises a 临期 alert
(``archive_due_soon``), after it an 逾期 alert (``archive_overdue``); building clears it.
One alert per case, re-judged under the write lock, so a pass is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, select

from appliance.alerts.tables import Alert
from appliance.archives import rules
from appliance.archives.service.archives import ArchiveService, Due, clear_due_alert
from appliance.archives.tables import ArchiveDueAlert, ArchivePackage
from appliance.cases.service.codec import decode_case
from appliance.cases.tables import CaseRecord
from appliance.events.log import append_event

KINDS = {rules.Urgency.SOON: "archive_due_soon", rules.Urgency.OVERDUE: "archive_overdue"}


@dataclass
class ArchivePassReport:
    built: list[str] = field(default_factory=list)  # archive numbers
    failed: list[str] = field(default_factory=list)  # Chinese lines
    alerts: list[str] = field(default_factory=list)  # case numbers alerted


def alert_message(d: Due, u: rules.Urgency) -> str:
    """No personal data: alerts reach the county as events."""
    if u is rules.Urgency.OVERDUE:
        return (
            f"办件 {d.case_number} 已于 {d.completed_on} 办结，归档期限 {d.due_on} 已过，"
            "归档信息包仍未生成，请在“归档”界面处理"
        )
    return (
        f"办件 {d.case_number} 的归档期限为 {d.due_on}（办结后 1 个月），归档信息包尚未生成，"
        "请在“归档”界面处理"
    )


def _judge(s: Session, d: Due, u: rules.Urgency, now: datetime) -> bool:
    kind = KINDS.get(u)
    built = s.exec(select(ArchivePackage).where(ArchivePackage.case_id == d.row_id)).first()
    case = s.get(CaseRecord, d.row_id)
    if case is None or (
        built is not None and built.case_version == len(decode_case(case.data).history)
    ):
        return False  # built meanwhile
    mark = s.get(ArchiveDueAlert, d.row_id)
    if mark is not None and mark.kind == kind:
        return False
    clear_due_alert(s, d.row_id, now)
    if kind is None:
        return False
    alert = Alert(kind=kind, message=alert_message(d, u), raised_at=now)
    s.add(alert)
    s.flush()
    s.add(
        ArchiveDueAlert(case_id=d.row_id, case_number=d.case_number, kind=kind, alert_id=alert.id)
    )
    append_event(
        s, "alert.raised", "alert", alert.id, {"kind": kind, "message": alert.message}, now
    )
    return True


def raise_alerts(archives: ArchiveService, today: date) -> list[str]:
    raised = []
    for d in archives.due_cases():
        u = rules.urgency(d.due_on, today)
        with archives.db.write() as s:
            if _judge(s, d, u, archives.clock.now()):
                raised.append(d.case_number)
    return raised


def archive_pass(archives: ArchiveService) -> ArchivePassReport:
    report = ArchivePassReport()
    done = archives.build_due()
    report.built = [p.archive_no for p in done.built]
    report.failed = done.failed
    report.alerts = raise_alerts(archives, archives.today())
    return report
