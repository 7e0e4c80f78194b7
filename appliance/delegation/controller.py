"""帮办代办 API (R-D1, R-D2): log 帮办, sign 代办, feed progress back, suspend for one of
JC's seven grounds, continue, complete, home visits, fees the applicant paid, the papers as
PDF; the station head exports any period (CSV, XLSX)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from appliance.core.roles import ALL_ROLES, MANAGER_ROLES, Principal
from appliance.delegation.schemas import (
    CompleteIn,
    DelegationIn,
    DelegationView,
    FeeIn,
    HelpIn,
    ProgressIn,
    ReasonView,
    ResumeIn,
    SuspendIn,
    VisitDoneIn,
    VisitIn,
)
from appliance.delegation.service.ledger import DelegationService
from appliance.documents.exports import CSV_MEDIA, XLSX_MEDIA, ExportFile

STAFF = {"roles": ALL_ROLES}
EXPORT = {"roles": MANAGER_ROLES}

Delegations = NamedDependency[DelegationService]
Me = NamedDependency[Principal]
Status = Annotated[
    str,
    Parameter(
        max_length=10,
        description="open 在办 · overdue 超期 · completed 已办结 · all 全部",
    ),
]
Start = Annotated[date | None, Parameter(description="起始日期（含），默认结束日期前 30 天")]
End = Annotated[date | None, Parameter(description="结束日期（含），默认今天")]


def download(file: ExportFile) -> Response[bytes]:
    return Response(file.content, media_type=file.media_type, headers=file.headers())


class DelegationController(Controller):
    path = "/api/delegations"

    @post("/help", opt=STAFF, sync_to_thread=True)
    def help(
        self, data: JSONBody[HelpIn], delegations: Delegations, principal: Me
    ) -> DelegationView:
        """帮办: logged and assigned at once."""
        return delegations.help(data, principal)

    @post("/", opt=STAFF, sync_to_thread=True)
    def delegate(
        self, data: JSONBody[DelegationIn], delegations: Delegations, principal: Me
    ) -> DelegationView:
        """代办: signs the 代办服务委托书 (PDF kept with the delegation)."""
        return delegations.delegate(data, principal)

    @get("/", opt=STAFF, sync_to_thread=True)
    def ledger(self, delegations: Delegations, status: Status = "open") -> list[DelegationView]:
        """The open delegations (past their period first), or completed / all."""
        return delegations.list(status)

    @get("/reasons", opt=STAFF, sync_to_thread=True)
    def reasons(self, delegations: Delegations) -> list[ReasonView]:
        """The seven grounds for 中止 (JC 附件5)."""
        return delegations.reasons()

    @get("/export.csv", opt=EXPORT, media_type=CSV_MEDIA, sync_to_thread=True)
    def export_csv(
        self, delegations: Delegations, start: Start = None, end: End = None
    ) -> Response[bytes]:
        """导出帮办代办台账 (CSV, UTF-8 with BOM)."""
        return download(delegations.export(start, end, "csv"))

    @get("/export.xlsx", opt=EXPORT, media_type=XLSX_MEDIA, sync_to_thread=True)
    def export_xlsx(
        self, delegations: Delegations, start: Start = None, end: End = None
    ) -> Response[bytes]:
        """导出帮办代办台账 (XLSX)."""
        return download(delegations.export(start, end, "xlsx"))

    @get("/{ref:str}", opt=STAFF, sync_to_thread=True)
    def detail(self, ref: FromPath[str], delegations: Delegations) -> DelegationView:
        """One delegation by id or number, with its ledger, visits and papers."""
        return delegations.get(ref)

    @get(
        "/{ref:str}/documents/{document_id:str}/pdf",
        opt=STAFF,
        media_type="application/pdf",
        sync_to_thread=True,
    )
    def document(
        self, ref: FromPath[str], document_id: FromPath[str], delegations: Delegations
    ) -> Response[bytes]:
        """A kept paper (委托书, 中止单, 续办委托书, 办结单) as A4 PDF."""
        pdf, name = delegations.document(ref, document_id)
        headers = {"Content-Disposition": f'inline; filename="{name}"'}
        return Response(pdf, media_type="application/pdf", headers=headers)

    @post("/{ref:str}/progress", opt=STAFF, sync_to_thread=True)
    def progress(
        self,
        ref: FromPath[str],
        data: JSONBody[ProgressIn],
        delegations: Delegations,
        principal: Me,
    ) -> DelegationView:
        """进展反馈 (optionally by SMS)."""
        return delegations.progress(ref, data, principal)

    @post("/{ref:str}/suspend", opt=STAFF, sync_to_thread=True)
    def suspend(
        self, ref: FromPath[str], data: JSONBody[SuspendIn], delegations: Delegations, principal: Me
    ) -> DelegationView:
        """中止: only for one of the seven grounds; prints the 中止单."""
        return delegations.suspend(ref, data, principal)

    @post("/{ref:str}/resume", opt=STAFF, sync_to_thread=True)
    def resume(
        self, ref: FromPath[str], data: JSONBody[ResumeIn], delegations: Delegations, principal: Me
    ) -> DelegationView:
        """续办: prints the 续办委托书."""
        return delegations.resume(ref, data, principal)

    @post("/{ref:str}/complete", opt=STAFF, sync_to_thread=True)
    def complete(
        self,
        ref: FromPath[str],
        data: JSONBody[CompleteIn],
        delegations: Delegations,
        principal: Me,
    ) -> DelegationView:
        """办结: prints the 办结单 (代办) and opens the rating."""
        return delegations.complete(ref, data, principal)

    @post("/{ref:str}/visits", opt=STAFF, sync_to_thread=True)
    def visit(
        self, ref: FromPath[str], data: JSONBody[VisitIn], delegations: Delegations, principal: Me
    ) -> DelegationView:
        """上门服务: schedules a home visit as a task of the delegation."""
        return delegations.schedule_visit(ref, data, principal)

    @post("/{ref:str}/visits/{visit_id:str}/done", opt=STAFF, sync_to_thread=True)
    def visit_done(
        self,
        ref: FromPath[str],
        visit_id: FromPath[str],
        data: JSONBody[VisitDoneIn],
        delegations: Delegations,
        principal: Me,
    ) -> DelegationView:
        """The visit's outcome."""
        return delegations.visit_done(ref, visit_id, data, principal)

    @post("/{ref:str}/fees", opt=STAFF, sync_to_thread=True)
    def fee(
        self, ref: FromPath[str], data: JSONBody[FeeIn], delegations: Delegations, principal: Me
    ) -> DelegationView:
        """A fee the applicant paid themselves (the agent never collects)."""
        return delegations.record_fee(ref, data, principal)
