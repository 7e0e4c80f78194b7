"""Complaints API (投诉受理, R-P2; R-I3): register, list, read, 核实, 当场处理 or 转办 and
跟踪, 答复, 办结; export any period (CSV, XLSX).

The 投诉受理 role and the station head handle complaints. Every staff member may read a
complaint that is not confidential; a confidential one is refused (403) to everybody else
and left out of their lists.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from appliance.complaints.rules import COMPLAINT_ROLES
from appliance.complaints.schemas import (
    AnswerIn,
    CloseIn,
    ComplaintIn,
    ComplaintView,
    StepTextIn,
    TransferIn,
    VerifyIn,
)
from appliance.complaints.service.complaints import ComplaintService
from appliance.core.roles import ALL_ROLES, Principal
from appliance.documents.exports import CSV_MEDIA, XLSX_MEDIA, ExportFile

STAFF = {"roles": ALL_ROLES}
HANDLERS = {"roles": COMPLAINT_ROLES}

Complaints = NamedDependency[ComplaintService]
Me = NamedDependency[Principal]
Ref = FromPath[str]
Status = Annotated[
    str, Parameter(max_length=10, description="open 未办结 · closed 已办结 · all 全部")
]
Start = Annotated[date | None, Parameter(description="起始日期（含），默认结束日期前 30 天")]
End = Annotated[date | None, Parameter(description="结束日期（含），默认今天")]


def download(file: ExportFile) -> Response[bytes]:
    return Response(file.content, media_type=file.media_type, headers=file.headers())


class ComplaintController(Controller):
    path = "/api/complaints"

    @post("/", opt=HANDLERS, sync_to_thread=True)
    def register(
        self, data: JSONBody[ComplaintIn], complaints: Complaints, principal: Me
    ) -> ComplaintView:
        """投诉登记 from any channel, confidential on request."""
        return complaints.register(data, principal)

    @get("/", opt=STAFF, sync_to_thread=True)
    def ledger(
        self,
        complaints: Complaints,
        principal: Me,
        status: Status = "open",
        start: Start = None,
        end: End = None,
    ) -> list[ComplaintView]:
        """Open complaints (oldest first) or those of a period; confidential ones only for
        the 投诉受理 role and the station head."""
        return complaints.ledger(principal, status, start, end)

    @get("/export.csv", opt=HANDLERS, media_type=CSV_MEDIA, sync_to_thread=True)
    def export_csv(
        self, complaints: Complaints, start: Start = None, end: End = None
    ) -> Response[bytes]:
        """导出投诉受理台账 (CSV); a confidential complainant is never named."""
        return download(complaints.export(start, end, "csv"))

    @get("/export.xlsx", opt=HANDLERS, media_type=XLSX_MEDIA, sync_to_thread=True)
    def export_xlsx(
        self, complaints: Complaints, start: Start = None, end: End = None
    ) -> Response[bytes]:
        """导出投诉受理台账 (XLSX)."""
        return download(complaints.export(start, end, "xlsx"))

    @get("/{ref:str}", opt=STAFF, sync_to_thread=True)
    def detail(self, ref: Ref, complaints: Complaints, principal: Me) -> ComplaintView:
        """One complaint with its record; a confidential one is refused (403) to anyone but
        the 投诉受理 role and the station head."""
        return complaints.get(ref, principal)

    @post("/{ref:str}/verify", opt=HANDLERS, sync_to_thread=True)
    def verify(
        self, ref: Ref, data: JSONBody[VerifyIn], complaints: Complaints, principal: Me
    ) -> ComplaintView:
        """核实: nothing is promised before the facts are checked."""
        return complaints.verify(ref, data, principal)

    @post("/{ref:str}/handle", opt=HANDLERS, sync_to_thread=True)
    def handle(
        self, ref: Ref, data: JSONBody[StepTextIn], complaints: Complaints, principal: Me
    ) -> ComplaintView:
        """当场处理: settled on the spot."""
        return complaints.handle(ref, data, principal)

    @post("/{ref:str}/transfer", opt=HANDLERS, sync_to_thread=True)
    def transfer(
        self, ref: Ref, data: JSONBody[TransferIn], complaints: Complaints, principal: Me
    ) -> ComplaintView:
        """转办 to the department that can settle it; then followed."""
        return complaints.transfer(ref, data, principal)

    @post("/{ref:str}/follow", opt=HANDLERS, sync_to_thread=True)
    def follow(
        self, ref: Ref, data: JSONBody[StepTextIn], complaints: Complaints, principal: Me
    ) -> ComplaintView:
        """跟踪: a line of follow-up on a transferred complaint."""
        return complaints.follow(ref, data, principal)

    @post("/{ref:str}/result", opt=HANDLERS, sync_to_thread=True)
    def result(
        self, ref: Ref, data: JSONBody[StepTextIn], complaints: Complaints, principal: Me
    ) -> ComplaintView:
        """转办结果: what the department did."""
        return complaints.result(ref, data, principal)

    @post("/{ref:str}/answer", opt=HANDLERS, sync_to_thread=True)
    def answer(
        self, ref: Ref, data: JSONBody[AnswerIn], complaints: Complaints, principal: Me
    ) -> ComplaintView:
        """答复投诉人 (an SMS is queued when the answer goes by SMS)."""
        return complaints.answer(ref, data, principal)

    @post("/{ref:str}/close", opt=HANDLERS, sync_to_thread=True)
    def close(
        self, ref: Ref, data: JSONBody[CloseIn], complaints: Complaints, principal: Me
    ) -> ComplaintView:
        """办结 with the answer: a complaint cannot close without one."""
        return complaints.close(ref, data, principal)
