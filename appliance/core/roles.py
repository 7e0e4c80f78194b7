"""Staff roles (岗位角色, R-T1), who may do what, and the authenticated caller (Principal).

Every controller declares its callers with these sets, so they sit in the kernel below all
features; the staff feature creates accounts and sessions that carry a role."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from appliance.core.errors import Invalid


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
