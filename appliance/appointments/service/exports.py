"""预约台账 export (R-M3): every appointment whose slot falls in the period, CSV or XLSX."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from appliance.appointments.rules import CHANNEL_LABELS, STATUS_LABELS, Channel, Status
from appliance.appointments.service import store
from appliance.appointments.tables import Appointment
from appliance.db.database import Database
from appliance.documents.exports import DateRange, ExportFile, Sheet, export_file

EXPORT_HEADERS = (
    "预约号", "预约渠道", "业务类别", "办理事项", "预约日期", "预约时段", "预约人", "手机号",
    "状态", "优先补约", "一人多约", "签到时间", "取号", "原因", "登记人", "登记时间",
)  # fmt: skip


def export_book(db: Database, tz: ZoneInfo, period: DateRange, fmt: str) -> ExportFile:
    with db.read() as s:
        rows = s.exec(
            select(Appointment)
            .where(
                col(Appointment.slot_date) >= period.start.isoformat(),
                col(Appointment.slot_date) <= period.end.isoformat(),
            )
            .order_by(col(Appointment.slot_start), col(Appointment.number))
        ).all()
    lines = [
        (
            r.number,
            CHANNEL_LABELS[Channel(r.channel)],
            r.category_name,
            r.item_name,
            date.fromisoformat(r.slot_date),
            store.slot_label(r, tz),
            r.visitor_name,
            r.phone,
            STATUS_LABELS[Status(r.status)],
            r.priority,
            r.multi_booking,
            r.checked_in_at,
            r.ticket_number,
            r.reason,
            r.created_by,
            r.created_at,
        )  # fmt: skip
        for r in rows
    ]
    return export_file(Sheet("预约台账", EXPORT_HEADERS, lines), fmt, tz, "appointments", period)
