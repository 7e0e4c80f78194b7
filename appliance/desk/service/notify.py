"""Telling the visitor who handles a transferred matter (告知处置部门及人员, R-P1): by SMS
through the durable SMS queue, or on a printed slip (转办告知单) through the print-job queue.

Both are written in the caller's transaction, so the entry, the message or slip, the step
and the event commit together; the hardware service sends or prints them later. The SMS
never carries the visitor's name.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from sqlmodel import Session

from appliance.core.errors import Conflict
from appliance.core.masking import mask_phone
from appliance.core.roles import Principal
from appliance.desk.rules import NOTIFY_LABELS, SMS_KIND, DeskStep, NotifyBy
from appliance.desk.service.store import add_step, event
from appliance.desk.tables import DeskEntry
from appliance.documents.pdf import Notice, chinese_date
from appliance.jobs.service.print_jobs import add_print_job
from appliance.jobs.service.sms import queue_sms
from appliance.settings import Settings

SLIP_TITLE = "“办不成事”转办告知单"
SLIP_FOOTER = "本告知单交服务对象留存；本站将跟踪办理结果，一帮到底。"


def handler_text(row: DeskEntry) -> str:
    """承办人 as the visitor reads it: name, and phone when known."""
    phone = f"（电话 {row.handler_phone}）" if row.handler_phone else ""
    return f"{row.handler_name}{phone}"


def build_slip(row: DeskEntry, settings: Settings, today: date) -> Notice:
    """转办告知单: the problem, the department and the named handler, who registered it."""
    told = chinese_date(row.business_date)
    body = [
        f"您于{told}在本站“办不成事”反映窗口反映的问题已登记（登记编号 {row.number}）。"
        f"该问题属于本级事权，本站已于{told}转交{row.handler_dept}处理，"
        f"承办人为{row.handler_name}。请与承办人联系，本站将跟踪办理结果并及时反馈。",
    ]
    rows = [
        ("反映问题", row.problem),
        ("承办部门", row.handler_dept),
        ("承办人", row.handler_name),
        ("承办人电话", row.handler_phone or "—"),
        ("登记人", row.staff_name),
    ]
    if settings.station_phone:
        rows.append(("本站电话", settings.station_phone))
    return Notice(
        title=SLIP_TITLE,
        number=row.number,
        station_name=settings.station_name,
        date=today,
        body=body,
        rows=rows,
        addressee=row.visitor_name,
        footer=SLIP_FOOTER,
    )


def tell_visitor(
    s: Session,
    row: DeskEntry,
    by: NotifyBy,
    settings: Settings,
    actor: Principal,
    now: datetime,
    today: date,
) -> None:
    """Queue the SMS or the slip, and record it on the entry (step and event)."""
    if by is NotifyBy.SMS:
        values = {
            "station": settings.station_name,
            "ref": row.number,
            "dept": row.handler_dept,
            "handler": handler_text(row),
        }
        msg = queue_sms(s, SMS_KIND, row.visitor_phone, values, now)
        if msg is None:
            raise Conflict(
                "短信模板“办不成事转办告知”缺失，无法发送短信；请改用书面告知单", "no_template"
            )
        row.sms_id = msg.id
        text = f"短信告知 {mask_phone(row.visitor_phone)}：承办部门 {row.handler_dept}，承办人 {handler_text(row)}"
    else:
        job = add_print_job(
            s, "notice", {"notice": asdict(build_slip(row, settings, today))}, now, copies=1
        )
        row.print_job_id = job.id
        text = f"打印转办告知单交服务对象：承办部门 {row.handler_dept}，承办人 {handler_text(row)}"
    row.notify_by, row.notified_at, row.updated_at = by.value, now, now
    s.add(row)
    s.flush()
    add_step(s, row, DeskStep.NOTIFY, actor, text, now)
    event(
        s,
        "notified",
        row,
        now,
        by=by.value,
        by_label=NOTIFY_LABELS[by],
        sms_id=row.sms_id if by is NotifyBy.SMS else None,
        print_job_id=row.print_job_id if by is NotifyBy.PAPER else None,
    )
