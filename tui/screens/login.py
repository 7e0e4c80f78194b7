"""登录: staff code, PIN and (optionally) the window number; and the forced PIN change.

A PIN shorter than the station's minimum (an old 4-digit one, or one the county published)
opens no session: the server answers ``pin_change_required`` and this screen asks for a new
PIN twice (``ChangePinDialog``), changes it with the old one and opens the session.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from tui.api_client import ApiError, Offline
from tui.screens.base import AppScreen, Dialog
from tui.session import Session, change_pin_and_open, open_session
from tui.status_bar import StatusBar

FIELD_NAMES = {"login-code": "工号", "login-pin": "密码", "login-window": "窗口号"}
WINDOW_DIGITS = 2  # a window number has 1–2 digits; a PIN has at least 4


class ChangePinDialog(Dialog[str]):
    """修改密码: the new PIN, typed twice; the server judges it (length, not trivial)."""

    def __init__(self, why: str, error: str = "") -> None:
        super().__init__()
        self.why = why
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pin-change"):
            yield Label("修改密码", classes="dialog-title")
            yield Static(self.why, id="pin-change-why")
            yield Label("新密码：")
            yield Input(placeholder="至少 6 位数字", password=True, id="new-pin")
            yield Label("再次输入新密码：")
            yield Input(password=True, id="new-pin-again")
            yield Static(self.error, classes="dialog-error", id="pin-change-error")
            yield Static("Enter 确定 · Tab 切换 · Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#new-pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        first = self.query_one("#new-pin", Input)
        again = self.query_one("#new-pin-again", Input)
        error = self.query_one("#pin-change-error", Static)
        if not first.value:
            error.update("请输入新密码")
            first.focus()
        elif event.input is first and not again.value:
            again.focus()
        elif first.value != again.value:
            error.update("两次输入的新密码不一致，请重新输入")
            first.value, again.value = "", ""
            first.focus()
        else:
            self.dismiss(first.value)


class LoginScreen(AppScreen):
    """The first screen; Enter in any field logs in."""

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll(id="login-scroll"), Center(), Vertical(id="login-box"):
            yield Label("驿站 · 工作人员登录", id="login-title")
            yield Label("工号：")
            yield Input(placeholder="如 ck01", id="login-code")
            yield Label("密码：")
            yield Input(placeholder="数字密码", password=True, id="login-pin")
            yield Label("窗口号：")
            yield Input(placeholder="留空则使用账号绑定的窗口", id="login-window")
            yield Static("", id="login-error")
            yield Static("", id="login-where", classes="dialog-hint")
            yield Static("Enter 登录 · Tab 切换输入框 · Ctrl+Q 退出", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#login-code", Input).focus()

    def on_descendant_focus(self) -> None:
        """Say which field the cursor is in, and keep that field on screen."""
        focused = self.focused
        if isinstance(focused, Input) and focused.id in FIELD_NAMES:
            self.query_one("#login-where", Static).update(f"正在填写：{FIELD_NAMES[focused.id]}")
            focused.scroll_visible(animate=False)

    def _complaint(self) -> tuple[str, str] | None:
        """What is missing or misplaced in the form, and the field to go to (before the server)."""
        code, pin = self._value("#login-code").strip(), self._value("#login-pin")
        window = self._value("#login-window").strip()
        if code.isdigit() and len(code) <= WINDOW_DIGITS:
            return (
                f"工号栏填的“{code}”像是窗口号：窗口号请填在最下面的“窗口号”栏，工号如 ck01",
                "#login-code",
            )
        if not code:
            return "请先输入工号（如 ck01）", "#login-code"
        if pin.isdigit() and len(pin) <= WINDOW_DIGITS:
            return (
                f"密码栏填的“{pin}”像是窗口号：窗口号请填在“窗口号”栏，密码至少 4 位",
                "#login-pin",
            )
        if not pin:
            return "还没有输入密码：请在“密码”栏输入数字密码，再按 Enter", "#login-pin"
        if window and not window.isdigit():
            return "窗口号只能填写数字，如 1；留空则使用账号绑定的窗口", "#login-window"
        return None

    def _value(self, field_id: str) -> str:
        return self.query_one(field_id, Input).value

    def _show_error(self, message: str) -> None:
        self.query_one("#login-error", Static).update(message)

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        complaint = self._complaint()
        if complaint is not None:
            message, field_id = complaint
            self._show_error(message)
            field = self.query_one(field_id, Input)
            if field_id == "#login-pin":
                field.value = ""
            field.focus()
            return
        self._show_error("正在登录…")
        try:
            session = await open_session(
                self.yz.api,
                self._value("#login-code"),
                self._value("#login-pin"),
                self._value("#login-window"),
            )
        except ApiError as exc:
            self._refused(exc)
            return
        except Offline as exc:
            self._offline(exc)
            return
        self.yz.start_session(session)

    def _refused(self, exc: ApiError) -> None:
        self._show_error(exc.message)
        if exc.code == "pin_change_required":
            self.app.push_screen(ChangePinDialog(exc.message), self._pin_chosen)
        else:  # the code stays; the PIN is typed again, with the message above it
            pin = self.query_one("#login-pin", Input)
            pin.value = ""
            pin.focus()

    def _offline(self, exc: Offline) -> None:
        self._show_error(exc.message)
        self.yz.set_online(False)

    async def _pin_chosen(self, new_pin: str | None) -> None:
        if new_pin is None:
            self._show_error("密码未修改，不能登录；按 Enter 重新开始")
            return
        self._show_error("正在修改密码…")
        try:
            session: Session = await change_pin_and_open(
                self.yz.api,
                self._value("#login-code"),
                self._value("#login-pin"),
                new_pin,
                self._value("#login-window"),
            )
        except ApiError as exc:
            if exc.status == 400:  # the new PIN is refused: ask again, saying why
                self._show_error(exc.message)
                self.app.push_screen(
                    ChangePinDialog("请换一个新密码。", exc.message), self._pin_chosen
                )
            else:
                self._refused(exc)
            return
        except Offline as exc:
            self._offline(exc)
            return
        self.notify("密码已修改，请记住新密码")
        self.yz.start_session(session)
