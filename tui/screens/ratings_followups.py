"""差评回访 (R-E3): the follow-ups of bad ratings, overdue first; Enter opens one.

The detail shows the rating (level, dimensions, what went wrong, source), who served, the
visitor's contact for the call back, every recorded step, and takes the next step by key:
``v`` 核实, ``z`` 整改, ``x`` 说明, ``h`` 回访, ``j`` 办结 (refused by the server until a 回访
is recorded), ``p`` 申诉, ``d`` the station head's decision on it. ``n`` on the list opens the
comment-box form (意见箱录入).
"""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from appliance.core.roles import Role
from appliance.ratings.rules.followup import STEP_LABELS, Step
from appliance.ratings.rules.levels import DIMENSION_LABELS, Dimension
from appliance.ratings.schemas import (
    AppealDecisionIn,
    AppealIn,
    FollowUpDetail,
    FollowUpStepIn,
    FollowUpSummary,
)
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.dialogs import PromptDialog
from tui.screens.ratings_dialogs import AppealDialog, DecisionDialog
from tui.status_bar import StatusBar

OVERDUE_STYLE = "bold red"
STEP_KEYS = {"v": Step.VERIFY, "z": Step.RECTIFY, "x": Step.EXPLAIN, "h": Step.CALLBACK}
STEP_KEYS["j"] = Step.CLOSE
PROMPTS = {
    Step.VERIFY: "核实情况（联系了谁、查明了什么）：",
    Step.RECTIFY: "整改措施：",
    Step.EXPLAIN: "向评价人所作的说明：",
    Step.CALLBACK: "回访情况（评价人的意见）：",
    Step.CLOSE: "办结意见：",
}


def heading(rows: list[FollowUpSummary], closed: bool) -> Text:
    late = sum(1 for f in rows if f.overdue)
    text = Text(
        f"差评回访（{'含已办结' if closed else '未办结'}）· {len(rows)} 件 · ", style="bold"
    )
    text.append(f"超期 {late} 件", style=OVERDUE_STYLE if late else "")
    return text


class FollowUpTable(DataTable[str | Text]):
    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns(
            "状态", "评价", "对象", "窗口", "来源", "开始", "联系期限", "办结期限", "提示"
        )

    def load(self, rows: list[FollowUpSummary]) -> None:
        self.clear()
        for f in rows:
            style = OVERDUE_STYLE if f.overdue else ""
            self.add_row(
                Text(f.state_label, style=style),
                f"{f.level_label}（{f.level}）",
                f"{f.subject_label} {f.subject_ref}",
                str(f.window_number or "—"),
                f.source_label,
                f.opened_on.isoformat(),
                f.contact_due.isoformat(),
                f.rectify_due.isoformat(),
                Text("、".join([*f.overdue, *([f.appeal] if f.appeal else [])]), style=style),
                key=f.id,
            )

    @property
    def selected_id(self) -> str | None:
        if not self.row_count:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)


class FollowUpListScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("r", "reload", "刷新"),
        Binding("enter", "open", "查看"),
        Binding("c", "toggle_closed", "切换已办结"),
        Binding("n", "comment_box", "意见箱录入"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.closed = False
        self.rows: list[FollowUpSummary] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("差评回访 · 正在读取…", id="fu-head")
        yield FollowUpTable(id="fu-table")
        yield Static("", id="fu-error", classes="dialog-error")
        yield Static(
            "↑/↓ 选择 · Enter 查看并记录回访 · c 显示/隐藏已办结 · n 意见箱录入 · 红色 已超期",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(FollowUpTable).focus()

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def _error(self, message: str) -> None:
        self.query_one("#fu-error", Static).update(message)

    async def action_reload(self) -> None:
        closed = self.closed
        rows = await guarded(self.app, self.yz.api.followups(closed), self._error)
        if rows is None or closed != self.closed:
            return
        self.rows = rows
        self._error("" if rows else "暂无需要回访的差评")
        self.query_one("#fu-head", Static).update(heading(rows, closed))
        self.query_one(FollowUpTable).load(rows)

    async def action_toggle_closed(self) -> None:
        self.closed = not self.closed
        await self.action_reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        followup_id = self.query_one(FollowUpTable).selected_id
        if followup_id:
            self.app.push_screen(FollowUpDetailScreen(followup_id))

    def action_comment_box(self) -> None:
        from tui.screens.ratings_comment_box import CommentBoxScreen

        self.app.push_screen(CommentBoxScreen())

    def action_back(self) -> None:
        self.app.pop_screen()


def rating_text(d: FollowUpDetail) -> Text:
    r, f = d.rating, d.summary
    text = Text(f"{f.subject_label} {r.subject_ref}", style="bold")
    text.append(
        f" · {r.service_date}" + (f" · {r.window_number} 号窗口" if r.window_number else "")
    )
    text.append(f"\n评价：{r.label}（{r.level} 分）· 来源：{r.source_label}")
    if r.transcribed_by_name:
        text.append(f"（录入人：{r.transcribed_by_name}）")
    dims = [f"{DIMENSION_LABELS[Dimension(k)]} {v}" for k, v in r.dimensions.items()]
    if dims:
        text.append("\n分项：" + "，".join(dims))
    if r.reason_label or r.reason_text:
        text.append("\n不满意原因：" + "；".join(x for x in (r.reason_label, r.reason_text) if x))
    text.append(f"\n被评价的服务人员：{d.served_by or '—'}")
    who = "实名" if f.real_name else "匿名"
    text.append(f"\n评价人：{who} · 联系电话：{d.contact_phone or '无（无法电话回访）'}")
    if r.voided:
        text.append("\n该评价经申诉裁定不计入统计（记录保留）", style="bold")
    return text


def status_text(d: FollowUpDetail) -> Text:
    f = d.summary
    text = Text(f"当前：{f.state_label}", style="bold")
    text.append(f" · 联系期限 {f.contact_due} · 办结期限 {f.rectify_due}")
    if f.overdue:
        text.append(" · " + "、".join(f.overdue), style=OVERDUE_STYLE)
    if d.appeal is not None:
        a = d.appeal
        text.append(f"\n申诉：{a.grounds_label}（{a.by_label}，{a.filed_by} 记录）：{a.text}")
        if a.upheld is not None:
            text.append(
                f"\n裁定：{'成立' if a.upheld else '不成立'}（{a.decided_by}）：{a.decision}"
            )
    return text


def steps_text(d: FollowUpDetail, tz: tzinfo) -> Text:
    if not d.steps:
        return Text("尚无记录", style="dim")
    text = Text()
    for st in d.steps:
        at = st.at.astimezone(tz).strftime("%m-%d %H:%M")
        text.append(f"{st.seq}. {at} {st.label}", style="bold")
        text.append(f"（{st.who_name}）：{st.text}\n")
    return text


def keys_text(d: FollowUpDetail, head: bool) -> Text:
    keys = {step: key for key, step in STEP_KEYS.items()}
    text = Text() if d.allowed else Text("该回访已办结   ", style="dim")
    for option in d.allowed:
        text.append(f" {keys[Step(option.value)]} ", style="bold reverse")
        text.append(f" {option.label}   ")
    if d.appeal is None:
        text.append(" p ", style="bold reverse")
        text.append(" 申诉   ")
    elif d.appeal.upheld is None and head:
        text.append(" d ", style="bold reverse")
        text.append(" 申诉裁定   ")
    return text


class FollowUpDetailScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("r", "reload", "刷新"),
        *(Binding(key, f"step('{key}')", STEP_LABELS[step]) for key, step in STEP_KEYS.items()),
        Binding("p", "appeal", "申诉"),
        Binding("d", "decide", "申诉裁定"),
    ]

    def __init__(self, followup_id: str) -> None:
        super().__init__()
        self.followup_id = followup_id
        self.detail: FollowUpDetail | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("", id="fu-rating")
        yield Static("", id="fu-status")
        with VerticalScroll(id="fu-steps-box"):
            yield Static("", id="fu-steps")
        yield Static("", id="fu-keys")
        yield Static("", id="fu-error", classes="dialog-error")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#fu-steps-box").border_title = "回访记录"
        self.query_one("#fu-keys", Static).border_title = "下一步（按字母键）"

    async def on_screen_resume(self) -> None:
        """Reload every time the screen shows (also after a dialog)."""
        await self.action_reload()

    def _error(self, message: str) -> None:
        self.query_one("#fu-error", Static).update(message)

    @property
    def is_head(self) -> bool:
        session = self.yz.session
        return session is not None and Role(session.staff.role) is Role.MANAGER

    def show(self, d: FollowUpDetail) -> None:
        self.detail = d
        self.query_one("#fu-rating", Static).update(rating_text(d))
        self.query_one("#fu-status", Static).update(status_text(d))
        self.query_one("#fu-steps", Static).update(steps_text(d, self.yz.timezone))
        self.query_one("#fu-keys", Static).update(keys_text(d, self.is_head))

    async def action_reload(self) -> None:
        found = await guarded(self.app, self.yz.api.followup(self.followup_id), self._error)
        if found is not None:
            self.show(found)

    def action_step(self, key: str) -> None:
        step = STEP_KEYS[key]
        title = f"{STEP_LABELS[step]} · {self.detail.summary.subject_ref if self.detail else ''}"

        async def done(text: str | None) -> None:
            if not text:
                return
            body = FollowUpStepIn(step=step, text=text)
            found = await guarded(
                self.app, self.yz.api.followup_step(self.followup_id, body), self._error
            )
            if found is not None:
                self._error("")
                self.show(found)
                self.app.notify(f"已记录{STEP_LABELS[step]}：{found.summary.state_label}")

        self.app.push_screen(PromptDialog(title, PROMPTS[step]), done)

    def action_appeal(self) -> None:
        async def done(body: AppealIn | None) -> None:
            if body is None:
                return
            call = self.yz.api.followup_appeal(self.followup_id, body)
            found = await guarded(self.app, call, self._error)
            if found is not None:
                self._error("")
                self.show(found)

        self.app.push_screen(AppealDialog(), done)

    def action_decide(self) -> None:
        if not self.is_head:
            self._error("只有站长可以裁定申诉")
            return

        async def done(body: AppealDecisionIn | None) -> None:
            if body is None:
                return
            call = self.yz.api.followup_decide(self.followup_id, body)
            found = await guarded(self.app, call, self._error)
            if found is not None:
                self._error("")
                self.show(found)

        self.app.push_screen(DecisionDialog(), done)

    def action_back(self) -> None:
        self.app.pop_screen()
