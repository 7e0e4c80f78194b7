"""叫号台: my window's current ticket, the waiting lists, the no-shows, and every staff action.

Each action calls the API once through ``YizhanApp.attempt``: a refusal from the server is
shown as a notification and nothing changes here; success refreshes the queue at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical

from appliance.queue.schemas import CategoryQueue, QueueSnapshot, TicketView, WindowState
from tui.models import window_of
from tui.queue_widgets import CategoryTable, CurrentTicketPanel, KeyFooter, NoShowTable
from tui.screens.base import AppScreen
from tui.screens.cases_intake import IntakeScreen
from tui.screens.cases_list import MyCasesScreen
from tui.screens.dialogs import IssueDialog, IssueRequest, PromptDialog, parse_transfer
from tui.status_bar import StatusBar

R = TypeVar("R")
# The actions of one window: only its own staff member, or the head acting for it (R-Q6).
WINDOW_ACTIONS = frozenset(
    {"call_next", "recall", "start", "finish", "no_show", "transfer", "call_ticket", "pause"}
)


def visible_categories(
    snapshot: QueueSnapshot, mine: WindowState | None, window: int | None
) -> list[CategoryQueue]:
    """The categories my window serves, plus any holding a ticket transferred to it."""
    if mine is None or window is None:
        return snapshot.categories
    return [
        q
        for q in snapshot.categories
        if q.id in mine.categories or any(t.target_window_number == window for t in q.waiting)
    ]


class QueueScreen(AppScreen):
    BINDINGS = [
        Binding("c,f2", "call_next", "呼叫下一位"),
        Binding("r,f3", "recall", "重呼"),
        Binding("s,f4", "start", "开始办理"),
        Binding("f,f5", "finish", "完成"),  # the visitor is served; 办结 is said of cases
        Binding("n,f6", "no_show", "过号"),
        Binding("t", "transfer", "转移"),
        Binding("a", "call_ticket", "指定呼叫"),
        Binding("p", "pause", "暂停服务"),
        Binding("j", "rejoin", "过号重排"),
        Binding("i", "issue", "代取号"),
        Binding("y", "reprint", "补打小票"),
        Binding("e", "intake", "收件"),
        Binding("m", "my_cases", "我的办件"),
        Binding("g", "menu", "功能菜单"),
        Binding("k", "clock_in", "签到"),
        Binding("o", "clock_out", "签退"),
        Binding("w", "whereabouts", "去向"),
        Binding("x", "logout", "退出登录"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._shown_seq: int | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with Horizontal(id="queue-main"):
            with Vertical(id="queue-left"):
                yield CurrentTicketPanel(id="current")
                yield NoShowTable(self.yz.timezone, self._window_number())
            yield Horizontal(id="queues")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(CurrentTicketPanel).show(None, self._window_number())
        self.call_later(self.yz.refresh_now)

    # ---- rendering -----------------------------------------------------------------------
    def _window_number(self) -> int | None:
        session = self.yz.session
        return session.window if session else None

    async def show_snapshot(self, snapshot: QueueSnapshot) -> None:
        """Redraw when the station changed (its event sequence moved on)."""
        if not self.is_mounted or snapshot.event_seq == self._shown_seq:
            return
        self._shown_seq = snapshot.event_seq
        window = self._window_number()
        mine = window_of(snapshot, window)
        self.query_one(CurrentTicketPanel).show(mine, window)
        self.query_one(NoShowTable).show(snapshot.no_shows)
        wanted = visible_categories(snapshot, mine, window)
        box = self.query_one("#queues", Horizontal)
        tables = list(box.query(CategoryTable))
        if [t.category_id for t in tables] == [q.id for q in wanted]:
            for table, queue in zip(tables, wanted, strict=True):
                table.show(queue)
            return
        await box.remove_children()
        await box.mount_all(CategoryTable(q, self.yz.timezone, window) for q in wanted)

    # ---- helpers -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Window actions only for a session at a window (R-Q6): the keys of someone without
        one (引导, 投诉受理, a clerk not yet assigned) are hidden and do nothing."""
        return not (action in WINDOW_ACTIONS and self._window_number() is None)

    def _require_window(self) -> int | None:
        window = self._window_number()
        if window is None:
            session = self.yz.session
            if session is not None and session.staff.role == "manager":
                hint = "请退出后登录时填写要代为操作的窗口号"
            else:
                hint = "如需办理请联系站长为您的账号绑定窗口"
            self.notify(f"未绑定窗口，不能进行窗口操作；{hint}", severity="warning")
        return window

    async def _do(self, call: Awaitable[R], done: Callable[[R], str]) -> None:
        result = await self.yz.attempt(call)
        if result is not None:
            self.notify(done(result), markup=False)
            await self.yz.refresh_now()

    async def _window_action(
        self, act: Callable[[int], Awaitable[TicketView]], done: Callable[[TicketView], str]
    ) -> None:
        window = self._require_window()
        if window is not None:
            await self._do(act(window), done)

    # ---- calling actions (R-Q3) ----------------------------------------------------------
    async def action_call_next(self) -> None:
        await self._window_action(
            self.yz.api.call_next, lambda t: f"请 {t.number} 号到 {t.window_number} 号窗口办理"
        )

    async def action_recall(self) -> None:
        await self._window_action(self.yz.api.recall, lambda t: f"已重呼 {t.number} 号")

    async def action_start(self) -> None:
        await self._window_action(self.yz.api.start, lambda t: f"{t.number} 号开始办理")

    async def action_finish(self) -> None:
        await self._window_action(self.yz.api.finish, lambda t: f"{t.number} 号已完成")

    async def action_no_show(self) -> None:
        await self._window_action(self.yz.api.no_show, lambda t: f"{t.number} 号已过号")

    def action_transfer(self) -> None:
        dialog = PromptDialog("转移当前号", "转到窗口号或类别字母：", "如 2（窗口）或 B（类别）")
        self.app.push_screen(dialog, self._transfer)

    async def _transfer(self, answer: str | None) -> None:
        if answer is None or (window := self._require_window()) is None:
            return
        target = parse_transfer(answer)
        if target is None:
            self.notify("请填写窗口号（数字）或类别字母", severity="error")
            return
        call = self.yz.api.transfer(window, target.to_window, target.to_category)
        if target.to_window is not None:
            await self._do(call, lambda t: f"{t.number} 号已转至 {target.to_window} 号窗口")
        else:
            await self._do(call, lambda t: f"{t.number} 号已转到“{t.category_name}”排队")

    def action_call_ticket(self) -> None:
        dialog = PromptDialog("指定呼叫", "要呼叫的号码：", "如 A003")
        self.app.push_screen(dialog, self._call_ticket)

    async def _call_ticket(self, answer: str | None) -> None:
        if answer is None or (window := self._require_window()) is None:
            return
        call = self.yz.api.call_ticket(window, answer.upper())
        await self._do(call, lambda t: f"请 {t.number} 号到 {t.window_number} 号窗口办理")

    # ---- pause (R-Q6), rejoin, tickets (R-Q1) --------------------------------------------
    def action_pause(self) -> None:
        dialog = PromptDialog("暂停服务", "暂停原因：", "如 入户代办、会议、午休")
        self.app.push_screen(dialog, self._pause)

    async def _pause(self, reason: str | None) -> None:
        if reason is None or (window := self._require_window()) is None:
            return
        await self._do(self.yz.api.pause(window, reason), lambda w: f"{w.number} 号窗口已暂停服务")

    def action_rejoin(self) -> None:
        table = self.query_one(NoShowTable)
        suggested = table.selected_number or ""
        dialog = PromptDialog("过号重排", "过号的号码：", "如 A001", suggested)
        self.app.push_screen(dialog, self._rejoin)

    async def _rejoin(self, number: str | None) -> None:
        if number:
            await self._do(self.yz.api.rejoin(number.upper()), lambda t: f"{t.number} 号已重新排队")

    def action_issue(self) -> None:
        self.app.push_screen(IssueDialog(), self._issue)

    async def _issue(self, request: IssueRequest | None) -> None:
        if request is None:
            return
        call = self.yz.api.issue(request.category, request.priority, request.phone)
        await self._do(call, _issued_message)

    def action_reprint(self) -> None:
        dialog = PromptDialog("补打小票", "要补打的号码：", "如 A003")
        self.app.push_screen(dialog, self._reprint)

    async def _reprint(self, number: str | None) -> None:
        if number:
            await self._do(
                self.yz.api.reprint(number.upper()), lambda title: f"{title} 号小票已加入打印队列"
            )

    # ---- cases (R-K1, R-K3) --------------------------------------------------------------
    def action_intake(self) -> None:
        """收件, linked to the ticket called or being served at my window."""
        mine = self.yz.my_window()
        self.app.push_screen(IntakeScreen(mine.current if mine else None))

    def action_my_cases(self) -> None:
        self.app.push_screen(MyCasesScreen())

    def action_menu(self) -> None:
        """功能菜单: the ledgers and screens this role may open (``tui.menu``)."""
        from tui.screens.menu import MenuScreen

        self.app.push_screen(MenuScreen())

    # ---- attendance (R-T2) and logout ----------------------------------------------------
    async def action_clock_in(self) -> None:
        await self._do(self.yz.api.clock_in(), lambda s: f"{s.name} 签到成功，状态：在岗")

    async def action_clock_out(self) -> None:
        await self._do(self.yz.api.clock_out(), lambda s: f"{s.name} 签退成功")

    def action_whereabouts(self) -> None:
        """去向 (R-T2): 外出办事, 入户代办, 会议… shown on the 公示栏."""
        from tui.screens.whereabouts import WhereaboutsDialog

        self.app.push_screen(WhereaboutsDialog(), self._whereabouts)

    async def _whereabouts(self, choice: str | None) -> None:
        if choice:
            await self._do(
                self.yz.api.set_whereabouts(choice), lambda s: f"去向已设为：{s.whereabouts}"
            )

    async def action_logout(self) -> None:
        await self.yz.logout()


def _issued_message(t: TicketView) -> str:
    text = f"已取号 {t.number}（{t.category_name}），前面 {t.people_ahead} 人，约等 {t.est_wait_min} 分钟"
    return f"{text}。{t.closing_warning}" if t.closing_warning else text
