"""Fault log and emergency API (故障台账、应急处置, R-I1, R-I2): open a fault, record its
handling steps and the people told, close it (never without a handling record), print its
故障处理单, export any period; run an emergency checklist and record its steps."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from appliance.core.roles import ALL_ROLES, MANAGER_ROLES, Principal
from appliance.documents.exports import CSV_MEDIA, XLSX_MEDIA, ExportFile
from appliance.faults.schemas import (
    EmergencyEndIn,
    EmergencyIn,
    EmergencyStepIn,
    EmergencyView,
    FaultActionIn,
    FaultCloseIn,
    FaultIn,
    FaultView,
    ProcedureView,
)
from appliance.faults.service.emergency import EmergencyService, procedures
from appliance.faults.service.ledger import FaultService

STAFF = {"roles": ALL_ROLES}
EXPORT = {"roles": MANAGER_ROLES}
PDF_MEDIA = "application/pdf"

Faults = NamedDependency[FaultService]
Emergencies = NamedDependency[EmergencyService]
Me = NamedDependency[Principal]
Status = Annotated[
    str, Parameter(max_length=10, description="open 处理中 · closed 已处理 · all 全部")
]
Start = Annotated[date | None, Parameter(description="起始日期（含），默认结束日期前 30 天")]
End = Annotated[date | None, Parameter(description="结束日期（含），默认今天")]


def download(file: ExportFile) -> Response[bytes]:
    return Response(file.content, media_type=file.media_type, headers=file.headers())


class FaultController(Controller):
    path = "/api/faults"

    @post("/", opt=STAFF, sync_to_thread=True)
    def open(self, data: JSONBody[FaultIn], faults: Faults, principal: Me) -> FaultView:
        """登记故障 (network faults with their scope)."""
        return faults.open(data, principal)

    @get("/", opt=STAFF, sync_to_thread=True)
    def ledger(
        self, faults: Faults, status: Status = "open", start: Start = None, end: End = None
    ) -> list[FaultView]:
        """Open faults (oldest first), or the period's (``status=all``/``closed``)."""
        return faults.list(status, start, end)

    @get("/export.csv", opt=EXPORT, media_type=CSV_MEDIA, sync_to_thread=True)
    def export_csv(self, faults: Faults, start: Start = None, end: End = None) -> Response[bytes]:
        """导出故障台账 (CSV, UTF-8 with BOM) of the faults opened in the period."""
        return download(faults.export(start, end, "csv"))

    @get("/export.xlsx", opt=EXPORT, media_type=XLSX_MEDIA, sync_to_thread=True)
    def export_xlsx(self, faults: Faults, start: Start = None, end: End = None) -> Response[bytes]:
        """导出故障台账 (XLSX)."""
        return download(faults.export(start, end, "xlsx"))

    @get("/{ref:str}", opt=STAFF, sync_to_thread=True)
    def detail(self, ref: FromPath[str], faults: Faults) -> FaultView:
        """One fault by its id or number (GZ-20261123-001), with its handling record."""
        return faults.get(ref)

    @post("/{ref:str}/actions", opt=STAFF, sync_to_thread=True)
    def act(
        self, ref: FromPath[str], data: JSONBody[FaultActionIn], faults: Faults, principal: Me
    ) -> FaultView:
        """处理记录: a step taken, or the people told."""
        return faults.act(ref, data, principal)

    @post("/{ref:str}/close", opt=STAFF, sync_to_thread=True)
    def close(
        self, ref: FromPath[str], data: JSONBody[FaultCloseIn], faults: Faults, principal: Me
    ) -> FaultView:
        """处理完毕: refused (400) while the fault has no handling step."""
        return faults.close(ref, data, principal)

    @get("/{ref:str}/sheet.pdf", opt=STAFF, media_type=PDF_MEDIA, sync_to_thread=True)
    def sheet(self, ref: FromPath[str], faults: Faults) -> Response[bytes]:
        """故障处理单 (A4 PDF) of a closed fault."""
        number, pdf = faults.sheet(ref)
        disposition = f'inline; filename="{number}.pdf"'
        return Response(pdf, media_type=PDF_MEDIA, headers={"Content-Disposition": disposition})

    @post("/{ref:str}/print", opt=STAFF, sync_to_thread=True)
    def print_sheet(self, ref: FromPath[str], faults: Faults) -> FaultView:
        """打印故障处理单 on the station's A4 printer (a print job)."""
        return faults.print_sheet(ref)


class EmergencyController(Controller):
    path = "/api/emergencies"

    @get("/procedures", opt=STAFF, sync_to_thread=False)
    def procedures(self) -> list[ProcedureView]:
        """The emergency checklists (XC 附录H, HN-4 6)."""
        return procedures()

    @get("/", opt=STAFF, sync_to_thread=True)
    def records(self, emergencies: Emergencies) -> list[EmergencyView]:
        """The latest emergency records, newest first."""
        return emergencies.list()

    @post("/", opt=STAFF, sync_to_thread=True)
    def start(
        self, data: JSONBody[EmergencyIn], emergencies: Emergencies, principal: Me
    ) -> EmergencyView:
        """启动应急处置: a record of the procedure's checklist."""
        return emergencies.start(data, principal)

    @get("/{ref:str}", opt=STAFF, sync_to_thread=True)
    def detail(self, ref: FromPath[str], emergencies: Emergencies) -> EmergencyView:
        return emergencies.get(ref)

    @post("/{ref:str}/steps", opt=STAFF, sync_to_thread=True)
    def mark(
        self,
        ref: FromPath[str],
        data: JSONBody[EmergencyStepIn],
        emergencies: Emergencies,
        principal: Me,
    ) -> EmergencyView:
        """一步已完成 (with the time and who)."""
        return emergencies.mark(ref, data, principal)

    @post("/{ref:str}/end", opt=STAFF, sync_to_thread=True)
    def end(
        self,
        ref: FromPath[str],
        data: JSONBody[EmergencyEndIn],
        emergencies: Emergencies,
        principal: Me,
    ) -> EmergencyView:
        """处置结束."""
        return emergencies.end(ref, data, principal)
