"""人员管理 (站长): every account with its role, window and whether on duty; ``n`` adds an
account (工号, 姓名, 角色, 初始密码, 岗位, 手机, 窗口), ``d`` deactivates the selected one.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from appliance.core.roles import ROLE_LABELS
from appliance.staff.schemas import StaffIn
from tui.screens.admin_common import AdminListScreen, Row
from tui.screens.desk_common import Choice, Line, StepDialog
from tui.screens.dialogs import PromptDialog

STAFF_LINES = [
    Line("code", "工号", "如 ck02（字母和数字）"),
    Line("name", "姓名", "如 王秀英"),
    Line("pin", "初始密码", "至少 6 位数字，首次登录后本人修改"),
    Line("post", "岗位", "如 民政协理员", required=False),
    Line("phone", "手机", "可不填", required=False),
    Line("window", "窗口号", "窗口人员填写，如 1；引导、投诉受理留空", required=False),
]
ROLE_CHOICE = Choice("角色", [(role.value, label) for role, label in ROLE_LABELS.items()])


def duty_cell(active: bool, on_duty: bool, whereabouts: str) -> Text:
    if not active:
        return Text("已停用", style="dim")
    if on_duty:
        return Text(whereabouts or "在岗", style="bold green")
    return Text(whereabouts or "未签到", style="dark_orange")


class StaffAdminScreen(AdminListScreen):
    TITLE_TEXT = "人员管理"
    COLUMNS = ("工号", "姓名", "角色", "岗位", "窗口", "手机", "状态")
    HINT = "↑/↓ 选择 · n 新增人员 · d 停用所选人员 · r 刷新 · Esc 返回"
    BINDINGS = [Binding("n", "new", "新增人员"), Binding("d", "deactivate", "停用")]

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, str] = {}

    async def rows(self) -> list[Row] | None:
        staff = await self.call(self.admin.staff_list())
        windows = await self.call(self.admin.window_list())
        if staff is None or windows is None:
            return None
        numbers = {w.id: f"{w.number} 号" for w in windows}
        self.names = {s.id: f"{s.name}（{s.code}）" for s in staff}
        return [
            (
                s.id,
                (
                    s.code,
                    s.name,
                    s.role_label,
                    s.post,
                    numbers.get(s.window_id or "", ""),
                    s.phone_masked,
                    duty_cell(s.active, s.on_duty, s.whereabouts),
                ),
            )
            for s in staff
        ]

    def action_new(self) -> None:
        dialog = StepDialog("新增人员", STAFF_LINES, ROLE_CHOICE)
        self.app.push_screen(dialog, self._create)

    async def _create(self, answer: dict[str, str] | None) -> None:
        if answer is None:
            return
        window = answer["window"]
        if window and not window.isdigit():
            self.show_error("窗口号只能填写数字，如 1")
            return
        body = StaffIn(
            code=answer["code"],
            name=answer["name"],
            role=answer["choice"],
            pin=answer["pin"],
            post=answer["post"],
            phone=answer["phone"],
            window=int(window) if window else None,
        )
        created = await self.call(self.admin.create_staff(body))
        if created is not None:
            await self.done(f"已新增 {created.name}（{created.code}），角色：{created.role_label}")

    def action_deactivate(self) -> None:
        staff_id = self.selected
        if staff_id is None:
            self.show_error("请先选择要停用的人员")
            return
        who = self.names.get(staff_id, "")
        dialog = PromptDialog("停用人员", f"停用 {who} 后不能再登录。确认请输入“停用”：")
        self.app.push_screen(dialog, lambda answer: self._deactivate(staff_id, answer))

    async def _deactivate(self, staff_id: str, answer: str | None) -> None:
        if answer is None:
            return
        if answer.strip() != "停用":
            self.show_error("未停用：确认时请输入“停用”两个字")
            return
        changed = await self.call(self.admin.deactivate_staff(staff_id))
        if changed is not None:
            await self.done(f"已停用 {changed.name}（{changed.code}）")
