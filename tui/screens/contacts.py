"""首问登记 (R-C1): the fast form a clerk fills with a visitor waiting.

Few keystrokes: the matter field searches the catalogue and the knowledge base as you
type (pinyin initials work: ``gljt`` → 高龄津贴申请); ↓ and Enter pick a hit. An item sets
the matter (and its category for 引导取号); a knowledge entry sets the matter, the answer
and 当场解答. 渠道 defaults to 现场 and 结果 to 当场解答 (←/→ change them); the one line
below 结果 asks what that outcome needs:

* 当场解答 — what was said (may stay empty);
* 引导取号 — a category letter (``A``: a ticket is issued) or the number already held
  (``A012``);
* 非本站职责 — where to go instead;
* 登记咨询 — the reply date (``3`` working days, ``11-26``, empty: letters 3 days);
* 转收件 — nothing: the intake screen opens, filled from the contact;
* 稍后登记 — nothing: the contact stays 待处理 in the ledger.

Ctrl+S records it and clears the form for the next visitor; Ctrl+L opens the ledger
(台账: list, detail, close); Esc goes back.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from appliance.contacts.rules import ContactChannel, Outcome
from appliance.contacts.schemas import ContactIn, ContactView
from appliance.core.identity import normalise_mobile
from tui.case_widgets import ChoiceBar, compact_input, field_row
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded, local_today
from tui.screens.consult_common import FormError, ReplyPlan, knowledge_option, parse_reply
from tui.status_bar import StatusBar

CHANNELS = (("onsite", "现场"), ("phone", "电话"), ("online", "网络"), ("letter", "信函"))
OUTCOMES = (
    ("answered", "当场解答"),
    ("guided", "引导取号"),
    ("referred", "非本站职责"),
    ("consultation", "登记咨询"),
    ("case", "转收件"),
    ("pending", "稍后登记"),
)
DETAIL = {
    "answered": ("答复要点", "可不填"),
    "guided": ("类别或号码", "类别字母取新号，如 A；已取号填号码，如 A012"),
    "referred": ("去向", "到哪个单位或地点办理，如 县不动产登记中心"),
    "consultation": ("答复期限", "工作日数如 3，或日期如 11-26；信函默认 3 个工作日"),
}
TICKET = re.compile(r"^[A-Za-z]\d{1,4}$")


def pad(label: str) -> str:
    return (label + "：").ljust(7, "\u3000")


def summary(contact: ContactView) -> str:
    """One line telling the clerk what was recorded."""
    text = f"已登记：{contact.matter} · {contact.outcome_label}"
    if contact.ticket_number:
        text += f" · {contact.guided_to}"
    if contact.consultation_number:
        text += f" · 咨询编号 {contact.consultation_number}"
    if contact.responsible.staff_id != contact.first_responder.staff_id:
        text += f" · 首问责任人 {contact.responsible.name}"
    return text


class ContactFormScreen(AppScreen):
    """首问登记: one form, cleared after each visitor."""

    DEFAULT_CSS = """
    #contact-form { height: auto; padding: 0 1; }
    #contact-hits { height: auto; max-height: 8; }
    #contact-title, #contact-last { height: auto; padding: 0 1; }
    #contact-title { text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+s", "submit", "登记", priority=True),
        Binding("ctrl+l", "ledger", "首问台账", priority=True),
        Binding("escape", "back", "返回"),
        Binding("down", "next_field", "下一项", show=False),
        Binding("up", "previous_field", "上一项", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.item_code: str | None = None
        self.knowledge_id: str | None = None
        self.category: str = ""  # the picked item's queue category (for 引导取号)
        self.error = ""
        self.last: ContactView | None = None
        self._busy = False

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("首问登记（首问负责制）· 您是首问人", id="contact-title")
        with Vertical(id="contact-form"):
            yield field_row(
                pad("事项"),
                compact_input("contact-matter", "事项或问题；拼音首字母可检索，如 gljt"),
            )
            yield OptionList(id="contact-hits")
            yield field_row(pad("渠道"), ChoiceBar(CHANNELS, id="contact-channel"))
            yield field_row(pad("结果"), ChoiceBar(OUTCOMES, id="contact-outcome"))
            yield field_row(
                pad("答复要点"), compact_input("contact-detail", "可不填"), row_id="detail-row"
            )
            yield field_row(pad("服务对象"), compact_input("contact-name", "姓名，可不填"))
            yield field_row(
                pad("联系方式"), compact_input("contact-phone", "电话或邮箱；登记咨询必填")
            )
            yield field_row(
                pad("共同答复人"),
                compact_input("contact-second", "另一位答复的工作人员工号，可不填"),
            )
            yield Static("", id="contact-error", classes="dialog-error")
            yield Static("", id="contact-last")
            yield Static(
                "↓ Enter 选用检索结果 · ←/→ 改渠道和结果 · Ctrl+S 登记 · Ctrl+L 首问台账 · Esc 返回",
                classes="dialog-hint",
            )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#contact-hits", OptionList).display = False
        self.query_one("#contact-matter", Input).focus()

    # ---- the matter: catalogue items and knowledge entries --------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "contact-matter":
            self.item_code = self.knowledge_id = None
            self.category = ""
            self.run_worker(self._search(event.value.strip()), exclusive=True, group="search")

    async def _search(self, query: str) -> None:
        hits = self.query_one("#contact-hits", OptionList)
        options: list[Option] = []
        if query:
            items = await guarded(self.app, self.yz.api.search_items(query, 4), self._show_error)
            found = await guarded(
                self.app, self.yz.api.search_knowledge(query, 4), self._show_error
            )
            for item in items or []:
                prompt = Text.assemble(
                    ("事项 ", "bold cyan"), (item.name, "bold"), f"  {item.code}"
                )
                options.append(
                    Option(prompt, id=f"i:{item.code}:{item.category_prefix}:{item.name}")
                )
            options += [knowledge_option(e) for e in found or []]
        hits.clear_options()
        hits.add_options(options)
        if options:
            hits.highlighted = 0
        hits.display = bool(options)

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id or ""
        matter = self.query_one("#contact-matter", Input)
        outcome = self.query_one("#contact-outcome", ChoiceBar)
        detail = self.query_one("#contact-detail", Input)
        if key.startswith("i:"):
            _, code, prefix, name = key.split(":", 3)
            with matter.prevent(Input.Changed):
                matter.value = name
            self.item_code, self.category, self.knowledge_id = code, prefix, None
            outcome.select("guided")
            detail.value = prefix
        elif key.startswith("k:"):
            entry = await guarded(self.app, self.yz.api.knowledge_entry(key[2:]), self._show_error)
            if entry is None:
                return
            with matter.prevent(Input.Changed):
                matter.value = entry.question
            self.knowledge_id, self.item_code = entry.id, None
            outcome.select("answered")
            detail.value = " ".join(entry.answer.split())
        self.query_one("#contact-hits", OptionList).display = False
        outcome.focus()

    def on_choice_bar_changed(self, event: ChoiceBar.Changed) -> None:
        if event.bar.id != "contact-outcome":
            return
        shown = DETAIL.get(event.value)
        row = self.query_one("#detail-row")
        row.display = shown is not None
        if shown is not None:
            label, placeholder = shown
            row.query_one(".field-label", Static).update(pad(label))
            detail = self.query_one("#contact-detail", Input)
            detail.placeholder = placeholder
            if event.value == "guided" and self.category and not detail.value:
                detail.value = self.category

    # ---- moving ---------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_next_field(self) -> None:
        hits = self.query_one("#contact-hits", OptionList)
        if self.focused is self.query_one("#contact-matter") and hits.display:
            hits.focus()
        else:
            self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_ledger(self) -> None:
        from tui.screens.contacts_list import ContactListScreen

        self.app.push_screen(ContactListScreen())

    # ---- submit ---------------------------------------------------------------------------
    def _show_error(self, message: str) -> None:
        self.error = message
        self.query_one("#contact-error", Static).update(message)

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def body(self) -> ContactIn:
        """The request from what is on screen (``FormError`` for what the form can tell)."""
        chosen = self.query_one("#contact-outcome", ChoiceBar).value
        outcome = Outcome.PENDING if chosen in ("case", "pending") else Outcome(chosen)
        detail = self._value("contact-detail")
        guided_ticket = outcome is Outcome.GUIDED and TICKET.match(detail) is not None
        plan = (
            parse_reply(detail, local_today(self.app))
            if outcome is Outcome.CONSULTATION
            else ReplyPlan()
        )
        phone = self._value("contact-phone")
        return ContactIn(
            matter=self._value("contact-matter"),
            channel=ContactChannel(self.query_one("#contact-channel", ChoiceBar).value),
            outcome=outcome,
            item_code=self.item_code,
            visitor_name=self._value("contact-name"),
            visitor_contact=normalise_mobile(phone) if phone[:1].isdigit() else phone,
            second_staff=self._value("contact-second") or None,
            answer=detail if outcome is Outcome.ANSWERED else "",
            knowledge_id=self.knowledge_id if outcome is Outcome.ANSWERED else None,
            category=(detail.upper() or None)
            if outcome is Outcome.GUIDED and not guided_ticket
            else None,
            ticket=detail.upper() if guided_ticket else None,
            referred_to=detail if outcome is Outcome.REFERRED else "",
            reply_due=plan.reply_due,
            reply_in_working_days=plan.in_working_days,
        )

    async def action_submit(self) -> None:
        if self._busy:
            return
        if not self._value("contact-matter"):
            self._show_error("请填写事项或问题")
            self.query_one("#contact-matter", Input).focus()
            return
        try:
            body = self.body()
        except FormError as exc:
            self._show_error(exc.message)
            return
        to_case = self.query_one("#contact-outcome", ChoiceBar).value == "case"
        self._busy = True
        self._show_error("正在登记…")
        contact = await guarded(self.app, self.yz.api.record_contact(body), self._show_error)
        self._busy = False
        if contact is None:
            return
        self.last = contact
        self._show_error("")
        self.query_one("#contact-last", Static).update(Text(summary(contact), style="bold green"))
        self.notify(summary(contact), markup=False)
        self._clear()
        if to_case:
            from tui.screens.contacts_case import ContactIntakeScreen

            self.app.push_screen(ContactIntakeScreen(contact))

    def _clear(self) -> None:
        """Ready for the next visitor: texts emptied, 现场 and 当场解答 again."""
        for field_id in (
            "contact-matter",
            "contact-detail",
            "contact-name",
            "contact-phone",
            "contact-second",
        ):
            field = self.query_one(f"#{field_id}", Input)
            with field.prevent(Input.Changed):
                field.value = ""
        self.item_code = self.knowledge_id = None
        self.category = ""
        self.query_one("#contact-channel", ChoiceBar).select("onsite")
        self.query_one("#contact-outcome", ChoiceBar).select("answered")
        self.query_one("#contact-hits", OptionList).display = False
        self.query_one("#contact-matter", Input).focus()
