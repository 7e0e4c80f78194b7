"""One knowledge entry (知识条目, R-C3), and the form that adds or edits one.

Detail: ``e`` edits a station entry, ``x`` retires it (停用: pressed twice, so a slip costs
nothing); entries the county published change only at the county. Form: question, standard
answer, keywords (顿号 or spaces between), public or not; Ctrl+S saves; Esc goes back.
"""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Static

from appliance.knowledge.rules import Source, split_keywords
from appliance.knowledge.schemas import KnowledgeIn, KnowledgeView
from tui.case_widgets import compact_input, field_row
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.status_bar import StatusBar


def describe(e: KnowledgeView, tz: tzinfo) -> Text:
    text = Text()
    text.append(f"{e.question}\n", style="bold")
    text.append(f"{e.answer}\n\n")
    if e.keywords:
        text.append(f"关键词：{'、'.join(e.keywords)}\n")
    updated = e.updated_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    text.append(f"来源：{e.source_label} · 整理人：{e.created_by} · 更新：{updated}\n")
    text.append(f"被咨询 {e.asked_count} 次 · {'对外公开' if e.public else '不公开'}\n")
    if e.consultation_number:
        text.append(f"来自咨询 {e.consultation_number}\n")
    if not e.active:
        text.append("已停用\n", style="bold red")
    return text


class KnowledgeDetailScreen(AppScreen):
    DEFAULT_CSS = """
    #knowledge-detail { height: auto; padding: 0 1; border: round $primary; }
    #knowledge-actions { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("e", "edit", "修改"),
        Binding("x", "retire", "停用"),
    ]

    def __init__(self, entry_id: str) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.entry: KnowledgeView | None = None
        self._confirm = False

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("正在读取…", id="knowledge-detail")
        yield Static("", id="knowledge-actions")
        yield Static("", id="knowledge-error", classes="dialog-error")
        yield KeyFooter(compact=True, show_command_palette=False)

    async def on_screen_resume(self) -> None:
        call = self.yz.api.knowledge_entry(self.entry_id)
        entry = await guarded(self.app, call, self._show_error)
        if entry is not None:
            self.show(entry)

    def _show_error(self, message: str) -> None:
        self.query_one("#knowledge-error", Static).update(message)

    def _editable(self, entry: KnowledgeView) -> bool:
        return entry.active and entry.source is Source.STATION

    def show(self, entry: KnowledgeView) -> None:
        self.entry = entry
        self.query_one("#knowledge-detail", Static).update(describe(entry, self.yz.timezone))
        if self._editable(entry):
            actions = "e 修改 · x 停用 · Esc 返回"
        elif entry.source is Source.COUNTY:
            actions = "县级下发的条目由县级中心维护 · Esc 返回"
        else:
            actions = "Esc 返回"
        self.query_one("#knowledge-actions", Static).update(actions)

    def action_edit(self) -> None:
        if self.entry is not None and self._editable(self.entry):
            self.app.push_screen(KnowledgeFormScreen(self.entry))

    async def action_retire(self) -> None:
        entry = self.entry
        if entry is None or not self._editable(entry):
            return
        if not self._confirm:
            self._confirm = True
            self._show_error("再按一次 x 停用该条目（停用后不再被检索，也不在常见问题中显示）")
            return
        self._confirm = False
        retired = await guarded(self.app, self.yz.api.retire_knowledge(entry.id), self._show_error)
        if retired is not None:
            self._show_error("")
            self.show(retired)
            self.notify("知识条目已停用", markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()


class KnowledgeFormScreen(AppScreen):
    """新增 or 修改 a station entry."""

    DEFAULT_CSS = """
    #knowledge-form { height: auto; padding: 0 1; }
    #knowledge-form-title { height: auto; padding: 0 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True),
        Binding("escape", "back", "返回"),
    ]

    def __init__(self, entry: KnowledgeView | None = None) -> None:
        super().__init__()
        self.entry = entry
        self._busy = False

    def compose(self) -> ComposeResult:
        e = self.entry
        title = "修改知识条目" if e else "新增知识条目"
        yield StatusBar()
        yield Static(title, id="knowledge-form-title")
        with Vertical(id="knowledge-form"):
            yield field_row(
                "问题：",
                compact_input("kf-question", "服务对象常问的问题", e.question if e else ""),
            )
            yield field_row(
                "答案：",
                compact_input("kf-answer", "标准答案", " ".join(e.answer.split()) if e else ""),
            )
            yield field_row(
                "关键词：",
                compact_input(
                    "kf-keywords", "用顿号或空格分开", "、".join(e.keywords) if e else ""
                ),
            )
            yield Checkbox("在常见问题页面对外公开", e.public if e else True, id="kf-public")
            yield Static("", id="kf-error", classes="dialog-error")
            yield Static("Tab 切换 · Ctrl+S 保存 · Esc 返回", classes="dialog-hint")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#kf-question", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def _show_error(self, message: str) -> None:
        self.query_one("#kf-error", Static).update(message)

    async def action_save(self) -> None:
        if self._busy:
            return
        keywords = list(split_keywords(self._value("kf-keywords")))
        if len(keywords) > 10:
            self._show_error("关键词最多 10 个")
            return
        body = KnowledgeIn(
            question=self._value("kf-question"),
            answer=self._value("kf-answer"),
            keywords=keywords,
            public=self.query_one("#kf-public", Checkbox).value,
        )
        self._busy = True
        call = self.yz.api.save_knowledge(body, self.entry.id if self.entry else "")
        saved = await guarded(self.app, call, self._show_error)
        self._busy = False
        if saved is None:
            return
        self.notify(f"已保存知识条目：{saved.question}", markup=False)
        if self.entry is not None:
            self.app.pop_screen()  # back to the entry, which reads itself again
        else:
            self.app.switch_screen(KnowledgeDetailScreen(saved.id))

    def action_back(self) -> None:
        self.app.pop_screen()
