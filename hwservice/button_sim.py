"""Call button (取号按钮) client and a terminal simulator of the button at the door.

``ButtonClient`` is what the real GPIO button service will use too: one press is one
``POST /api/device/tickets`` with the device key. The simulator reads Enter (short press)
and ``l`` + Enter (long press: 老弱病残孕 priority) from the terminal.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

import httpx

if TYPE_CHECKING:
    from appliance.settings import Settings

DEVICE_TICKETS_PATH = "/api/device/tickets"


class ButtonError(Exception):
    """A press that did not issue a ticket; ``message`` is Chinese and shown as is."""

    def __init__(self, message: str, code: str = "error", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


@dataclass(frozen=True)
class IssuedTicket:
    """The ticket a press issued, as the server returned it."""

    id: str
    number: str
    category_name: str
    priority: str
    priority_label: str
    source: str
    people_ahead: int
    est_wait_min: int
    closing_warning: str | None = None

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> IssuedTicket:
        return cls(
            id=str(body["id"]),
            number=str(body["number"]),
            category_name=str(body.get("category_name", "")),
            priority=str(body.get("priority", "normal")),
            priority_label=str(body.get("priority_label", "")),
            source=str(body.get("source", "")),
            people_ahead=int(body.get("people_ahead", 0)),
            est_wait_min=int(body.get("est_wait_min", 0)),
            closing_warning=body.get("closing_warning"),
        )


class ButtonClient:
    """Issues tickets on the station server as the call button."""

    def __init__(
        self,
        server_url: str,
        device_key: str,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.server_url,
            headers={"X-Device-Key": device_key},
            timeout=timeout,
            transport=transport,
        )

    def press(self, long: bool = False, category: str | None = None) -> IssuedTicket:
        """One press; a long press asks for a priority (老弱病残孕) ticket."""
        body: dict[str, str] = {}
        if long:
            body["priority"] = "vulnerable"
        if category:
            body["category"] = category
        try:
            response = self._http.post(DEVICE_TICKETS_PATH, json=body)
        except httpx.TimeoutException as exc:
            raise ButtonError(f"服务器 {self.server_url} 响应超时，请稍后再按", "timeout") from exc
        except httpx.HTTPError as exc:
            raise ButtonError(
                f"无法连接服务器 {self.server_url}，请检查服务器是否已启动、网线是否接好",
                "unreachable",
            ) from exc
        if response.status_code >= 400:
            raise self._error(response)
        try:
            return IssuedTicket.from_json(response.json())
        except (ValueError, KeyError, TypeError) as exc:
            raise ButtonError("服务器返回的内容无法识别", "bad_response") from exc

    @staticmethod
    def _error(response: httpx.Response) -> ButtonError:
        try:
            body = response.json()
            message = str(body["message"])
            code = str(body.get("error", "error"))
        except (ValueError, KeyError, TypeError):
            message = f"服务器出错（HTTP {response.status_code}），请稍后再试"
            code = "server_error"
        return ButtonError(message, code, response.status_code)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ButtonClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def describe(ticket: IssuedTicket) -> str:
    """What the simulator prints for an issued ticket."""
    text = f"已取号 {ticket.number}（{ticket.category_name}）"
    if ticket.priority != "normal" and ticket.priority_label:
        text += f"【{ticket.priority_label}】"
    text += f"，前面还有 {ticket.people_ahead} 人，预计等候约 {ticket.est_wait_min} 分钟"
    if ticket.closing_warning:
        text += f"\n  提示：{ticket.closing_warning}"
    return text


HELP = "按回车 = 短按取号；输入 l 再按回车 = 长按（老弱病残孕优先）；输入 q 退出"


def run_button_simulator(
    settings: Settings,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    client: ButtonClient | None = None,
) -> int:
    """Simulate the door button in a terminal until ``q`` or end of input; returns 0."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    own_client = client is None
    client = client or ButtonClient(settings.server_url, settings.device_key)

    def say(text: str) -> None:
        stdout.write(text + "\n")
        stdout.flush()

    say(f"模拟取号按钮 → {client.server_url}")
    say(HELP)
    try:
        for raw in stdin:
            command = raw.strip().lower()
            if command in ("q", "quit", "exit"):
                break
            if command not in ("", "l"):
                say(f"无法识别“{raw.strip()}”。{HELP}")
                continue
            try:
                say(describe(client.press(long=command == "l")))
            except ButtonError as exc:
                say(f"取号失败：{exc.message}")
    except KeyboardInterrupt:
        pass
    finally:
        if own_client:
            client.close()
    say("已退出模拟取号按钮")
    return 0
