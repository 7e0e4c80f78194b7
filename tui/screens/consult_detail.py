"""One consultation (咨询台账, R-C2, R-C3): the question, the visitor's contact, the agreed
reply date, the reply.

``r`` records the reply, which closes the entry (an empty reply is refused: an entry cannot
close without one); ``p`` puts an answered entry into the knowledge base with keywords.
Esc goes back.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, OptionList, Static

from appliance.consultations.schemas import ConsultationView, PromoteIn, ReplyIn
from appliance.knowledge.rules import split_keywords
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen, Dialog
from tui.screens.case_common import guarded
from tui.screens.consult_common import OVERDUE_STYLE, knowledge_hits
from tui.status_bar import StatusBar

if TYPE_CHECKING:
    from tui.app import YizhanApp


class ReplyDialog(Dialog[ReplyIn]):
    """答复: type the reply, or pick a knowledge entry (↓ Enter) whose answer fills it."""

    DEFAULT_CSS = "#reply-hits { height: auto; max-height: 6; }"

    def __init__(self, entry: ConsultationView) -> None:
        super().__init__()
        self.entry = entry
        self.knowledge_id: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"答复咨询 {self.entry.number}", classes="dialog-title")
            yield Label(self.entry.question)
            yield Label("答复内容（检索知识库：输入拼音首字母后按 ↓）：")
            yield Input(id="reply-answer")
            yield OptionList(id="reply-hits")
            yield Static("", classes="dialog-error")
            yield Static("Enter 答复并关闭 · Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#reply-hits", OptionList).display = False
        self.query_one("#reply-answer", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(message)

    def on_input_changed(self, event: Input.Changed) -> None:
        query = event.value.strip()
        hits = self.query_one("#reply-hits", OptionList)
        if self.knowledge_id is None and query.isascii():
            self.run_worker(knowledge_hits(self.app, query, hits, self._error), exclusive=True)
        else:
            hits.display = False

    @property
    def yz(self) -> YizhanApp:
        return cast("YizhanApp", self.app)

    def key_down(self) -> None:
        hits = self.query_one("#reply-hits", OptionList)
        if hits.display:
            hits.focus()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry_id = (event.option.id or "").removeprefix("k:")
        entry = await guarded(self.app, self.yz.api.knowledge_entry(entry_id), self._error)
        if entry is None:
            return
        self.knowledge_id = entry.id
        answer = self.query_one("#reply-answer", Input)
        with answer.prevent(Input.Changed):
            answer.value = " ".join(entry.answer.split())
        self.query_one("#reply-hits", OptionList).display = False
        answer.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        answer = event.value.strip()
        if not answer:
            self._error("请填写答复内容：没有答复，咨询不能关闭")
            return
        self.dismiss(ReplyIn(answer=answer, knowledge_id=self.knowledge_id))


class PromoteDialog(Dialog[PromoteIn]):
    """加入知识库: keywords for search, and whether the entry may be shown to the public."""

    def __init__(self, entry: ConsultationView) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"咨询 {self.entry.number} 加入知识库", classes="dialog-title")
            yield Label("问题（可修改）：")
            yield Input(" ".join(self.entry.question.split())[:100], id="promote-question")
            yield Label("关键词（用顿号或空格分开，如 低保、救助）：")
            yield Input(id="promote-keywords")
            yield Checkbox("在常见问题页面对外公开", True, id="promote-public")
            yield Static("", classes="dialog-error")
            yield Static("Enter 确定 · Tab 切换 · Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#promote-keywords", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        keywords = list(split_keywords(self.query_one("#promote-keywords", Input).value))
        if len(keywords) > 10:
            self.query_one(".dialog-error", Static).update("关键词最多 10 个")
            return
        self.dismiss(
            PromoteIn(
                question=self.query_one("#promote-question", Input).value.strip(),
                keywords=keywords,
                public=self.query_one("#promote-public", Checkbox).value,
            )
        )


def describe(e: ConsultationView, tz: tzinfo) -> Text:
    text = Text()
    text.append(f"咨询 {e.number} · {e.channel_label}\n", style="bold")
    text.append(f"{e.question}\n\n")
    asked = e.asked_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    text.append(f"登记：{asked} · 登记人：{e.recorded_by}\n")
    text.append(f"服务对象：{e.visitor_name or '—'} · 联系方式：{e.visitor_contact or '—'}\n")
    if e.reply_due is not None:
        due = e.reply_due.isoformat() + ("（暂定）" if e.reply_due_provisional else "")
        text.append(f"约定答复日期：{due}\n", style=OVERDUE_STYLE if e.overdue else "")
    style = OVERDUE_STYLE if e.overdue else ("bold green" if e.status == "closed" else "bold")
    text.append(f"状态：{e.status_label}\n", style=style)
    if e.answer:
        when = e.answered_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if e.answered_at else ""
        text.append(f"答复（{e.answered_by} {when}）：{e.answer}\n")
    if e.promoted_id:
        text.append("已加入知识库\n", style="green")
    return text


class ConsultationDetailScreen(AppScreen):
    DEFAULT_CSS = """
    #consult-detail { height: auto; padding: 0 1; border: round $primary; }
    #consult-actions { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("r", "reply", "答复并关闭"),
        Binding("p", "promote", "加入知识库"),
    ]

    def __init__(self, ref: str, entry: ConsultationView | None = None) -> None:
        super().__init__()
        self.ref = ref
        self.entry = entry

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("正在读取…", id="consult-detail")
        yield Static("", id="consult-actions")
        yield Static("", id="consult-error", classes="dialog-error")
        yield KeyFooter(compact=True, show_command_palette=False)

    async def on_screen_resume(self) -> None:
        if self.entry is not None:
            self.show(self.entry)
        entry = await guarded(self.app, self.yz.api.consultation(self.ref), self._show_error)
        if entry is not None:
            self.show(entry)

    def _show_error(self, message: str) -> None:
        self.query_one("#consult-error", Static).update(message)

    def show(self, entry: ConsultationView) -> None:
        self.entry = entry
        self.query_one("#consult-detail", Static).update(describe(entry, self.yz.timezone))
        if entry.status == "open":
            actions = "r 答复并关闭 · Esc 返回"
        elif not entry.promoted_id:
            actions = "p 加入知识库 · Esc 返回"
        else:
            actions = "Esc 返回"
        self.query_one("#consult-actions", Static).update(actions)

    def action_reply(self) -> None:
        entry = self.entry
        if entry is None or entry.status != "open":
            self._show_error("该咨询已答复")
            return

        async def done(body: ReplyIn | None) -> None:
            if body is None:
                return
            call = self.yz.api.reply_consultation(entry.number, body)
            closed = await guarded(self.app, call, self._show_error)
            if closed is not None:
                self._show_error("")
                self.show(closed)
                self.notify(f"咨询 {closed.number} 已答复并关闭", markup=False)

        self.app.push_screen(ReplyDialog(entry), done)

    def action_promote(self) -> None:
        entry = self.entry
        if entry is None:
            return
        if entry.status != "closed" or entry.promoted_id:
            self._show_error("只有已答复、尚未加入知识库的咨询才能加入知识库")
            return

        async def done(body: PromoteIn | None) -> None:
            if body is None:
                return
            call = self.yz.api.promote_consultation(entry.number, body)
            made = await guarded(self.app, call, self._show_error)
            if made is not None:
                self.notify(f"已加入知识库：{made.question}", markup=False)
                refreshed = await guarded(
                    self.app, self.yz.api.consultation(entry.number), self._show_error
                )
                if refreshed is not None:
                    self.show(refreshed)

        self.app.push_screen(PromoteDialog(entry), done)

    def action_back(self) -> None:
        self.app.pop_screen()
