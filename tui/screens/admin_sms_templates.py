"""短信模板 (站长): the text of each kind of SMS the station sends; Enter edits the selected
one (the server checks its {placeholders} and length and says what is wrong).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable

from appliance.jobs.schemas import TemplateView
from tui.screens.admin_common import AdminListScreen, Row
from tui.screens.desk_common import short
from tui.screens.dialogs import PromptDialog


class SmsTemplatesScreen(AdminListScreen):
    TITLE_TEXT = "短信模板"
    COLUMNS = ("类型", "模板内容")
    HINT = "↑/↓ 选择 · Enter 修改所选模板（花括号 {…} 里的字段照原样保留）· r 刷新 · Esc 返回"
    BINDINGS = [Binding("enter", "edit", "修改模板")]

    def __init__(self) -> None:
        super().__init__()
        self.templates: dict[str, TemplateView] = {}

    async def rows(self) -> list[Row] | None:
        templates = await self.call(self.admin.sms_templates())
        if templates is None:
            return None
        self.templates = {t.kind: t for t in templates}
        return [(t.kind, (t.label, short(t.body, 80))) for t in templates]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        template = self.templates.get(self.selected or "")
        if template is None:
            self.show_error("请先选择要修改的模板")
            return
        dialog = PromptDialog(f"修改短信模板：{template.label}", "模板内容：", value=template.body)
        self.app.push_screen(dialog, lambda body: self._save(template.kind, body))

    async def _save(self, kind: str, body: str | None) -> None:
        if body is None:
            return
        saved = await self.call(self.admin.set_sms_template(kind, body))
        if saved is not None:
            await self.done(f"已保存短信模板：{saved.label}")
