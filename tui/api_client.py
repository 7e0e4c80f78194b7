"""``StationApi``: the staff terminal's only door to the station server (HTTP, async).

Errors become two exceptions at this one place: a refusal from the server is
``ApiError(status, message)`` with the server's Chinese message; a server that cannot be
reached is ``Offline``. Screens never see an ``httpx`` exception.
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import httpx
import msgspec

from appliance.alerts.schemas import AlertView
from appliance.cases.schemas import (
    CaseActionIn,
    CaseDetail,
    CaseNoticeView,
    CaseSummary,
    OpenCaseIn,
    StepResult,
)
from appliance.catalogue.schemas import GuidePrint, ItemDetail, ItemSummary
from appliance.clock.schemas import ClockStatus, SetClockIn
from appliance.core.schemas import StationHealth
from appliance.devices.schemas import ApplianceStatus, DeviceView
from appliance.jobs.schemas import PrintJobView
from appliance.queue.schemas import (
    CallTicketIn,
    IssueIn,
    PauseIn,
    QueueSnapshot,
    TicketView,
    TransferIn,
    WindowInfo,
    WindowState,
)
from appliance.staff.schemas import ChangePinIn, LoginIn, LoginResult, MeView, StaffView
from appliance.uplink.schemas import SyncStatusView
from tui.api_archives import ArchiveCalls  # ---- archives: 归档 (R-A1–R-A3)
from tui.api_desk import DeskCalls  # ---- desk and complaints: 办不成事, 投诉 (R-P1, R-P2)
from tui.appointments_api import AppointmentCalls  # ---- 预约, 停电断网登记 (R-Q7, R-Q8)
from tui.delegation_api import DelegationCalls  # ---- 帮办代办 (R-D1, R-D2)
from tui.faults_api import FaultCalls  # ---- faults: 故障台账, 应急处置 (R-I1, R-I2)
from tui.figures_api import FigureCalls  # ---- figures: 站长首页, 统计 (R-M1)
from tui.ledgers_api import LedgerCalls  # ---- 首问, 咨询, 知识库 (R-C1–R-C3)
from tui.ratings_api import RatingCalls  # ---- ratings: 差评回访, 意见箱 (R-E2, R-E3)

T = TypeVar("T")
# Connecting fails fast (the server is on the same device or the station's LAN); an answer
# may take longer on a loaded Pi writing to its SD card with synchronous=FULL, and a slow
# answer is not "offline".
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=3.0)
OFFLINE_MESSAGE = "无法连接服务器，请检查网络，系统会自动重试"
SLOW_MESSAGE = "服务器响应超时，操作可能已经完成，请稍后按 r 刷新查看"


class ApiError(Exception):
    """The server refused the request (HTTP 4xx/5xx); ``message`` is shown to the user."""

    def __init__(self, status: int, message: str, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


class Offline(Exception):
    """The server could not be reached (connection refused, timeout, network down)."""

    def __init__(self, message: str = OFFLINE_MESSAGE) -> None:
        super().__init__(message)
        self.message = message


def _error_from(response: httpx.Response) -> ApiError:
    message = f"服务器拒绝了请求（HTTP {response.status_code}）"
    code = ""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        message = str(body.get("message") or message)
        code = str(body.get("error") or "")
    return ApiError(response.status_code, message, code)


class StationApi(  # ---- see the mixins
    LedgerCalls,
    RatingCalls,
    ArchiveCalls,
    DeskCalls,
    FaultCalls,
    DelegationCalls,
    FigureCalls,
    AppointmentCalls,
):
    """Async client of the station HTTP API. Inject ``client`` or ``transport`` in tests."""

    def __init__(
        self,
        base_url: str,
        *,
        client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self.token: str | None = None
        self._client = client or httpx.AsyncClient(
            base_url=base_url, transport=transport, timeout=timeout
        )

    @property
    def base_url(self) -> str:
        return str(self._client.base_url)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _request(self, method: str, path: str, body: Any = None) -> Any:
        """The answer's JSON (None when empty); ``body`` is sent as JSON when given."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = await self._client.request(method, path, json=body, headers=headers)
        except (httpx.ReadTimeout, httpx.WriteTimeout) as exc:
            raise Offline(SLOW_MESSAGE) from exc
        except httpx.TransportError as exc:
            raise Offline() from exc
        if not response.is_success:
            raise _error_from(response)
        return response.json() if response.content else None

    # ---- station and session -------------------------------------------------------------
    # Answers are the station's wire types (``appliance.<feature>.schemas``), decoded with
    # ``msgspec.convert``; an answer that does not fit raises ``msgspec.ValidationError``.
    async def health(self) -> StationHealth:
        return msgspec.convert(await self._request("GET", "/api/health"), StationHealth)

    async def login(self, code: str, pin: str) -> LoginResult:
        """登录; the new token is used for every later request."""
        body = msgspec.to_builtins(LoginIn(code=code, pin=pin))
        login = msgspec.convert(await self._request("POST", "/api/auth/login", body), LoginResult)
        self.token = login.token
        return login

    async def change_pin(self, code: str, old_pin: str, new_pin: str) -> LoginResult:
        """修改密码 with the old PIN; the answer is a new session, used from now on."""
        body = msgspec.to_builtins(ChangePinIn(code=code, old_pin=old_pin, new_pin=new_pin))
        path = "/api/auth/change-pin"
        login = msgspec.convert(await self._request("POST", path, body), LoginResult)
        self.token = login.token
        return login

    async def logout(self) -> None:
        try:
            if self.token:
                await self._request("POST", "/api/auth/logout")
        finally:
            self.token = None

    async def me(self) -> MeView:
        return msgspec.convert(await self._request("GET", "/api/auth/me"), MeView)

    async def windows(self) -> list[WindowInfo]:
        return msgspec.convert(await self._request("GET", "/api/windows"), list[WindowInfo])

    async def queue(self) -> QueueSnapshot:
        return msgspec.convert(await self._request("GET", "/api/queue"), QueueSnapshot)

    async def alerts(self) -> list[AlertView]:
        return msgspec.convert(await self._request("GET", "/api/alerts"), list[AlertView])

    async def device_problems(self) -> list[str]:
        """Devices not ready (printer out of paper, modem without signal…), as status text."""
        devices = msgspec.convert(await self._request("GET", "/api/devices"), list[DeviceView])
        # the hardware service's own row and the devices it can no longer vouch for
        # ("unknown") are one line of the status bar: see ``appliance()``
        return [
            f"{d.name}：{d.label}"
            for d in devices
            if not d.ok and d.device != "hwservice" and d.state != "unknown"
        ]

    async def appliance(self) -> ApplianceStatus | None:
        """The hardware service's state and the last good backup; None from an older server."""
        try:
            data = await self._request("GET", "/api/devices/appliance")
        except ApiError as exc:
            if exc.status in (404, 405):
                return None
            raise
        return msgspec.convert(data, ApplianceStatus)

    async def clock(self) -> ClockStatus:
        """系统时间 as the server judges it (answered also while it refuses to serve)."""
        return msgspec.convert(await self._request("GET", "/api/clock"), ClockStatus)

    async def set_clock(self, body: SetClockIn) -> ClockStatus:
        """校准时间 with the station head's code and PIN (only while the clock is wrong)."""
        answer = await self._request("POST", "/api/clock/set", msgspec.to_builtins(body))
        return msgspec.convert(answer, ClockStatus)

    async def sync_status(self) -> tuple[str, list[str]] | None:
        """同步状态: (status-bar line, problem lines); None if this server has no sync API."""
        try:
            data = await self._request("GET", "/api/sync/status")
        except ApiError as exc:
            if exc.status in (404, 405):
                return None
            raise
        status = msgspec.convert(data, SyncStatusView)
        return status.summary, status.problems

    # ---- calling actions of a window (R-Q3) ----------------------------------------------
    async def _window_action(
        self, window: int | str, action: str, body: msgspec.Struct | None = None
    ) -> Any:
        sent = msgspec.to_builtins(body) if body is not None else {}
        return await self._request("POST", f"/api/windows/{window}/{action}", sent)

    async def _ticket_action(
        self, window: int | str, action: str, body: msgspec.Struct | None = None
    ) -> TicketView:
        return msgspec.convert(await self._window_action(window, action, body), TicketView)

    async def call_next(self, window: int | str) -> TicketView:
        return await self._ticket_action(window, "call-next")

    async def reprint(self, ticket: str) -> str:
        """补打小票: a new print job for today's ticket; returns its title (the number)."""
        job = await self._request("POST", f"/api/tickets/{ticket}/reprint")
        return msgspec.convert(job, PrintJobView).title

    async def call_ticket(self, window: int | str, ticket: str) -> TicketView:
        return await self._ticket_action(window, "call", CallTicketIn(ticket=ticket))

    async def recall(self, window: int | str) -> TicketView:
        return await self._ticket_action(window, "recall")

    async def start(self, window: int | str) -> TicketView:
        return await self._ticket_action(window, "start")

    async def finish(self, window: int | str) -> TicketView:
        return await self._ticket_action(window, "finish")

    async def no_show(self, window: int | str) -> TicketView:
        return await self._ticket_action(window, "no-show")

    async def transfer(
        self,
        window: int | str,
        to_window: int | str | None = None,
        to_category: str | None = None,
    ) -> TicketView:
        target = None if to_window is None else str(to_window)
        body = TransferIn(to_window=target, to_category=to_category)
        return await self._ticket_action(window, "transfer", body)

    async def pause(self, window: int | str, reason: str) -> WindowState:
        """暂停服务 (R-Q6)."""
        state = await self._window_action(window, "pause", PauseIn(reason=reason))
        return msgspec.convert(state, WindowState)

    async def resume(self, window: int | str) -> WindowState:
        return msgspec.convert(await self._window_action(window, "resume"), WindowState)

    # ---- tickets (R-Q1) ------------------------------------------------------------------
    async def issue(
        self, category: str, priority: str = "normal", phone: str | None = None
    ) -> TicketView:
        """工作人员代取号 (source staff)."""
        body = IssueIn(category=category, priority=priority, phone=phone, source="staff")
        ticket = await self._request("POST", "/api/tickets", msgspec.to_builtins(body))
        return msgspec.convert(ticket, TicketView)

    async def rejoin(self, ticket: str) -> TicketView:
        """过号重排."""
        answer = await self._request("POST", f"/api/tickets/{ticket}/rejoin")
        return msgspec.convert(answer, TicketView)

    # ---- attendance (R-T2) ---------------------------------------------------------------
    async def clock_in(self) -> StaffView:
        return msgspec.convert(await self._request("POST", "/api/staff/me/clock-in"), StaffView)

    async def clock_out(self) -> StaffView:
        return msgspec.convert(await self._request("POST", "/api/staff/me/clock-out"), StaffView)

    async def set_whereabouts(self, whereabouts: str) -> StaffView:
        """去向 on the 公示栏 (外出办事, 入户代办, 会议…)."""
        body = {"whereabouts": whereabouts}
        answer = await self._request("POST", "/api/staff/me/whereabouts", body)
        return msgspec.convert(answer, StaffView)

    # ---- catalogue and cases (R-S3, R-K1–R-K6) -------------------------------------------
    # Requests and answers are the station's wire types; an answer that does not fit its
    # type raises ``msgspec.ValidationError`` (the case screens say the answer is unknown).
    async def search_items(self, query: str, limit: int = 8) -> list[ItemSummary]:
        """事项检索 by name, keyword or pinyin initials (``gljt`` → 高龄津贴申请)."""
        params = urlencode({"q": query, "limit": limit})
        hits = await self._request("GET", f"/api/catalogue/items?{params}")
        return msgspec.convert(hits, list[ItemSummary])

    async def item_guide(self, code: str) -> ItemDetail:
        guide = await self._request("GET", f"/api/catalogue/items/{quote(code)}")
        return msgspec.convert(guide, ItemDetail)

    async def print_guide(self, code: str) -> str:
        """打印一次性告知单 (R-C4) for the visitor: one copy; returns the print job's id."""
        job = await self._request("POST", f"/api/catalogue/items/{quote(code)}/guide/print")
        return msgspec.convert(job, GuidePrint).print_job_id

    async def open_case(self, body: OpenCaseIn) -> CaseDetail:
        """收件: open a case (``ticket_id`` links it to the ticket being served)."""
        case = await self._request("POST", "/api/cases", msgspec.to_builtins(body))
        return msgspec.convert(case, CaseDetail)

    async def case_action(self, number: str, action: str, body: CaseActionIn) -> StepResult:
        """One decision (受理、补正、不予受理 … 送达) with the fields it needs."""
        path = f"/api/cases/{quote(number)}/actions/{quote(action)}"
        step = await self._request("POST", path, msgspec.to_builtins(body))
        return msgspec.convert(step, StepResult)

    async def my_cases(self, mine: bool = True, done: bool = False) -> list[CaseSummary]:
        """我的办件 (or every staff member's with ``mine=False``), nearest deadline first;
        finished cases (已送达, 已关闭 …) only with ``done``."""
        params = urlencode({"mine": int(mine), "done": int(done)})
        cases = await self._request("GET", f"/api/cases?{params}")
        return msgspec.convert(cases, list[CaseSummary])

    async def case(self, number: str) -> CaseDetail:
        case = await self._request("GET", f"/api/cases/{quote(number)}")
        return msgspec.convert(case, CaseDetail)

    async def case_notices(self, number: str) -> list[CaseNoticeView]:
        """Notices kept with the case and their print state (通知书)."""
        notices = await self._request("GET", f"/api/cases/{quote(number)}/notices")
        return msgspec.convert(notices, list[CaseNoticeView])

    async def reprint_notice(self, number: str, notice_id: str) -> CaseNoticeView:
        """补打通知书: a new print job of the kept PDF (一式二份); the notice as it is now."""
        path = f"/api/cases/{quote(number)}/notices/{quote(notice_id)}/reprint"
        return msgspec.convert(await self._request("POST", path), CaseNoticeView)

    # ---- contacts, consultations, knowledge (R-C1–R-C3, R-M3) ----------------------------
    async def _typed(self, method: str, path: str, answer: type[T], body: Any = None) -> T:
        sent = msgspec.to_builtins(body) if isinstance(body, msgspec.Struct) else body
        return msgspec.convert(await self._request(method, path, sent), answer)

    async def ledger_export(self, ledger: str, fmt: str, start: str, end: str) -> bytes:
        """台账导出 (``contacts``, ``consultations``, ``knowledge``) as CSV or XLSX bytes."""
        query = urlencode({k: v for k, v in (("start", start), ("end", end)) if v})
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        path = f"/api/{ledger}/export.{fmt}?{query}"
        try:
            response = await self._client.get(path, headers=headers)
        except (httpx.ReadTimeout, httpx.WriteTimeout) as exc:
            raise Offline(SLOW_MESSAGE) from exc
        except httpx.TransportError as exc:
            raise Offline() from exc
        if not response.is_success:
            raise _error_from(response)
        return response.content
