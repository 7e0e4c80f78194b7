"""登记咨询 (R-C2, R-C3): the question, how it came, and either the answer or the reply date.

As the question is typed the knowledge base is searched (pinyin initials work); ↓ and Enter
take an entry's standard answer, which is then recorded as answered at once. Otherwise the
reply date: ``3`` working days, ``11-26``, or empty for a letter or e-mail (3 working days by
default); the visitor's contact is then required. Ctrl+S records; Esc goes back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static

from appliance.consultations.rules import ConsultChannel
from appliance.consultations.schemas import ConsultationIn
from appliance.core.identity import normalise_mobile
from tui.case_widgets import ChoiceBar, compact_input, field_row
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded, local_today
from tui.screens.consult_common import FormError, knowledge_hits, parse_reply
from tui.status_bar import StatusBar

CHANNELS = (
    ("onsite", "现场"),
    ("phone", "电话"),
    ("online", "网上"),
    ("letter", "信函"),
    ("email", "电子邮件"),
)


def pad(label: str) -> str:
    return (label + "：").ljust(6, "\u3000")


class ConsultationFormScreen(AppScreen):
    DEFAULT_CSS = """
    #consult-form { height: auto; padding: 0 1; }
    #consult-hits { height: auto; max-height: 7; }
    #consult-title { height: auto; padding: 0 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+s", "submit", "登记", priority=True),
        Binding("escape", "back", "返回"),
        Binding("down", "next_field", "下一项", show=False),
        Binding("up", "previous_field", "上一项", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.knowledge_id: str | None = None
        self.error = ""
        self._busy = False

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("登记咨询（咨询台账）", id="consult-title")
        with Vertical(id="consult-form"):
            yield field_row(
                pad("咨询内容"), compact_input("consult-question", "问题要点；拼音首字母检索知识库")
            )
            yield OptionList(id="consult-hits")
            yield field_row(pad("咨询方式"), ChoiceBar(CHANNELS, id="consult-channel"))
            yield field_row(pad("当场答复"), compact_input("consult-answer", "能当场答复的填这里"))
            yield field_row(
                pad("答复期限"),
                compact_input("consult-due", "不能当场答复时：工作日数如 3，或日期如 11-26"),
            )
            yield field_row(pad("服务对象"), compact_input("consult-name", "姓名，可不填"))
            yield field_row(
                pad("联系方式"), compact_input("consult-contact", "电话、邮箱或地址；约期答复必填")
            )
            yield Static("", id="consult-error", classes="dialog-error")
            yield Static(
                "信函、电子邮件咨询 3 个工作日内答复（答复期限可空）· Ctrl+S 登记 · Esc 返回",
                classes="dialog-hint",
            )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#consult-hits", OptionList).display = False
        self.query_one("#consult-question", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "consult-question":
            hits = self.query_one("#consult-hits", OptionList)
            query = event.value.strip()
            self.run_worker(
                knowledge_hits(self.app, query, hits, self._show_error),
                exclusive=True,
                group="search",
            )
        elif event.input.id == "consult-answer" and not event.value.strip():
            self.knowledge_id = None

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry_id = (event.option.id or "").removeprefix("k:")
        entry = await guarded(self.app, self.yz.api.knowledge_entry(entry_id), self._show_error)
        if entry is None:
            return
        question = self.query_one("#consult-question", Input)
        with question.prevent(Input.Changed):
            question.value = question.value or entry.question
        self.query_one("#consult-answer", Input).value = " ".join(entry.answer.split())
        self.knowledge_id = entry.id
        self.query_one("#consult-hits", OptionList).display = False
        self.query_one("#consult-channel", ChoiceBar).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_next_field(self) -> None:
        hits = self.query_one("#consult-hits", OptionList)
        if self.focused is self.query_one("#consult-question") and hits.display:
            hits.focus()
        else:
            self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_back(self) -> None:
        self.app.pop_screen()

    def _show_error(self, message: str) -> None:
        self.error = message
        self.query_one("#consult-error", Static).update(message)

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def body(self) -> ConsultationIn:
        answer = self._value("consult-answer")
        plan = parse_reply("" if answer else self._value("consult-due"), local_today(self.app))
        contact = self._value("consult-contact")
        return ConsultationIn(
            question=self._value("consult-question"),
            channel=ConsultChannel(self.query_one("#consult-channel", ChoiceBar).value),
            visitor_name=self._value("consult-name"),
            visitor_contact=normalise_mobile(contact) if contact[:1].isdigit() else contact,
            answer=answer,
            knowledge_id=self.knowledge_id if answer else None,
            reply_due=plan.reply_due,
            reply_in_working_days=plan.in_working_days,
        )

    async def action_submit(self) -> None:
        if self._busy:
            return
        try:
            body = self.body()
        except FormError as exc:
            self._show_error(exc.message)
            return
        self._busy = True
        self._show_error("正在登记…")
        entry = await guarded(self.app, self.yz.api.record_consultation(body), self._show_error)
        self._busy = False
        if entry is None:
            return
        if entry.status == "closed":
            message = f"已登记咨询 {entry.number}（当场答复）"
        else:
            due = entry.reply_due.isoformat() if entry.reply_due else ""
            message = f"已登记咨询 {entry.number}，约定 {due} 前答复"
        self.notify(message, markup=False)
        from tui.screens.consult_detail import ConsultationDetailScreen

        self.app.switch_screen(ConsultationDetailScreen(entry.number, entry))
