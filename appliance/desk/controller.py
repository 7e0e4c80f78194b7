""" "办不成事" desk API (R-P1): register, list, read, follow, tell the visitor, close; the
station head exports any period (CSV, XLSX)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from appliance.core.roles import ALL_ROLES, MANAGER_ROLES, Principal
from appliance.desk.schemas import DeskCloseIn, DeskEntryIn, DeskEntryView, DeskNoteIn, DeskNotifyIn
from appliance.desk.service.desk import DeskService
from appliance.documents.exports import CSV_MEDIA, XLSX_MEDIA, ExportFile

STAFF = {"roles": ALL_ROLES}
EXPORT = {"roles": MANAGER_ROLES}

Desk = NamedDependency[DeskService]
Me = NamedDependency[Principal]
Status = Annotated[
    str,
    Parameter(max_length=10, description="open 办理中 · overdue 逾期 · closed 已办结 · all 全部"),
]
Start = Annotated[date | None, Parameter(description="起始日期（含），默认结束日期前 30 天")]
End = Annotated[date | None, Parameter(description="结束日期（含），默认今天")]


def download(file: ExportFile) -> Response[bytes]:
    return Response(file.content, media_type=file.media_type, headers=file.headers())


class DeskController(Controller):
    path = "/api/desk"

    @post("/", opt=STAFF, sync_to_thread=True)
    def register(self, data: JSONBody[DeskEntryIn], desk: Desk, principal: Me) -> DeskEntryView:
        """登记办不成事: settled on the spot, 5 working days, where to go, or passed on the
        same day to a named handler (the visitor told by SMS or a printed slip)."""
        return desk.register(data, principal)

    @get("/", opt=STAFF, sync_to_thread=True)
    def ledger(
        self, desk: Desk, status: Status = "open", start: Start = None, end: End = None
    ) -> list[DeskEntryView]:
        """Open entries (overdue first), or the period's entries (``status=all``/``closed``)."""
        return desk.ledger(status, start, end)

    @get("/export.csv", opt=EXPORT, media_type=CSV_MEDIA, sync_to_thread=True)
    def export_csv(self, desk: Desk, start: Start = None, end: End = None) -> Response[bytes]:
        """导出办不成事登记台账 (CSV, UTF-8 with BOM) of the entries of the period."""
        return download(desk.export(start, end, "csv"))

    @get("/export.xlsx", opt=EXPORT, media_type=XLSX_MEDIA, sync_to_thread=True)
    def export_xlsx(self, desk: Desk, start: Start = None, end: End = None) -> Response[bytes]:
        """导出办不成事登记台账 (XLSX)."""
        return download(desk.export(start, end, "xlsx"))

    @get("/{ref:str}", opt=STAFF, sync_to_thread=True)
    def detail(self, ref: FromPath[str], desk: Desk) -> DeskEntryView:
        """One entry by its id or number (BC-20261123-001), with its record."""
        return desk.get(ref)

    @post("/{ref:str}/close", opt=STAFF, sync_to_thread=True)
    def close(
        self, ref: FromPath[str], data: JSONBody[DeskCloseIn], desk: Desk, principal: Me
    ) -> DeskEntryView:
        """办结或反馈: an entry cannot close without its result."""
        return desk.close(ref, data, principal)

    @post("/{ref:str}/notes", opt=STAFF, sync_to_thread=True)
    def note(
        self, ref: FromPath[str], data: JSONBody[DeskNoteIn], desk: Desk, principal: Me
    ) -> DeskEntryView:
        """跟踪记录 on an open entry."""
        return desk.note(ref, data, principal)

    @post("/{ref:str}/notify", opt=STAFF, sync_to_thread=True)
    def notify(
        self, ref: FromPath[str], data: JSONBody[DeskNotifyIn], desk: Desk, principal: Me
    ) -> DeskEntryView:
        """Tell the visitor the handler of a transfer again (SMS, or a printed slip)."""
        return desk.notify(ref, data, principal)
