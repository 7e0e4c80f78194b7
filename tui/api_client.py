"""``StationApi``: the staff terminal's only door to the station server (HTTP, async).

Errors become two exceptions at this one place: a refusal from the server is
``ApiError(status, message)`` with the server's Chinese message; a server that cannot be
reached is ``Offline``. Screens never see an ``httpx`` exception.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import httpx

from tui.case_models import CaseDetail, CaseNotice, CaseSummary, ItemGuide, ItemHit, StepResult
from tui.models import Alert, Login, QueueSnapshot, Staff, Ticket, WindowInfo, WindowState

DEFAULT_TIMEOUT = 3.0
OFFLINE_MESSAGE = "无法连接服务器，请检查网络，系统会自动重试"


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


class StationApi:
    """Async client of the station HTTP API. Inject ``client`` or ``transport`` in tests."""

    def __init__(
        self,
        base_url: str,
        device_key: str = "",
        *,
        client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.device_key = device_key
        self.token: str | None = None
        self._client = client or httpx.AsyncClient(
            base_url=base_url, transport=transport, timeout=timeout
        )

    @property
    def base_url(self) -> str:
        return str(self._client.base_url)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        sent = dict(headers or {})
        if self.token and "X-Device-Key" not in sent:
            sent["Authorization"] = f"Bearer {self.token}"
        try:
            response = await self._client.request(method, path, json=body, headers=sent)
        except httpx.TransportError as exc:
            raise Offline() from exc
        if not response.is_success:
            raise _error_from(response)
        return response.json() if response.content else None

    # ---- station and session -------------------------------------------------------------
    async def health(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._request("GET", "/api/health")
        return result

    async def login(self, code: str, pin: str) -> Login:
        """登录; the new token is used for every later request."""
        data = await self._request("POST", "/api/auth/login", {"code": code, "pin": pin})
        self.token = str(data["token"])
        return Login(self.token, Staff.from_json(data["staff"]))

    async def logout(self) -> None:
        try:
            if self.token:
                await self._request("POST", "/api/auth/logout")
        finally:
            self.token = None

    async def me(self) -> Staff:
        return Staff.from_json(await self._request("GET", "/api/auth/me"))

    async def windows(self) -> list[WindowInfo]:
        return [WindowInfo.from_json(w) for w in await self._request("GET", "/api/windows")]

    async def queue(self) -> QueueSnapshot:
        return QueueSnapshot.from_json(await self._request("GET", "/api/queue"))

    async def alerts(self) -> list[Alert]:
        return [Alert.from_json(a) for a in await self._request("GET", "/api/alerts")]

    async def device_problems(self) -> list[str]:
        """Devices not ready (printer out of paper, modem without signal…), as status text."""
        devices = await self._request("GET", "/api/devices")
        return [f"{d['name']}：{d['label']}" for d in devices if not d.get("ok")]

    async def sync_status(self) -> tuple[str, list[str]] | None:
        """同步状态: (status-bar line, problem lines); None if this server has no sync API."""
        try:
            data = await self._request("GET", "/api/sync/status")
        except ApiError as exc:
            if exc.status in (404, 405):
                return None
            raise
        if not isinstance(data, dict):
            return None
        return str(data.get("summary") or ""), [str(p) for p in data.get("problems") or []]

    # ---- calling actions of a window (R-Q3) ----------------------------------------------
    async def _window_action(
        self, window: int | str, action: str, body: dict[str, Any] | None = None
    ) -> Any:
        return await self._request("POST", f"/api/windows/{window}/{action}", body or {})

    async def call_next(self, window: int | str) -> Ticket:
        return Ticket.from_json(await self._window_action(window, "call-next"))

    async def reprint(self, ticket: str) -> str:
        """补打小票: a new print job for today's ticket; returns its title (the number)."""
        job = await self._request("POST", f"/api/tickets/{ticket}/reprint")
        return str(job["title"])

    async def call_ticket(self, window: int | str, ticket: str) -> Ticket:
        return Ticket.from_json(await self._window_action(window, "call", {"ticket": ticket}))

    async def recall(self, window: int | str) -> Ticket:
        return Ticket.from_json(await self._window_action(window, "recall"))

    async def start(self, window: int | str) -> Ticket:
        return Ticket.from_json(await self._window_action(window, "start"))

    async def finish(self, window: int | str) -> Ticket:
        return Ticket.from_json(await self._window_action(window, "finish"))

    async def no_show(self, window: int | str) -> Ticket:
        return Ticket.from_json(await self._window_action(window, "no-show"))

    async def transfer(
        self,
        window: int | str,
        to_window: int | str | None = None,
        to_category: str | None = None,
    ) -> Ticket:
        body = {
            "to_window": None if to_window is None else str(to_window),
            "to_category": to_category,
        }
        return Ticket.from_json(await self._window_action(window, "transfer", body))

    async def pause(self, window: int | str, reason: str) -> WindowState:
        """暂停服务 (R-Q6)."""
        return WindowState.from_json(await self._window_action(window, "pause", {"reason": reason}))

    async def resume(self, window: int | str) -> WindowState:
        return WindowState.from_json(await self._window_action(window, "resume"))

    # ---- tickets (R-Q1) ------------------------------------------------------------------
    async def issue(
        self, category: str, priority: str = "normal", phone: str | None = None
    ) -> Ticket:
        """工作人员代取号 (source staff)."""
        body = {"category": category, "priority": priority, "phone": phone, "source": "staff"}
        return Ticket.from_json(await self._request("POST", "/api/tickets", body))

    async def press_button(self, category: str | None = None) -> Ticket:
        """The simulated call button (叫号按钮): issues with the device key, not a login."""
        headers = {"X-Device-Key": self.device_key}
        body = {"category": category} if category else {}
        return Ticket.from_json(await self._request("POST", "/api/device/tickets", body, headers))

    async def rejoin(self, ticket: str) -> Ticket:
        """过号重排."""
        return Ticket.from_json(await self._request("POST", f"/api/tickets/{ticket}/rejoin"))

    # ---- attendance (R-T2) ---------------------------------------------------------------
    async def clock_in(self) -> Staff:
        return Staff.from_json(await self._request("POST", "/api/staff/me/clock-in"))

    async def clock_out(self) -> Staff:
        return Staff.from_json(await self._request("POST", "/api/staff/me/clock-out"))

    # ---- catalogue and cases (R-S3, R-K1–R-K6) -------------------------------------------
    async def search_items(self, query: str, limit: int = 8) -> list[ItemHit]:
        """事项检索 by name, keyword or pinyin initials (``gljt`` → 高龄津贴申请)."""
        params = urlencode({"q": query, "limit": limit})
        hits = await self._request("GET", f"/api/catalogue/items?{params}")
        return [ItemHit.from_json(h) for h in hits]

    async def item_guide(self, code: str) -> ItemGuide:
        return ItemGuide.from_json(
            await self._request("GET", f"/api/catalogue/items/{quote(code)}")
        )

    async def print_guide(self, code: str) -> str:
        """打印一次性告知单 (R-C4) for the visitor: one copy; returns the print job's id."""
        job = await self._request("POST", f"/api/catalogue/items/{quote(code)}/guide/print")
        return str(job["print_job_id"])

    async def open_case(self, body: dict[str, Any]) -> CaseDetail:
        """收件: open a case (``ticket_id`` links it to the ticket being served)."""
        return CaseDetail.from_json(await self._request("POST", "/api/cases", body))

    async def case_action(self, number: str, action: str, body: dict[str, Any]) -> StepResult:
        """One decision (受理、补正、不予受理 … 送达) with the fields it needs."""
        path = f"/api/cases/{quote(number)}/actions/{quote(action)}"
        return StepResult.from_json(await self._request("POST", path, body))

    async def my_cases(self, mine: bool = True, done: bool = False) -> list[CaseSummary]:
        """我的办件 (or every staff member's with ``mine=False``), nearest deadline first;
        finished cases (已送达, 已关闭 …) only with ``done``."""
        params = urlencode({"mine": int(mine), "done": int(done)})
        return [
            CaseSummary.from_json(c) for c in await self._request("GET", f"/api/cases?{params}")
        ]

    async def case(self, number: str) -> CaseDetail:
        return CaseDetail.from_json(await self._request("GET", f"/api/cases/{quote(number)}"))

    async def case_notices(self, number: str) -> list[CaseNotice]:
        """Notices kept with the case and their print state (通知书)."""
        notices = await self._request("GET", f"/api/cases/{quote(number)}/notices")
        return [CaseNotice.from_json(n) for n in notices]

    async def reprint_notice(self, number: str, notice_id: str) -> CaseNotice:
        """补打通知书: a new print job of the kept PDF (一式二份); the notice as it is now."""
        path = f"/api/cases/{quote(number)}/notices/{quote(notice_id)}/reprint"
        return CaseNotice.from_json(await self._request("POST", path))
