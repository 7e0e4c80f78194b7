"""办件详情: item, applicant, materials, deadline, 流转记录 and the next legal actions.

The legal next actions (from the server) are numbered; pressing the number opens the
form of that action (``ActionDialog``, or ``DeliveryDialog`` for 送达). After a step the
screen shows the notices sent to the printer (一式二份) and whether an SMS went out. The
notices kept with the case are listed with their print state; ``p`` reprints one (补打).
A deadline in a year whose holidays are not yet published is flagged 暂定 (R-K3).
ID numbers and phones are masked: the applicant may see this screen across the counter.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from appliance.cases.schemas import CaseDetail, CaseNoticeView, StepResult
from appliance.catalogue.schemas import ItemDetail
from appliance.core.masking import mask_id_number, mask_phone
from tui.case_forms import defaults
from tui.case_models import applicant_kind_label, due_text, other_place_text, step_message
from tui.case_widgets import TimelineTable, provisional_warning
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded, local_today
from tui.screens.case_decision import ActionDialog
from tui.screens.case_delivery import DeliveryDialog
from tui.screens.case_notices import NoticeList, ReprintDialog, reprinted_message
from tui.status_bar import StatusBar

CHANNEL_LABELS = {"counter": "现场", "online": "网上", "post": "邮寄"}
MAX_ACTIONS = 9


def applicant_text(case: CaseDetail) -> Text:
    a = case.applicant
    text = Text()
    text.append(f"申请人：{a.name}（{applicant_kind_label(a.kind)}）\n", style="bold")
    text.append(f"证件号码：{mask_id_number(a.id_number)}\n联系电话：{mask_phone(a.phone)}\n")
    if a.agent is not None:
        text.append(f"代理人：{a.agent.name} {mask_id_number(a.agent.id_number)}\n")
    text.append(
        f"渠道：{CHANNEL_LABELS.get(case.channel, case.channel)} · "
        f"收件日期：{case.received_on.isoformat()}"
    )
    if case.accepted_on:
        text.append(f" · 受理日期：{case.accepted_on.isoformat()}")
    return text


def materials_text(case: CaseDetail) -> Text:
    text = Text()
    styles = {"received": "green", "missing": "bold red", "defective": "bold dark_orange"}
    for i, m in enumerate(case.materials):
        text.append(f"{m.code} {m.name}" + ("（可容缺）" if m.tolerable else "") + " ")
        text.append(m.status_label, style=styles.get(m.status, ""))
        if m.note:
            text.append(f"（{m.note}）")
        if i < len(case.materials) - 1:
            text.append("\n")
    return text


def actions_text(case: CaseDetail) -> Text:
    if not case.legal_actions:
        return Text("该办件已终结，无后续操作", style="dim")
    text = Text()
    for i, a in enumerate(case.legal_actions[:MAX_ACTIONS], start=1):
        text.append(f" {i} ", style="bold reverse")
        text.append(f" {a.label}   ")
    return text


class CaseDetailScreen(AppScreen):
    """One case; number keys take the next step."""

    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("r", "reload", "刷新"),
        Binding("p", "reprint", "补打通知书"),
        *(Binding(str(n), f"choose({n})", show=False) for n in range(1, MAX_ACTIONS + 1)),
    ]

    def __init__(
        self, case_number: str, case: CaseDetail | None = None, result: StepResult | None = None
    ) -> None:
        super().__init__()
        self.case_number = case_number
        self.case = case
        self.guide: ItemDetail | None = None
        self._initial_result = result
        # True once the case, its notices and its item guide have been fetched (tests wait on it)
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("", id="case-head")
        yield Static("", id="case-warning")
        with Horizontal(id="case-top"):
            yield Static("", id="case-applicant")
            yield Static("", id="case-materials")
        with Horizontal(id="case-middle"):
            with VerticalScroll(id="case-timeline-box"):
                yield TimelineTable(self.yz.timezone, id="case-timeline")
            with VerticalScroll(id="case-notices-box"):
                yield NoticeList(self.yz.timezone, id="case-notices")
        yield Static("", id="case-actions")
        yield Static("", id="case-result")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#case-applicant", Static).border_title = "申请人"
        self.query_one("#case-materials", Static).border_title = "材料清单"
        self.query_one("#case-timeline-box").border_title = "流转记录"
        self.query_one("#case-notices-box").border_title = "通知书（p 补打）"
        self.query_one("#case-warning", Static).display = False
        self.query_one("#case-actions", Static).border_title = "可进行的操作（按数字键）"
        if self.case is not None:
            self.show(self.case)
        if self._initial_result is not None:
            self.show_result(self._initial_result)
        self.run_worker(self._load(), exclusive=True)

    async def _load(self) -> None:
        self.loaded = False
        case = await guarded(self.app, self.yz.api.case(self.case_number), self._show_error)
        if not self.is_attached:  # closed while the answer was on its way
            return
        if case is not None:
            self.show(case)
        await self._load_notices()
        if self.guide is None and self.case is not None:  # defaults for the forms only
            self.guide = await guarded(
                self.app, self.yz.api.item_guide(self.case.item_code), lambda _: None
            )
        self.loaded = True

    async def _load_notices(self) -> None:
        """通知书 kept with the case and the state of their print jobs."""
        notices = await guarded(
            self.app, self.yz.api.case_notices(self.case_number), self._show_error
        )
        if notices is not None and self.is_attached:
            self.query_one(NoticeList).load(notices)

    def _show_error(self, message: str) -> None:
        self.query_one("#case-result", Static).update(Text(message, style="bold red"))

    def show(self, case: CaseDetail) -> None:
        self.case = case
        head = Text()
        head.append(f"办件 {case.case_number}", style="bold")
        head.append(f" · {case.item_name} · 状态：")
        head.append(case.state_label, style="bold reverse")
        head.append(f" · {'办结期限' if case.accepted_on else '受理期限'}：{due_text(case)}")
        if case.other_place is not None:
            head.append(f" · 异地办件：{other_place_text(case)}")
        self.query_one("#case-head", Static).update(head)
        warning = self.query_one("#case-warning", Static)
        notes = Text()
        if case.applicant_flags:
            notes.append(
                f"容缺失信：申请人有容缺承诺逾期未补齐记录 {'；'.join(case.applicant_flags)}，"
                "不再适用容缺受理",
                style="bold red",
            )
        if case.open_duplicates:  # 重复申请 (issue 16, item 6)
            if notes:
                notes.append("\n")
            notes.append(
                f"重复申请：同一事项的在办件 {'；'.join(case.open_duplicates)}", style="bold red"
            )
        if case.due_on is not None and case.due_provisional:
            if notes:
                notes.append("\n")
            notes.append_text(provisional_warning([case.due_on]))
        warning.display = bool(notes)
        if notes:
            warning.update(notes)
        self.query_one("#case-applicant", Static).update(applicant_text(case))
        self.query_one("#case-materials", Static).update(materials_text(case))
        self.query_one(TimelineTable).load(case.timeline)
        self.query_one("#case-actions", Static).update(actions_text(case))

    def show_result(self, result: StepResult) -> None:
        self.show(result.case)
        message = step_message(result)
        line = f"{result.case.state_label}：{message}"
        self.query_one("#case-result", Static).update(Text(line, style="bold green"))
        self.notify(message, title=f"办件 {result.case.case_number}", markup=False)

    # ---- actions -------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    async def action_reload(self) -> None:
        await self._load()

    def action_choose(self, n: int) -> None:
        case = self.case
        if case is None or not 1 <= n <= len(case.legal_actions):
            return
        legal = case.legal_actions[n - 1]
        values = defaults(case, local_today(self.app), self.guide)
        if legal.action == "deliver":
            dialog: ActionDialog | DeliveryDialog = DeliveryDialog(
                case, legal.action, legal.label, values
            )
        else:
            dialog = ActionDialog(case, legal.action, legal.label, values, self.guide)
        self.app.push_screen(dialog, self._done)

    def action_reprint(self) -> None:
        """补打通知书: choose one of the notices kept with the case."""
        notices = self.query_one(NoticeList).notices
        if not notices:
            self.notify("该办件尚无可补打的通知书", severity="warning", markup=False)
            return
        self.app.push_screen(
            ReprintDialog(self.case_number, notices, self.yz.timezone), self._reprinted
        )

    async def _reprinted(self, notice: CaseNoticeView | None) -> None:
        if notice is None:
            return
        message = reprinted_message(notice)
        self.query_one("#case-result", Static).update(Text(message, style="bold green"))
        self.notify(message, title=f"办件 {self.case_number}", markup=False)
        await self._load_notices()

    async def _done(self, result: StepResult | None) -> None:
        if result is not None:
            self.show_result(result)
            await self._load_notices()
