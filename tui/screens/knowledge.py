"""知识库 (R-C3): search by question, keyword, answer or pinyin initials (``dbsq`` → 低保申请).

Type to search (empty: the most-asked first); ↓ goes to the list, Enter opens an entry
(edit, retire). Ctrl+N adds an entry; Ctrl+X exports (station head, R-M3); ``d`` in the
list shows retired entries too; Esc goes back.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from appliance.knowledge.schemas import KnowledgeView
from tui.case_widgets import compact_input, field_row
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.consult_common import ExportDialog, LedgerTable
from tui.status_bar import StatusBar

COLUMNS = ("问题", "关键词", "来源", "被问次数", "状态")


def row_of(e: KnowledgeView) -> tuple[Text | str, ...]:
    state = Text("在用" if e.active else "已停用", style="" if e.active else "dim")
    public = "" if e.public else "（不公开）"
    return (e.question, "、".join(e.keywords), e.source_label + public, str(e.asked_count), state)


class KnowledgeScreen(AppScreen):
    DEFAULT_CSS = """
    #knowledge-head { height: auto; padding: 0 1; text-style: bold; }
    #knowledge-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("ctrl+n", "new", "新增条目", priority=True),
        Binding("ctrl+x", "export", "导出", priority=True),
        Binding("down", "to_list", "到列表", show=False),
        Binding("d", "toggle_retired", "含已停用", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.retired = False
        self.entries: list[KnowledgeView] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("知识库", id="knowledge-head")
        yield field_row(
            "检索：", compact_input("knowledge-search", "问题、关键词或拼音首字母，如 dbsq")
        )
        yield LedgerTable(COLUMNS, id="knowledge-table")
        yield Static("", id="knowledge-error", classes="dialog-error")
        yield Static(
            "输入即检索 · ↓ 到列表 · Enter 查看 · Ctrl+N 新增 · d 含已停用 · Ctrl+X 导出 · Esc 返回",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#knowledge-search", Input).focus()

    async def on_screen_resume(self) -> None:
        await self.reload()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.run_worker(self.reload(), exclusive=True, group="search")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_to_list()

    def _show_error(self, message: str) -> None:
        self.query_one("#knowledge-error", Static).update(message)

    async def reload(self) -> None:
        query = self.query_one("#knowledge-search", Input).value.strip()
        found = await guarded(self.app, self._search(query), self._show_error)
        if found is None:
            return
        self.entries = found
        what = f"“{query}”" if query else "最常被问"
        self.query_one("#knowledge-head", Static).update(f"知识库 · {what} · {len(found)} 条")
        self._show_error("" if found else f"没有找到与“{query}”相符的条目")
        self.query_one(LedgerTable).fill([(e.id, row_of(e)) for e in found])

    async def _search(self, query: str) -> list[KnowledgeView]:
        return await self.yz.api.search_knowledge(query, 100 if self.retired else 50, self.retired)

    def action_to_list(self) -> None:
        table = self.query_one(LedgerTable)
        if table.ids:
            table.focus()

    async def action_toggle_retired(self) -> None:
        self.retired = not self.retired
        await self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        from tui.screens.knowledge_detail import KnowledgeDetailScreen

        entry_id = self.query_one(LedgerTable).selected
        if entry_id:
            self.app.push_screen(KnowledgeDetailScreen(entry_id))

    def action_new(self) -> None:
        from tui.screens.knowledge_detail import KnowledgeFormScreen

        self.app.push_screen(KnowledgeFormScreen())

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog("knowledge", "知识库"))

    def action_back(self) -> None:
        self.app.pop_screen()
