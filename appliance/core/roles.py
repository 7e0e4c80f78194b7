"""Staff roles (岗位角色, R-T1), who may do what, and the authenticated caller (Principal).

Every controller declares its callers with these sets, so they sit in the kernel below all
features; the staff feature creates accounts and sessions that carry a role."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from appliance.core.errors import Invalid, NotAllowed


class Role(StrEnum):
    GUIDE = "guide"  # 引导/咨询
    WINDOW = "window"  # 窗口
    HELPER = "helper"  # 帮代办
    COMPLAINTS = "complaints"  # 投诉受理
    MANAGER = "manager"  # 站长


ROLE_LABELS: dict[Role, str] = {
    Role.GUIDE: "引导/咨询",
    Role.WINDOW: "窗口",
    Role.HELPER: "帮代办",
    Role.COMPLAINTS: "投诉受理",
    Role.MANAGER: "站长",
}

ALL_ROLES = frozenset(Role)
# Who may operate a service window (call, recall, no-show, transfer, pause).
WINDOW_ROLES = frozenset({Role.WINDOW, Role.HELPER, Role.MANAGER})
# Who may take a number for a visitor at the staff terminal (R-Q1).
ISSUE_ROLES = frozenset({Role.GUIDE, Role.WINDOW, Role.HELPER, Role.MANAGER})
# Who may put a no-show back into the queue.
REJOIN_ROLES = frozenset({Role.GUIDE, Role.WINDOW, Role.HELPER, Role.MANAGER})
MANAGER_ROLES = frozenset({Role.MANAGER})
# Who works the follow-ups of bad ratings (差评回访) and transcribes the comment box (R-E3):
# the station head and 投诉受理, never the window whose service was rated.
FOLLOW_UP_ROLES = frozenset({Role.COMPLAINTS, Role.MANAGER})


def parse_role(value: str) -> Role:

    try:
        return Role(value)
    except ValueError:
        names = "、".join(f"{r.value}({label})" for r, label in ROLE_LABELS.items())
        raise Invalid(f"未知岗位角色“{value}”，可选：{names}", "bad_role") from None


@dataclass
class Principal:
    """The authenticated caller of a staff endpoint."""

    staff_id: str
    code: str
    name: str
    role: Role
    window_id: str | None


def window_authority(actor: Principal, window_id: str, window_number: int) -> bool:
    """May ``actor`` run this window's actions (call, recall, start, finish, no-show,
    transfer, pause, resume)? (R-Q6, R-T1)

    A window belongs to the staff member signed in at it: an active account with a live
    session whose assigned window (``Staff.window_id``, re-read on every request) is this
    one. The station head may act for any window; then the answer is True ("on behalf"),
    which the caller records in the event. Anyone else gets 403 with a Chinese message.
    """
    if actor.window_id == window_id:
        return False
    if actor.role is Role.MANAGER:
        return True
    if actor.window_id is None:
        raise NotAllowed(
            f"您的账号未绑定窗口，不能操作 {window_number} 号窗口；如需办理请联系站长绑定窗口",
            "not_your_window",
        )
    raise NotAllowed(
        f"{window_number} 号窗口不是您登录的窗口，只有该窗口的工作人员或站长可以操作",
        "not_your_window",
    )
