"""One first contact (首问登记, R-C1): who answered, the matter and the outcome.

A pending contact (待处理) is closed here: 1 当场解答, 2 引导取号, 3 非本站职责, 4 登记咨询
each ask the one thing their outcome needs; ``k`` takes the visitor in as a case (the intake
screen, filled from the contact). Esc goes back.
"""

from __future__ import annotations

import re
from datetime import date, tzinfo

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from appliance.contacts.rules import Outcome
from appliance.contacts.schemas import ContactCloseIn, ContactView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen, Dialog
from tui.screens.case_common import guarded, local_today
from tui.screens.consult_common import FormError, parse_reply
from tui.status_bar import StatusBar

CLOSE_KEYS = {
    "1": (Outcome.ANSWERED, "当场解答", "答复要点（可不填）"),
    "2": (Outcome.GUIDED, "引导取号", "类别字母取新号（如 A），或已取的号码（如 A012）"),
    "3": (Outcome.REFERRED, "非本站职责", "去向：到哪个单位或地点办理"),
    "4": (Outcome.CONSULTATION, "登记咨询", "答复期限：工作日数如 3，或日期如 11-26"),
}
TICKET = re.compile(r"^[A-Za-z]\d{1,4}$")


def close_body(outcome: Outcome, detail: str, contact: str, today: date) -> ContactCloseIn:
    """The closing request for one outcome from the one line typed."""
    text = detail.strip()
    if outcome is Outcome.GUIDED:
        if TICKET.match(text):
            return ContactCloseIn(outcome=outcome, ticket=text.upper())
        return ContactCloseIn(outcome=outcome, category=text.upper() or None)
    if outcome is Outcome.REFERRED:
        return ContactCloseIn(outcome=outcome, referred_to=text)
    if outcome is Outcome.CONSULTATION:
        plan = parse_reply(text, today)
        return ContactCloseIn(
            outcome=outcome,
            reply_due=plan.reply_due,
            reply_in_working_days=plan.in_working_days,
            visitor_contact=contact.strip(),
        )
    return ContactCloseIn(outcome=outcome, answer=text)


class CloseDialog(Dialog[ContactCloseIn]):
    """登记处理结果 of a pending contact: one line (and the contact for 登记咨询)."""

    def __init__(self, key: str, contact: ContactView) -> None:
        super().__init__()
        self.outcome, self.label, self.hint = CLOSE_KEYS[key]
        self.contact = contact

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"处理结果：{self.label}", classes="dialog-title")
            yield Label(self.hint)
            yield Input(id="close-detail")
            if self.outcome is Outcome.CONSULTATION:
                yield Label("服务对象联系方式（必填）：")
                yield Input(self.contact.visitor_contact, id="close-contact")
            yield Static("", classes="dialog-error")
            yield Static("Enter 确定 · Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#close-detail", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "close-detail" and self.outcome is Outcome.CONSULTATION:
            self.query_one("#close-contact", Input).focus()
            return
        contacts = self.query("#close-contact")
        contact = contacts.first(Input).value if contacts else ""
        detail = self.query_one("#close-detail", Input).value
        try:
            body = close_body(self.outcome, detail, contact, local_today(self.app))
        except FormError as exc:
            self.query_one(".dialog-error", Static).update(exc.message)
            return
        self.dismiss(body)


def describe(c: ContactView, tz: tzinfo) -> Text:
    text = Text()
    text.append(f"{c.matter}\n", style="bold")
    when = c.occurred_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    text.append(f"登记时间：{when} · 渠道：{c.channel_label}\n")
    text.append(f"首问人：{c.first_responder.name}（{c.first_responder.role_label}）")
    if c.second_responder is not None:
        second = c.second_responder
        text.append(f" · 共同答复人：{second.name}（{second.role_label}）")
    text.append(f"\n首问责任人：{c.responsible.name}（{c.responsible.role_label}）\n", style="bold")
    if c.visitor_name or c.visitor_contact:
        text.append(f"服务对象：{c.visitor_name or '—'} · 联系方式：{c.visitor_contact or '—'}\n")
    style = "bold dark_orange" if c.open else "bold green"
    text.append(f"处理结果：{c.outcome_label}\n", style=style)
    for label, value in (
        ("答复", c.answer),
        ("引导", c.guided_to),
        ("去向", c.referred_to),
        ("咨询编号", c.consultation_number),
        ("办件编号", c.case_number or ""),
    ):
        if value:
            text.append(f"{label}：{value}\n")
    return text


class ContactDetailScreen(AppScreen):
    DEFAULT_CSS = """
    #contact-detail { height: auto; padding: 0 1; border: round $primary; }
    #contact-actions { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("k", "to_case", "转收件"),
    ]

    def __init__(self, contact_id: str) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.contact: ContactView | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("正在读取…", id="contact-detail")
        yield Static("", id="contact-actions")
        yield Static("", id="contact-error", classes="dialog-error")
        yield KeyFooter(compact=True, show_command_palette=False)

    async def on_screen_resume(self) -> None:
        await self.reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#contact-error", Static).update(message)

    async def reload(self) -> None:
        contact = await guarded(self.app, self.yz.api.contact(self.contact_id), self._show_error)
        if contact is not None:
            self.show(contact)

    def show(self, contact: ContactView) -> None:
        self.contact = contact
        self.query_one("#contact-detail", Static).update(describe(contact, self.yz.timezone))
        actions = ""
        if contact.open:
            actions = "1 当场解答 · 2 引导取号 · 3 非本站职责 · 4 登记咨询 · k 转收件 · Esc 返回"
        elif contact.outcome is Outcome.GUIDED and not contact.case_number:
            actions = "k 转收件 · Esc 返回"
        self.query_one("#contact-actions", Static).update(actions)

    async def on_key(self, event: events.Key) -> None:
        """1–4 close a pending contact with that outcome."""
        key = event.key
        if key in CLOSE_KEYS and self.contact is not None and self.contact.open:
            contact = self.contact

            async def done(body: ContactCloseIn | None) -> None:
                if body is None:
                    return
                call = self.yz.api.close_contact(contact.id, body)
                closed = await guarded(self.app, call, self._show_error)
                if closed is not None:
                    self._show_error("")
                    self.show(closed)
                    self.notify(f"已登记处理结果：{closed.outcome_label}", markup=False)

            event.stop()
            self.app.push_screen(CloseDialog(key, contact), done)

    def action_to_case(self) -> None:
        contact = self.contact
        if contact is None:
            return
        if not (contact.open or (contact.outcome is Outcome.GUIDED and not contact.case_number)):
            self._show_error("该登记已有处理结果，不能再转收件")
            return
        from tui.screens.contacts_case import ContactIntakeScreen

        self.app.push_screen(ContactIntakeScreen(contact))

    def action_back(self) -> None:
        self.app.pop_screen()
