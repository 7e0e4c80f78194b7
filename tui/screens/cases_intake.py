"""收件 (R-K1, R-S3): find the item, check its materials, record the applicant, open the case.

Keyboard only: type a name, keyword or pinyin initials (``gljt`` → 高龄津贴申请), ↓ and
Enter to pick; in the checklist ↑/↓ move, space or 1/2/3 mark 已收 / 缺 / 有瑕疵 (with the
problem noted), a marks all received; ↑/↓ or Tab move between fields, ←/→ change a
choice; Ctrl+S (or Enter on 提交收件) opens the case. A refusal from the server is shown
here and every typed value stays. The ticket being served is linked to the case.

Once an item is picked, Ctrl+P prints its 一次性告知单 (R-C4) for a visitor who lacks
materials to take home. The agent (代理人) is optional; so is 异地办件 (R-K8): a case
taken in for another place (跨域通办 or 代收) names the place where it is decided.

证件类型 (R-K1): a resident ID (居民身份证) and a 统一社会信用代码 are checked by their check
digit at the station; the clerk chooses 护照, 港澳台通行证 or 其他证件 for other documents.
Choosing 法人或其他组织 switches the type to 统一社会信用代码. Phones and ID numbers typed with
full-width digits or spaces are tidied before they are sent.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from appliance.cases.rules.records import ApplicantKind, Channel, OtherPlaceKind
from appliance.cases.schemas import AgentIn, ApplicantIn, OpenCaseIn, OtherPlaceIn
from appliance.catalogue.schemas import ItemDetail, ItemSummary
from appliance.core.identity import IdType, normalise, normalise_mobile
from tui.case_models import guide_summary
from tui.case_widgets import ChoiceBar, MaterialChecklist, compact_input, field_row
from tui.models import Ticket
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.case_detail import CaseDetailScreen
from tui.status_bar import StatusBar

KINDS = (("person", "个人"), ("organisation", "法人或其他组织"))
ID_TYPES = (
    ("resident_id", "身份证"),
    ("uscc", "信用代码"),
    ("passport", "护照"),
    ("hmt_permit", "港澳台通行证"),
    ("other", "其他"),
)
CHANNELS = (("counter", "现场"), ("online", "网上"), ("post", "邮寄"))
OTHER_KINDS = (("", "无"), ("cross_region", "跨域通办"), ("collect", "代收"))
GUIDE_HINT = "Ctrl+P 打印一次性告知单（材料不全时交申请人带回）"
CHECKLIST_HINT = "↑/↓ 选择材料 · 空格 切换 · 1 已收 2 缺 3 有瑕疵（注明问题）· a 全部已收"
APPLICANT_FIELDS = (
    ("applicant-name", "申请人名称", "姓名或单位名称"),
    ("applicant-id", "证件号码", "身份证号或统一社会信用代码"),
    ("applicant-phone", "联系电话", "手机号，用于短信告知；没有填 无"),
    ("agent-name", "代理人姓名", "本人办理不填"),
    ("agent-id", "代理人证件", "本人办理不填"),
    ("agent-phone", "代理人电话", "可不填"),
)


def padded(label: str) -> str:
    """Labels of the applicant column padded with full-width spaces, so inputs line up."""
    return (label + "：").ljust(6, "\u3000")


def hit_prompt(hit: ItemSummary) -> Text:
    limit = "即办" if hit.kind == "即办件" else f"{hit.promised_days} 个工作日"
    return Text.assemble((hit.name, "bold"), f"  {hit.code} · {hit.kind} {limit}")


class IntakeScreen(AppScreen):
    """收件台: one screen from the item to the opened case."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "提交收件", priority=True),
        Binding("ctrl+p", "print_guide", "打印告知单", priority=True),
        Binding("escape", "back", "返回"),
        Binding("down", "next_field", "下一项", show=False),
        Binding("up", "previous_field", "上一项", show=False),
    ]

    def __init__(self, ticket: Ticket | None = None) -> None:
        super().__init__()
        self.ticket = ticket
        self.guide: ItemDetail | None = None
        self.error = ""
        self._busy = False
        self._leaving = False

    def compose(self) -> ComposeResult:
        yield StatusBar()
        title = "收件 · 未关联号票（直接收件）"
        if self.ticket is not None:
            title = f"收件 · 正在办理 {self.ticket.number} 号（{self.ticket.category_name}）"
        yield Static(title, id="intake-title")
        with Horizontal(id="intake-main"):
            with Vertical(id="intake-left"):
                yield field_row(
                    "事项：", compact_input("item-search", "名称、关键词或拼音首字母，如 gljt")
                )
                yield OptionList(id="item-results")
                yield Static("尚未选择事项", id="item-summary")
                yield Static("", id="guide-line", classes="dialog-hint")
                yield MaterialChecklist(id="materials")
                yield Static(CHECKLIST_HINT, classes="dialog-hint")
            with Vertical(id="intake-right"):
                yield field_row(padded("申请人类型"), ChoiceBar(KINDS, id="applicant-kind"))
                yield field_row(padded("证件类型"), ChoiceBar(ID_TYPES, id="applicant-id-type"))
                for field_id, label, placeholder in APPLICANT_FIELDS:
                    yield field_row(padded(label), compact_input(field_id, placeholder))
                    if field_id == "agent-name":
                        yield field_row(
                            padded("代理证件类型"), ChoiceBar(ID_TYPES, id="agent-id-type")
                        )
                yield field_row(padded("收件渠道"), ChoiceBar(CHANNELS, id="channel"))
                yield field_row(padded("异地办件"), ChoiceBar(OTHER_KINDS, id="other-kind"))
                yield field_row(
                    padded("办理地"),
                    compact_input("other-place", "受理或代收的异地，如 郑州市金水区"),
                    row_id="other-place-row",
                )
                yield Static("", id="intake-error", classes="dialog-error")
                yield Button("提交收件（Ctrl+S）", id="intake-submit", variant="primary")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#item-results", OptionList).display = False
        self.query_one("#other-place-row").display = False
        self.query_one("#materials", MaterialChecklist).border_title = "材料清单"
        self.query_one("#item-search", Input).focus()

    # ---- item search (R-S3) --------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        self._leaving = False
        if event.input.id == "item-search":
            query = event.value.strip()
            self.run_worker(self._search(query), exclusive=True, group="search")

    async def _search(self, query: str) -> None:
        results = self.query_one("#item-results", OptionList)
        hits = (
            await guarded(self.app, self.yz.api.search_items(query), self._show_error)
            if query
            else []
        )
        results.clear_options()
        if hits:
            results.add_options([Option(hit_prompt(h), id=h.code) for h in hits])
            results.highlighted = 0
        results.display = bool(hits)
        if query and hits == []:
            self._show_error(f"没有找到与“{query}”相符的事项")
        elif hits:
            self._show_error("")

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "item-search":
            results = self.query_one("#item-results", OptionList)
            index = results.highlighted
            if results.display and index is not None:
                await self._pick(results.get_option_at_index(index).id)
            return
        self.focus_next()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self._pick(event.option.id)

    async def _pick(self, code: str | None) -> None:
        if not code:
            return
        guide = await guarded(self.app, self.yz.api.item_guide(code), self._show_error)
        if guide is None:
            return
        self.guide = guide
        self.query_one("#item-summary", Static).update(
            Text(f"已选：{guide_summary(guide)}", style="bold")
        )
        self.query_one("#guide-line", Static).update(GUIDE_HINT)
        checklist = self.query_one(MaterialChecklist)
        checklist.load_guide(guide.materials)
        self.query_one("#item-results", OptionList).display = False
        self._show_error("")
        checklist.focus()

    async def action_print_guide(self) -> None:
        """一次性告知单 of the picked item (R-C4): one copy, the visitor takes it home."""
        guide = self.guide
        if guide is None:
            self._show_error("请先检索并选择事项，再打印一次性告知单")
            return
        job = await guarded(self.app, self.yz.api.print_guide(guide.code), self._show_error)
        if job is None:
            return
        message = f"{guide.name}的一次性告知单已送打印（1 份，交申请人带回）"
        self.query_one("#guide-line", Static).update(Text(message, style="bold green"))
        self.notify(message, markup=False)

    def on_choice_bar_changed(self, event: ChoiceBar.Changed) -> None:
        if event.bar.id == "other-kind":
            self.query_one("#other-place-row").display = bool(event.value)
        elif event.bar.id == "applicant-kind":  # an organisation shows its credit code
            id_type = IdType.USCC if event.value == "organisation" else IdType.RESIDENT
            self.query_one("#applicant-id-type", ChoiceBar).select(id_type.value)

    # ---- moving between fields ---------------------------------------------------------------
    def action_next_field(self) -> None:
        results = self.query_one("#item-results", OptionList)
        if self.focused is self.query_one("#item-search") and results.display:
            results.focus()
        else:
            self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def _started(self) -> bool:
        typed = any(self._value(field_id) for field_id, _, _ in APPLICANT_FIELDS)
        return self.guide is not None or typed

    def action_back(self) -> None:
        """Esc leaves; once something is entered, a second Esc is needed (nothing lost by a slip)."""
        if self._started() and not self._leaving:
            self._leaving = True
            self._show_error("再按一次 Esc 放弃本次收件（已填写的内容不保存）")
            return
        self.app.pop_screen()

    # ---- submit ----------------------------------------------------------------------------
    def _show_error(self, message: str) -> None:
        self.error = message
        self.query_one("#intake-error", Static).update(message)

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def body(self) -> OpenCaseIn | None:
        """The 收件 request from what is on screen (None until an item is picked)."""
        if self.guide is None:
            return None
        agent = AgentIn(
            name=self._value("agent-name"),
            id_number=normalise(self._value("agent-id")),
            id_type=IdType(self.query_one("#agent-id-type", ChoiceBar).value),
            phone=normalise_mobile(self._value("agent-phone")),
        )
        return OpenCaseIn(
            item_code=self.guide.code,
            applicant=ApplicantIn(
                kind=ApplicantKind(self.query_one("#applicant-kind", ChoiceBar).value),
                name=self._value("applicant-name"),
                id_number=normalise(self._value("applicant-id")),
                id_type=IdType(self.query_one("#applicant-id-type", ChoiceBar).value),
                phone=normalise_mobile(self._value("applicant-phone")),
                agent=agent if any((agent.name, agent.id_number, agent.phone)) else None,
            ),
            channel=Channel(self.query_one("#channel", ChoiceBar).value),
            other_place=self._other_place(),
            materials=self.query_one(MaterialChecklist).marks(),
            ticket_id=self.ticket.id if self.ticket else None,
        )

    def _other_place(self) -> OtherPlaceIn | None:
        """异地办件 (R-K8): none unless 跨域通办 or 代收 is chosen."""
        kind = self.query_one("#other-kind", ChoiceBar).value
        if not kind:
            return None
        return OtherPlaceIn(kind=OtherPlaceKind(kind), place=self._value("other-place"))

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "intake-submit":
            await self.action_submit()

    async def action_submit(self) -> None:
        body = self.body()
        if body is None:
            self._show_error("请先检索并选择事项")
            self.query_one("#item-search", Input).focus()
            return
        if self._busy:
            return
        self._busy = True
        self._show_error("正在提交…")
        case = await guarded(self.app, self.yz.api.open_case(body), self._show_error)
        self._busy = False
        if case is None:
            self.notify(self.error, title="收件未完成", severity="error", markup=False)
            return
        self.notify(f"已收件，办件编号 {case.case_number}；请按数字键作出受理决定", markup=False)
        if case.open_duplicates:  # 重复申请 (issue 16, item 6): the open case, by number
            self.notify(
                f"重复申请提醒：该申请人同一事项已有在办件 {'；'.join(case.open_duplicates)}",
                title="请核对",
                severity="warning",
                timeout=30,
                markup=False,
            )
        self.app.switch_screen(CaseDetailScreen(case.case_number, case))
