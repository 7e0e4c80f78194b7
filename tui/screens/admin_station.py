"""业务类别与窗口 (站长): each business category with the windows that serve it, and each
window with its categories; ``c`` adds a category, ``w`` adds a window, ``e`` (or Enter)
changes the selected one: a category's name and minutes (its letter stays: today's numbers
start with it), a window's name and categories (its number stays: the keypad and the display
know it by number).
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.binding import Binding

from appliance.queue.schemas import (
    CategoryEdit,
    CategoryIn,
    CategoryInfo,
    WindowEdit,
    WindowIn,
    WindowInfo,
)
from tui.screens.admin_common import AdminListScreen, Row
from tui.screens.desk_common import Line, StepDialog

CATEGORY_LINES = [
    Line("prefix", "号码字母", "如 D（取号时号码以它开头）"),
    Line("name", "类别名称", "如 退役军人服务"),
    Line("minutes", "每人约用分钟", "如 8；留空按历史估算", required=False),
]
WINDOW_LINES = [
    Line("number", "窗口号", "如 3"),
    Line("name", "窗口名称", "可不填，如 综合窗口", required=False),
    Line("categories", "办理的类别字母", "如 A C（空格分开）", required=False),
]


class StationAdminScreen(AdminListScreen):
    TITLE_TEXT = "业务类别与窗口"
    COLUMNS = ("类型", "编号", "名称", "对应", "状态")
    HINT = "c 新增业务类别 · w 新增窗口 · e 修改所选 · r 刷新 · Esc 返回"
    BINDINGS = [
        Binding("c", "new_category", "新增类别"),
        Binding("w", "new_window", "新增窗口"),
        Binding("e,enter", "edit", "修改"),
    ]
    categories: dict[str, CategoryInfo] = {}
    windows: dict[str, WindowInfo] = {}

    async def rows(self) -> list[Row] | None:
        categories = await self.call(self.admin.category_list())
        windows = await self.call(self.admin.window_list())
        if categories is None or windows is None:
            return None
        self.categories = {f"c-{c.id}": c for c in categories}
        self.windows = {f"w-{w.id}": w for w in windows}
        rows: list[Row] = []
        for c in categories:
            served = "、".join(f"{n} 号窗口" for n in c.windows)
            state = Text("正常", style="green") if c.windows else Text("无窗口办理", "bold red")
            rows.append((f"c-{c.id}", ("业务类别", c.prefix, c.name, served, state)))
        for w in windows:
            letters = " ".join(w.category_prefixes) or "（未设类别）"
            state = Text("暂停服务", style="dark_orange") if w.paused else Text("服务中", "green")
            rows.append((f"w-{w.id}", ("窗口", f"{w.number} 号", w.name, letters, state)))
        return rows

    def _minutes(self, answer: dict[str, str]) -> float | None | bool:
        """每人约用分钟 as typed (empty: None), or False with the error line said."""
        minutes = answer["minutes"]
        try:
            return float(minutes) if minutes else None
        except ValueError:
            self.show_error("每人约用分钟请填写数字，如 8")
            return False

    def action_new_category(self) -> None:
        self.app.push_screen(StepDialog("新增业务类别", CATEGORY_LINES), self._add_category)

    async def _add_category(self, answer: dict[str, str] | None) -> None:
        if answer is None:
            return
        prior = self._minutes(answer)
        if prior is False:
            return
        body = CategoryIn(prefix=answer["prefix"].upper(), name=answer["name"], prior_minutes=prior)
        added = await self.call(self.admin.add_category(body))
        if added is not None:
            await self.done(f"已新增业务类别 {added.prefix} {added.name}")

    def action_new_window(self) -> None:
        self.app.push_screen(StepDialog("新增窗口", WINDOW_LINES), self._add_window)

    async def _category_ids(self, answer: dict[str, str]) -> list[str] | None:
        """The ids of the letters typed (A C), or None with the error line said."""
        categories = await self.call(self.admin.category_list())
        if categories is None:
            return None
        ids = {c.prefix.upper(): c.id for c in categories}
        letters = answer["categories"].upper().replace("，", " ").replace(",", " ").split()
        unknown = [x for x in letters if x not in ids]
        if unknown:
            self.show_error(f"没有这些业务类别：{'、'.join(unknown)}")
            return None
        return [ids[x] for x in letters]

    async def _add_window(self, answer: dict[str, str] | None) -> None:
        if answer is None:
            return
        if not answer["number"].isdigit():
            self.show_error("窗口号只能填写数字，如 3")
            return
        ids = await self._category_ids(answer)
        if ids is None:
            return
        body = WindowIn(number=int(answer["number"]), name=answer["name"], categories=ids)
        added = await self.call(self.admin.add_window(body))
        if added is not None:
            await self.done(f"已新增 {added.number} 号窗口")

    def action_edit(self) -> None:
        key = self.selected or ""
        if key in self.categories:
            c = self.categories[key]
            minutes = "" if c.prior_minutes is None else f"{c.prior_minutes:g}"
            lines = [
                replace(CATEGORY_LINES[1], value=c.name),
                replace(CATEGORY_LINES[2], value=minutes),
            ]
            dialog = StepDialog(f"修改业务类别 {c.prefix}", lines, note="类别字母不能修改")
            self.app.push_screen(dialog, lambda a: self._edit_category(c.id, a))
        elif key in self.windows:
            w = self.windows[key]
            lines = [
                replace(WINDOW_LINES[1], value=w.name),
                replace(WINDOW_LINES[2], value=" ".join(w.category_prefixes), required=True),
            ]
            dialog = StepDialog(f"修改 {w.number} 号窗口", lines, note="窗口号不能修改")
            self.app.push_screen(dialog, lambda a: self._edit_window(w.id, a))
        else:
            self.show_error("请先用 ↑/↓ 选中要修改的类别或窗口")

    async def _edit_category(self, category_id: str, answer: dict[str, str] | None) -> None:
        if answer is None:
            return
        prior = self._minutes(answer)
        if prior is False:
            return
        body = CategoryEdit(name=answer["name"], prior_minutes=prior)
        changed = await self.call(self.admin.edit_category(category_id, body))
        if changed is not None:
            await self.done(f"已修改业务类别 {changed.prefix} {changed.name}")

    async def _edit_window(self, window_id: str, answer: dict[str, str] | None) -> None:
        if answer is None:
            return
        ids = await self._category_ids(answer)
        if ids is None:
            return
        changed = await self.call(
            self.admin.edit_window(window_id, WindowEdit(name=answer["name"], categories=ids))
        )
        if changed is not None:
            letters = " ".join(changed.category_prefixes)
            await self.done(f"已修改 {changed.number} 号窗口（办理 {letters}）")
