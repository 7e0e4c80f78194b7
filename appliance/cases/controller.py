"""Case handling API (办件, R-K1–R-K7): open a case, take decisions, list and read, the
notices kept with the case (download, 补打), the public progress query, and the kept PDF
that the hardware service prints.

Bodies and answers are the wire types of ``appliance.cases.schemas``: Litestar checks a
body against its type (400 in Chinese naming the field otherwise, see
``appliance.http.guards``); the service maps it onto the domain command (field names as
in ``appliance.cases.rules.commands``).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from appliance.cases.schemas import (
    CaseActionIn,
    CaseDetail,
    CaseNoticeView,
    CaseQueryIn,
    CaseSummary,
    OpenCaseIn,
    PublicCaseView,
    StepResult,
)
from appliance.cases.service.cases import CaseService
from appliance.cases.service.notice_store import CaseNoticeService
from appliance.cases.service.query import CaseQueryService
from appliance.core.rate_limit import TooManyAttempts
from appliance.core.roles import ALL_ROLES, WINDOW_ROLES, Principal

WRITE = {"roles": WINDOW_ROLES}
READ = {"roles": ALL_ROLES}
PUBLIC = {"public": True}
DEVICE = {"device": True}
PDF = "application/pdf"

Cases = NamedDependency[CaseService]
Notices = NamedDependency[CaseNoticeService]
Me = NamedDependency[Principal]


def pdf_response(data: bytes, filename: str) -> Response[bytes]:
    return Response(
        data,
        media_type=PDF,
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


class CaseController(Controller):
    path = "/api/cases"

    @post("/", opt=WRITE, sync_to_thread=True)
    def open_case(self, data: JSONBody[OpenCaseIn], cases: Cases, principal: Me) -> CaseDetail:
        """收件: open a case (from a called ticket with ``ticket_id``, or directly)."""
        return cases.open(data, principal.staff_id, principal.code)

    @post("/{case_number:str}/actions/{action:str}", opt=WRITE, sync_to_thread=True)
    def act(
        self,
        case_number: FromPath[str],
        action: FromPath[str],
        data: JSONBody[CaseActionIn],
        cases: Cases,
        principal: Me,
    ) -> StepResult:
        """One decision (受理、补正、不予受理、容缺受理 …) with the fields its command needs."""
        return cases.act(case_number, action, data, principal.code)

    @get("/", opt=READ, sync_to_thread=True)
    def list_cases(
        self,
        cases: Cases,
        principal: Me,
        mine: Annotated[int, Parameter(ge=0, le=1)] = 1,
        done: Annotated[int, Parameter(ge=0, le=1)] = 0,
    ) -> list[CaseSummary]:
        """My cases (``mine=1``, default) or all cases (``mine=0``), nearest deadline first;
        finished ones (不予受理, 已送达, 已关闭) only with ``done=1``."""
        return cases.list_mine(principal.staff_id if mine else None, include_done=bool(done))

    @get("/{case_number:str}", opt=READ, sync_to_thread=True)
    def detail(self, case_number: FromPath[str], cases: Cases) -> CaseDetail:
        """One case with its timeline (流转记录) and the legal next actions."""
        return cases.get(case_number)

    @get("/{case_number:str}/notices", opt=READ, sync_to_thread=True)
    def notices(self, case_number: FromPath[str], case_notices: Notices) -> list[CaseNoticeView]:
        """The notices issued on the case (受理通知书, 补正通知书 …) with their print state."""
        return case_notices.for_case(case_number)

    @get(
        "/{case_number:str}/notices/{notice_id:str}/pdf",
        opt=READ,
        media_type=PDF,
        sync_to_thread=True,
    )
    def notice_pdf(
        self, case_number: FromPath[str], notice_id: FromPath[str], case_notices: Notices
    ) -> Response[bytes]:
        """The kept PDF of one notice, exactly as issued (checked against its SHA-256)."""
        return pdf_response(*case_notices.pdf(case_number, notice_id))

    @post("/{case_number:str}/notices/{notice_id:str}/reprint", opt=WRITE, sync_to_thread=True)
    def reprint_notice(
        self,
        case_number: FromPath[str],
        notice_id: FromPath[str],
        case_notices: Notices,
        principal: Me,
    ) -> CaseNoticeView:
        """补打: print the kept PDF again, 一式二份."""
        return case_notices.reprint(case_number, notice_id, principal.code)


class CaseNoticeDeviceController(Controller):
    path = "/api/device/case-notices"

    @get("/{notice_id:str}/pdf", opt=DEVICE, media_type=PDF, sync_to_thread=True)
    def case_notice_pdf(self, notice_id: FromPath[str], case_notices: Notices) -> Response[bytes]:
        """The kept PDF of a case notice for the A4 printer, verified against its SHA-256."""
        return Response(case_notices.device_pdf(notice_id), media_type=PDF)


def too_many_attempts(_: Request[Any, Any, Any], exc: TooManyAttempts) -> Response[dict[str, Any]]:
    return Response(
        {
            "error": exc.code,
            "message": exc.message,
            "status": exc.status,
            "retry_after": exc.retry_after_seconds,
        },
        status_code=exc.status,
        headers={"Retry-After": str(exc.retry_after_seconds)},
    )


class CaseQueryController(Controller):
    """Public progress query (办件进度查询, R-K7). Guessing limits answer 429 with
    ``Retry-After``; the pages that post here are served by ``appliance.http.pages``."""

    path = "/api/public/case-query"
    exception_handlers = {TooManyAttempts: too_many_attempts}

    @post("/", opt=PUBLIC, status_code=200, sync_to_thread=True)
    def query(
        self,
        data: JSONBody[CaseQueryIn],
        request: Request[Any, Any, Any],
        case_query: NamedDependency[CaseQueryService],
    ) -> Response[PublicCaseView]:
        """办件进度: ``{"case_number": "YZ0001-20261123-0007", "phone_last4": "1234"}``."""
        client = request.client.host if request.client else ""
        view = case_query.query(data, client)
        return Response(view, headers={"Cache-Control": "no-store"})
