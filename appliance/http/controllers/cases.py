"""Case handling API (办件, R-K1–R-K6): open a case, take decisions, list and read, and the
notices kept with the case (download, 补打).

Bodies are plain JSON objects mapped onto the domain commands by
``appliance.services.case_service`` (field names as in ``domain.cases.commands``).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from appliance.domain.errors import Invalid
from appliance.domain.roles import ALL_ROLES, WINDOW_ROLES
from appliance.http.deps import PrincipalDep, ServicesDep
from appliance.services.case_notice_store import CaseNoticeService, CaseNoticeView
from appliance.services.case_service import CaseService
from appliance.services.case_views import CaseDetail, CaseSummary, StepResult

WRITE = {"roles": WINDOW_ROLES}
READ = {"roles": ALL_ROLES}


def _cases(services: ServicesDep) -> CaseService:
    return CaseService(services.db, services.settings, services.clock)


def _notices(services: ServicesDep) -> CaseNoticeService:
    return CaseNoticeService(services.db, services.settings, services.clock)


def pdf_response(data: bytes, filename: str) -> Response[bytes]:
    return Response(
        data, media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def _body(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise Invalid("请求内容应为 JSON 对象", "bad_body")
    return data


class CaseController(Controller):
    path = "/api/cases"

    @post("/", opt=WRITE, sync_to_thread=True)
    def open_case(
        self, data: JSONBody[dict[str, Any]], services: ServicesDep, principal: PrincipalDep
    ) -> CaseDetail:
        """收件: open a case (from a called ticket with ``ticket_id``, or directly)."""
        return _cases(services).open(_body(data), principal.staff_id, principal.code)

    @post("/{case_number:str}/actions/{action:str}", opt=WRITE, sync_to_thread=True)
    def act(
        self,
        case_number: FromPath[str],
        action: FromPath[str],
        data: JSONBody[dict[str, Any]],
        services: ServicesDep,
        principal: PrincipalDep,
    ) -> StepResult:
        """One decision (受理、补正、不予受理、容缺受理 …) with its fields."""
        return _cases(services).act(case_number, action, _body(data), principal.code)

    @get("/", opt=READ, sync_to_thread=True)
    def list_cases(
        self, services: ServicesDep, principal: PrincipalDep, mine: FromQuery[int] = 1,
        done: FromQuery[int] = 0,
    ) -> list[CaseSummary]:
        """My cases (``mine=1``, default) or all cases (``mine=0``), nearest deadline first;
        finished ones (不予受理, 已送达, 已关闭) only with ``done=1``."""
        return _cases(services).list_mine(
            principal.staff_id if mine else None, include_done=bool(done)
        )

    @get("/{case_number:str}", opt=READ, sync_to_thread=True)
    def detail(self, case_number: FromPath[str], services: ServicesDep) -> CaseDetail:
        """One case with its timeline (流转记录) and the legal next actions."""
        return _cases(services).get(case_number)

    @get("/{case_number:str}/notices", opt=READ, sync_to_thread=True)
    def notices(self, case_number: FromPath[str], services: ServicesDep) -> list[CaseNoticeView]:
        """The notices issued on the case (受理通知书, 补正通知书 …) with their print state."""
        return _notices(services).for_case(case_number)

    @get("/{case_number:str}/notices/{notice_id:str}/pdf", opt=READ, sync_to_thread=True)
    def notice_pdf(
        self, case_number: FromPath[str], notice_id: FromPath[str], services: ServicesDep
    ) -> Response[bytes]:
        """The kept PDF of one notice, exactly as issued (checked against its SHA-256)."""
        return pdf_response(*_notices(services).pdf(case_number, notice_id))

    @post("/{case_number:str}/notices/{notice_id:str}/reprint", opt=WRITE, sync_to_thread=True)
    def reprint_notice(
        self, case_number: FromPath[str], notice_id: FromPath[str], services: ServicesDep,
        principal: PrincipalDep,
    ) -> CaseNoticeView:
        """补打: print the kept PDF again, 一式二份."""
        return _notices(services).reprint(case_number, notice_id, principal.code)
