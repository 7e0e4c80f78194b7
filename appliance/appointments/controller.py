"""Appointment API (预约, R-Q7) and the outage register (停电断网登记, R-Q8).

Staff book (现场 / 电话), list a day, check in (the ticket comes back), cancel and move with
a reason; the station head exports any period. The booking page (``/book``) reads the slots
and books through the public routes, limited per client address (429).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from appliance.appointments.schemas import (
    AppointmentView,
    BookIn,
    CancelIn,
    CheckInView,
    DayStats,
    DayView,
    MoveIn,
    OutageIn,
    OutageView,
    PublicBookIn,
    PublicBookingView,
)
from appliance.appointments.service.booking import AppointmentService
from appliance.appointments.service.outages import OutageService
from appliance.core.roles import ALL_ROLES, ISSUE_ROLES, MANAGER_ROLES, Principal
from appliance.documents.exports import CSV_MEDIA, XLSX_MEDIA, ExportFile

STAFF = {"roles": ALL_ROLES}
CHECK_IN = {"roles": ISSUE_ROLES}
EXPORT = {"roles": MANAGER_ROLES}
PUBLIC = {"public": True}

Appointments = NamedDependency[AppointmentService]
Outages = NamedDependency[OutageService]
Me = NamedDependency[Principal]
Day = Annotated[date | None, Parameter(description="日期，默认今天")]
Category = Annotated[str, Parameter(max_length=64, description="业务类别字母或编号")]
Status = Annotated[
    str,
    Parameter(
        max_length=12,
        description="all 全部 · booked 已预约 · checked_in 已签到 · forfeited 过时作废 · "
        "cancelled 已取消",
    ),
]
Start = Annotated[date | None, Parameter(description="起始日期（含），默认结束日期前 30 天")]
End = Annotated[date | None, Parameter(description="结束日期（含），默认今天")]


def download(file: ExportFile) -> Response[bytes]:
    return Response(file.content, media_type=file.media_type, headers=file.headers())


class AppointmentController(Controller):
    path = "/api/appointments"

    @get("/slots", opt=STAFF, sync_to_thread=True)
    def slots(self, appointments: Appointments, category: Category, day: Day = None) -> DayView:
        """预约时段 of a category on a day, with what is still free."""
        return appointments.day(category, day or appointments.today())

    @get("/", opt=STAFF, sync_to_thread=True)
    def day_list(
        self, appointments: Appointments, day: Day = None, status: Status = "all"
    ) -> list[AppointmentView]:
        """One day's appointments by slot."""
        return appointments.list(day, status)

    @get("/stats", opt=STAFF, sync_to_thread=True)
    def stats(self, appointments: Appointments, day: Day = None) -> DayStats:
        """准时率 of a day; 一人多约 left out."""
        return appointments.stats(day)

    @get("/export.csv", opt=EXPORT, media_type=CSV_MEDIA, sync_to_thread=True)
    def export_csv(
        self, appointments: Appointments, start: Start = None, end: End = None
    ) -> Response[bytes]:
        """导出预约台账 (CSV, UTF-8 with BOM) of the slots in the period."""
        return download(appointments.export(start, end, "csv"))

    @get("/export.xlsx", opt=EXPORT, media_type=XLSX_MEDIA, sync_to_thread=True)
    def export_xlsx(
        self, appointments: Appointments, start: Start = None, end: End = None
    ) -> Response[bytes]:
        """导出预约台账 (XLSX)."""
        return download(appointments.export(start, end, "xlsx"))

    @post("/", opt=STAFF, sync_to_thread=True)
    def book(
        self, data: JSONBody[BookIn], appointments: Appointments, principal: Me
    ) -> AppointmentView:
        """预约 (现场 / 电话): a full slot is refused with 409."""
        return appointments.book(data, principal)

    @get("/{ref:str}", opt=STAFF, sync_to_thread=True)
    def detail(self, ref: FromPath[str], appointments: Appointments) -> AppointmentView:
        """One appointment by its id or number (YY-20261123-001)."""
        return appointments.get(ref)

    @post("/{ref:str}/check-in", opt=CHECK_IN, sync_to_thread=True)
    def check_in(
        self, ref: FromPath[str], appointments: Appointments, principal: Me
    ) -> CheckInView:
        """签到: the appointment becomes a ticket called first at its slot (R-Q4)."""
        return appointments.check_in(ref, principal)

    @post("/{ref:str}/cancel", opt=STAFF, sync_to_thread=True)
    def cancel(
        self, ref: FromPath[str], data: JSONBody[CancelIn], appointments: Appointments,
        principal: Me,
    ) -> AppointmentView:  # fmt: skip
        """取消 with a reason; the visitor is told by SMS."""
        return appointments.cancel(ref, data.reason, principal)

    @post("/{ref:str}/move", opt=STAFF, sync_to_thread=True)
    def move(
        self, ref: FromPath[str], data: JSONBody[MoveIn], appointments: Appointments,
        principal: Me,
    ) -> AppointmentView:  # fmt: skip
        """改约 to another slot with a reason; the visitor is told by SMS."""
        return appointments.move(ref, data, principal)


class OutageController(Controller):
    path = "/api/outages"

    @post("/", opt=STAFF, sync_to_thread=True)
    def register(self, data: JSONBody[OutageIn], outages: Outages, principal: Me) -> OutageView:
        """停电断网登记: each visitor gets a priority appointment on the next open day."""
        return outages.register(data, principal)

    @get("/", opt=STAFF, sync_to_thread=True)
    def outage_list(self, outages: Outages) -> list[OutageView]:
        return outages.list()

    @get("/{ref:str}", opt=STAFF, sync_to_thread=True)
    def outage(self, ref: FromPath[str], outages: Outages) -> OutageView:
        return outages.get(ref)


class PublicAppointmentController(Controller):
    """The booking page's routes (网上预约); bookings are limited per client address."""

    path = "/api/public/appointments"

    @get("/slots", opt=PUBLIC, sync_to_thread=True)
    def public_slots(
        self, appointments: Appointments, category: Category, day: Day = None
    ) -> DayView:
        return appointments.day(category, day or appointments.today())

    @post("/", opt=PUBLIC, sync_to_thread=True)
    def public_book(
        self,
        data: JSONBody[PublicBookIn],
        request: Request[Any, Any, Any],
        appointments: Appointments,
    ) -> Response[PublicBookingView]:
        """网上预约: confirmed by SMS with the material list."""
        client = request.client.host if request.client else ""
        view = appointments.book_public(data, client)
        return Response(view, status_code=201, headers={"Cache-Control": "no-store"})
