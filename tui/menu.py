"""The staff terminal's menu (功能菜单): every screen beyond the queue, in one explicit list.

A feature that brings a screen adds one ``MenuEntry`` to ``MENU``; the menu (key ``g`` on the
queue screen) offers only the entries the signed-in role may use, so nobody is shown a screen
that would refuse them. Keys are single characters, unique across the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from appliance.complaints.rules import COMPLAINT_ROLES
from appliance.core.roles import ALL_ROLES, FOLLOW_UP_ROLES, MANAGER_ROLES, WINDOW_ROLES, Role

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.app import YizhanApp


@dataclass(frozen=True)
class MenuEntry:
    """One line of the menu: its key, its Chinese label, who may open it, and how."""

    key: str
    label: str
    roles: frozenset[Role]
    open: Callable[[YizhanApp], Screen[None]]

    def allowed(self, role: Role) -> bool:
        return role in self.roles


def _my_cases(app: YizhanApp) -> Screen[None]:
    from tui.screens.cases_list import MyCasesScreen

    return MyCasesScreen()


def _contacts(app: YizhanApp) -> Screen[None]:
    from tui.screens.contacts import ContactFormScreen

    return ContactFormScreen()


def _consultations(app: YizhanApp) -> Screen[None]:
    from tui.screens.consult_list import ConsultationListScreen

    return ConsultationListScreen()


def _knowledge(app: YizhanApp) -> Screen[None]:
    from tui.screens.knowledge import KnowledgeScreen

    return KnowledgeScreen()


def _followups(app: YizhanApp) -> Screen[None]:
    from tui.screens.ratings_followups import FollowUpListScreen

    return FollowUpListScreen()


def _desk(app: YizhanApp) -> Screen[None]:
    from tui.screens.desk_list import DeskListScreen

    return DeskListScreen()


def _complaints(app: YizhanApp) -> Screen[None]:
    from tui.screens.complaints_list import ComplaintListScreen

    return ComplaintListScreen()


def _faults(app: YizhanApp) -> Screen[None]:
    from tui.screens.faults_list import FaultListScreen

    return FaultListScreen()


def _delegations(app: YizhanApp) -> Screen[None]:
    from tui.screens.delegation_list import DelegationListScreen

    return DelegationListScreen()


def _head_home(app: YizhanApp) -> Screen[None]:
    from tui.screens.head_home import HeadHomeScreen

    return HeadHomeScreen()


def _archives(app: YizhanApp) -> Screen[None]:
    from tui.screens.archives import ArchivesScreen

    return ArchivesScreen()


def _appointments(app: YizhanApp) -> Screen[None]:
    from tui.screens.appointments_list import AppointmentListScreen

    return AppointmentListScreen()


def _admin_staff(app: YizhanApp) -> Screen[None]:
    from tui.screens.admin_staff import StaffAdminScreen

    return StaffAdminScreen()


def _admin_station(app: YizhanApp) -> Screen[None]:
    from tui.screens.admin_station import StationAdminScreen

    return StationAdminScreen()


def _admin_templates(app: YizhanApp) -> Screen[None]:
    from tui.screens.admin_sms_templates import SmsTemplatesScreen

    return SmsTemplatesScreen()


def _admin_jobs(app: YizhanApp) -> Screen[None]:
    from tui.screens.admin_jobs import JobsAdminScreen

    return JobsAdminScreen()


MENU: list[MenuEntry] = [
    MenuEntry("m", "我的办件", frozenset(ALL_ROLES), _my_cases),
    MenuEntry("q", "首问登记", frozenset(ALL_ROLES), _contacts),
    MenuEntry("z", "咨询台账", frozenset(ALL_ROLES), _consultations),
    MenuEntry("b", "知识库", frozenset(ALL_ROLES), _knowledge),
    MenuEntry("h", "差评回访 · 意见箱录入", FOLLOW_UP_ROLES, _followups),
    MenuEntry("d", "归档 · 移交清单", WINDOW_ROLES, _archives),
    MenuEntry("y", "帮办代办", frozenset(ALL_ROLES), _delegations),
    MenuEntry("w", "办不成事登记", frozenset(ALL_ROLES), _desk),
    MenuEntry("a", "预约 · 停电断网登记", frozenset(ALL_ROLES), _appointments),
    MenuEntry("v", "投诉受理", COMPLAINT_ROLES, _complaints),
    MenuEntry("u", "故障台账 · 应急处置（F9）", frozenset(ALL_ROLES), _faults),
    MenuEntry("s", "站长首页 · 统计报表", MANAGER_ROLES, _head_home),
    MenuEntry("p", "人员管理（站长）", MANAGER_ROLES, _admin_staff),
    MenuEntry("c", "业务类别与窗口（站长）", MANAGER_ROLES, _admin_station),
    MenuEntry("t", "短信模板（站长）", MANAGER_ROLES, _admin_templates),
    MenuEntry("j", "打印与短信队列 · 重打重发（站长）", MANAGER_ROLES, _admin_jobs),
]


def entries_for(role: Role) -> list[MenuEntry]:
    """The entries a role may open, in menu order."""
    return [e for e in MENU if e.allowed(role)]
