"""Consultation ledger API (咨询台账, R-C2, R-C3): record, list, read, reply (close), promote
into the knowledge base; the station head exports any period (CSV, XLSX)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from appliance.consultations.schemas import ConsultationIn, ConsultationView, PromoteIn, ReplyIn
from appliance.consultations.service.ledger import ConsultationService
from appliance.core.roles import ALL_ROLES, MANAGER_ROLES, Principal
from appliance.documents.exports import CSV_MEDIA, XLSX_MEDIA, ExportFile
from appliance.knowledge.schemas import KnowledgeView

STAFF = {"roles": ALL_ROLES}
EXPORT = {"roles": MANAGER_ROLES}

Consultations = NamedDependency[ConsultationService]
Me = NamedDependency[Principal]
Status = Annotated[
    str,
    Parameter(max_length=10, description="open 待答复 · overdue 逾期 · closed 已答复 · all 全部"),
]
Start = Annotated[date | None, Parameter(description="起始日期（含），默认结束日期前 30 天")]
End = Annotated[date | None, Parameter(description="结束日期（含），默认今天")]


def download(file: ExportFile) -> Response[bytes]:
    return Response(file.content, media_type=file.media_type, headers=file.headers())


class ConsultationController(Controller):
    path = "/api/consultations"

    @post("/", opt=STAFF, sync_to_thread=True)
    def record(
        self, data: JSONBody[ConsultationIn], consultations: Consultations, principal: Me
    ) -> ConsultationView:
        """登记咨询: with the answer (closed at once) or an agreed reply date."""
        return consultations.record(data, principal)

    @get("/", opt=STAFF, sync_to_thread=True)
    def ledger(
        self,
        consultations: Consultations,
        status: Status = "open",
        start: Start = None,
        end: End = None,
    ) -> list[ConsultationView]:
        """Open entries (overdue first), or the period's entries (``status=all``/``closed``)."""
        return consultations.list(status, start, end)

    @get("/export.csv", opt=EXPORT, media_type=CSV_MEDIA, sync_to_thread=True)
    def export_csv(
        self, consultations: Consultations, start: Start = None, end: End = None
    ) -> Response[bytes]:
        """导出咨询台账 (CSV, UTF-8 with BOM) of the entries asked in the period."""
        return download(consultations.export(start, end, "csv"))

    @get("/export.xlsx", opt=EXPORT, media_type=XLSX_MEDIA, sync_to_thread=True)
    def export_xlsx(
        self, consultations: Consultations, start: Start = None, end: End = None
    ) -> Response[bytes]:
        """导出咨询台账 (XLSX)."""
        return download(consultations.export(start, end, "xlsx"))

    @get("/{ref:str}", opt=STAFF, sync_to_thread=True)
    def detail(self, ref: FromPath[str], consultations: Consultations) -> ConsultationView:
        """One entry by its id or number (ZX-20261123-001)."""
        return consultations.get(ref)

    @post("/{ref:str}/close", opt=STAFF, sync_to_thread=True)
    def close(
        self,
        ref: FromPath[str],
        data: JSONBody[ReplyIn],
        consultations: Consultations,
        principal: Me,
    ) -> ConsultationView:
        """答复并关闭: an entry cannot close without its reply."""
        return consultations.close(ref, data, principal)

    @post("/{ref:str}/promote", opt=STAFF, sync_to_thread=True)
    def promote(
        self,
        ref: FromPath[str],
        data: JSONBody[PromoteIn],
        consultations: Consultations,
        principal: Me,
    ) -> KnowledgeView:
        """加入知识库: an answered entry becomes a knowledge entry (R-C3)."""
        return consultations.promote(ref, data, principal)
