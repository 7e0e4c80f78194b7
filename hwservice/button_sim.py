"""The simulated call button (取号按钮) at the door: ``yizhan button``.

It goes the real button's way: ``ButtonClient.press`` is ``ButtonBridge.press`` (the code
behind the GPIO button in ``yizhan hw``) over ``DeviceApi``, so one press is one
``POST /api/device/button-press`` with the device key, and the receipt job that comes back
leased is printed at once on the receipt printer the settings name (``printer_backend``;
with none, the job's lease runs out and ``yizhan hw`` prints it). The simulator reads Enter
(short press) and ``l`` + Enter (long press: 老弱病残孕 priority) from the terminal.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

import httpx

from appliance.queue.schemas import TicketView
from hwservice.api import ApiRefused, ApiTimeout, ApiUnavailable, DeviceApi
from hwservice.buttons import ButtonBridge, ClaimedPrinter

if TYPE_CHECKING:
    from appliance.settings import Settings


class ButtonError(Exception):
    """A press that did not issue a ticket; ``message`` is Chinese and shown as is."""

    def __init__(self, message: str, code: str = "error", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class ButtonClient:
    """Presses the call button on the station server, the way the hardware service does."""

    def __init__(
        self,
        server_url: str,
        device_key: str,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
        printer: ClaimedPrinter | None = None,
    ) -> None:
        self.api = DeviceApi(server_url, device_key, timeout, transport)
        self.server_url = self.api.server_url
        self.bridge = ButtonBridge(self.api, None, None, printer=printer)

    def press(self, long: bool = False) -> TicketView:
        """One press; a long press asks for a priority (老弱病残孕) ticket."""
        try:
            return self.bridge.press("long" if long else "short").ticket
        except ApiRefused as exc:
            raise ButtonError(exc.message, exc.code or "error", exc.status) from exc
        except ApiTimeout as exc:
            raise ButtonError(f"服务器 {self.server_url} 响应超时，请稍后再按", "timeout") from exc
        except ApiUnavailable as exc:
            raise ButtonError(
                f"无法连接服务器 {self.server_url}，请检查服务器是否已启动、网线是否接好",
                "unreachable",
            ) from exc

    def close(self) -> None:
        self.api.close()

    def __enter__(self) -> ButtonClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def describe(ticket: TicketView) -> str:
    """What the simulator prints for an issued ticket."""
    text = f"已取号 {ticket.number}（{ticket.category_name}）"
    if ticket.priority != "normal" and ticket.priority_label:
        text += f"【{ticket.priority_label}】"
    text += f"，前面还有 {ticket.people_ahead} 人，预计等候约 {ticket.est_wait_min} 分钟"
    if ticket.closing_warning:
        text += f"\n  提示：{ticket.closing_warning}"
    return text


HELP = "按回车 = 短按取号；输入 l 再按回车 = 长按（老弱病残孕优先）；输入 q 退出"


def _client_for(settings: Settings, out: TextIO) -> ButtonClient:
    """The button with the receipt printer of the settings (as ``yizhan hw`` builds it)."""
    from hwservice.devices import make_receipt_printer
    from hwservice.printing import PrintWorker, ReceiptOptions

    client = ButtonClient(settings.server_url, settings.device_key)
    try:
        receipt = make_receipt_printer(settings)
    except Exception as exc:  # not ready: tickets are still issued; yizhan hw prints later
        out.write(f"小票打印机不可用（{exc}），小票稍后由硬件服务补打\n")
        receipt = None
    if receipt is not None:
        opts = ReceiptOptions(
            settings.station_name, settings.visitor_url, settings.paper_width_mm, settings.timezone
        )
        client.bridge.printer = PrintWorker(client.api, receipt, None, opts)
    return client


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
    client = client or _client_for(settings, stdout)

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
