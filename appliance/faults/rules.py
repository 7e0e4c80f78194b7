"""Fault grading and emergency procedures (故障分级、应急处置, R-I1, R-I2): pure rules.

HN-4 6.3.1 grades the two kinds of fault differently:

- 网络故障 (6.3.1.1) by scope: I 内网无法访问、窗口无法办件; II 部分窗口无法办件（病毒、楼层
  交换机、电脑成批损坏）; III 互联网无法访问. The clerk picks the scope; the appliance's own
  network fault (the county unreachable, while the station keeps working offline) is III.
- 信息系统故障 (6.3.1.2) by how long it lasts: III solved within 20 minutes, II within one
  hour, I longer than one hour. An open fault's level is provisional (its duration so far).

The emergency checklists are the short procedures of XC 附录H (H.3–H.7) and HN-4 6.1.5,
6.4, 6.5.2, in the station's own words.

Pure: stdlib only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from appliance.core.errors import Conflict, Invalid


class FaultKind(StrEnum):
    NETWORK = "network"  # 网络故障
    SYSTEM = "system"  # 信息系统故障


class NetworkScope(StrEnum):
    """HN-4 6.3.1.1: what the network fault stops."""

    INTRANET = "intranet"  # I: 内网无法访问，窗口无法办件
    PARTIAL = "partial"  # II: 部分窗口无法办件
    INTERNET = "internet"  # III: 互联网无法访问


class FaultStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ActionKind(StrEnum):
    STEP = "step"  # 处理措施
    NOTIFIED = "notified"  # 已通知（人员）


class FaultSource(StrEnum):
    """Who opened the fault: staff, or the appliance itself (automatic entries)."""

    MANUAL = "manual"
    COUNTY = "county"  # the county centre unreachable (sync agent)
    RECEIPT_PRINTER = "printer.receipt"
    NOTICE_PRINTER = "printer.notice"
    MODEM = "modem"
    HARDWARE = "hwservice"  # the hardware service stopped reporting


LEVELS = ("I", "II", "III")
LEVEL_LABELS = {"I": "I级", "II": "II级", "III": "III级"}
KIND_LABELS = {FaultKind.NETWORK: "网络故障", FaultKind.SYSTEM: "信息系统故障"}
SCOPE_LABELS = {
    NetworkScope.INTRANET: "内网无法访问，窗口无法办件",
    NetworkScope.PARTIAL: "部分窗口无法办件",
    NetworkScope.INTERNET: "互联网无法访问",
}
SCOPE_LEVELS = {
    NetworkScope.INTRANET: "I",
    NetworkScope.PARTIAL: "II",
    NetworkScope.INTERNET: "III",
}
STATUS_LABELS = {FaultStatus.OPEN: "处理中", FaultStatus.CLOSED: "已处理"}
ACTION_LABELS = {ActionKind.STEP: "处理措施", ActionKind.NOTIFIED: "已通知"}
SOURCE_LABELS = {
    FaultSource.MANUAL: "人工登记",
    FaultSource.COUNTY: "县级中心无法连接",
    FaultSource.RECEIPT_PRINTER: "小票打印机离线",
    FaultSource.NOTICE_PRINTER: "A4 打印机离线",
    FaultSource.MODEM: "短信猫离线",
    FaultSource.HARDWARE: "硬件服务无响应",
}
AUTO_KINDS = {
    FaultSource.COUNTY: FaultKind.NETWORK,
    FaultSource.RECEIPT_PRINTER: FaultKind.SYSTEM,
    FaultSource.NOTICE_PRINTER: FaultKind.SYSTEM,
    FaultSource.MODEM: FaultKind.SYSTEM,
    FaultSource.HARDWARE: FaultKind.SYSTEM,
}
SYSTEM_III_MAX_S = 20 * 60  # 20 分钟内解决
SYSTEM_II_MAX_S = 60 * 60  # 1 小时内解决
AUTO_STAFF = "系统"  # who opens and closes automatic entries
TITLE_MAX = 100


def system_level(seconds: float) -> str:
    """HN-4 6.3.1.2: III within 20 minutes, II within one hour, I beyond."""
    if seconds <= SYSTEM_III_MAX_S:
        return "III"
    if seconds <= SYSTEM_II_MAX_S:
        return "II"
    return "I"


def fault_level(
    kind: FaultKind, scope: NetworkScope | None, opened: datetime, until: datetime
) -> str:
    """The level of a fault open from ``opened`` until ``until`` (its end, or now)."""
    if kind is FaultKind.NETWORK:
        return SCOPE_LEVELS[scope or NetworkScope.INTERNET]
    return system_level(max(0.0, (until - opened).total_seconds()))


def duration_text(seconds: float) -> str:
    """``45 分钟``, ``2 小时 5 分钟``, ``不足 1 分钟``."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "不足 1 分钟"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} 分钟"
    return f"{hours} 小时" + (f" {rest} 分钟" if rest else "")


def fault_number(day: str, seq: int) -> str:
    """GZ-20261123-001: the station day and the day's sequence."""
    return f"GZ-{day.replace('-', '')}-{seq:03d}"


def clean_title(title: str) -> str:
    text = " ".join(title.split())
    if not text:
        raise Invalid("请填写故障现象（例如：窗口电脑无法上网）", "empty_title")
    return text[:TITLE_MAX]


def check_scope(kind: FaultKind, scope: NetworkScope | None) -> NetworkScope | None:
    """A network fault needs its scope (it sets the level); a system fault has none."""
    if kind is FaultKind.NETWORK and scope is None:
        raise Invalid(
            "网络故障请选择影响范围：内网无法访问（I级）、部分窗口无法办件（II级）、"
            "互联网无法访问（III级）",
            "scope_required",
        )
    return scope if kind is FaultKind.NETWORK else None


def clean_action(text: str) -> str:
    body = text.strip()
    if not body:
        raise Invalid("请填写处理措施或被通知的人员", "empty_action")
    return body


def check_closable(status: FaultStatus, number: str, steps: int) -> None:
    """A fault closes once, and only with at least one handling step (HN-4 6.3.2)."""
    if status is FaultStatus.CLOSED:
        raise Conflict(f"故障 {number} 已处理完毕，不能重复关闭", "fault_closed")
    if steps == 0:
        raise Invalid(
            f"故障 {number} 还没有处理记录，请先登记处理措施（按 a 添加）再关闭",
            "no_handling_record",
        )


def check_open(status: FaultStatus, number: str) -> None:
    if status is FaultStatus.CLOSED:
        raise Conflict(f"故障 {number} 已处理完毕，不能再添加记录", "fault_closed")


# ---- emergencies (应急处置, R-I2) ----------------------------------------------------------
class EmergencyKind(StrEnum):
    POWER = "power"  # 突发停电
    FIRE = "fire"  # 火灾
    ILLNESS = "illness"  # 突发疾病
    DISORDER = "disorder"  # 秩序混乱
    LIFT = "lift"  # 电梯故障


@dataclass(frozen=True)
class Procedure:
    """One emergency checklist: its title, its source clauses and its short steps."""

    kind: EmergencyKind
    key: str  # the key that opens it on the staff terminal
    title: str
    source: str
    steps: tuple[str, ...]


PROCEDURES: tuple[Procedure, ...] = (
    Procedure(
        EmergencyKind.POWER,
        "1",
        "突发停电",
        "XC 附录H.5；HN-4 6.5.2",
        (
            "关闭用电设备，防止来电瞬间损坏设备",
            "通知物业，报告上级主管和中心负责人；有备用电源立即启用",
            "检查电梯内有无被困人员",
            "向群众解释；必要时按应急灯、诱导灯引导从安全通道撤离",
            "当天无法恢复的：张贴公告，登记未办成业务的群众，下次预约优先办理",
            "来电后检查各设备、系统运行正常",
        ),
    ),
    Procedure(
        EmergencyKind.FIRE,
        "2",
        "火灾",
        "XC 附录H.7；HN-4 6.4",
        (
            "通知物业并呼救；火势小时用最近的灭火器扑救",
            "火势大时拨打 119，报告上级主管和中心负责人",
            "切断总电源、气源，搬离易燃物品",
            "通过安全出口疏散办事群众",
            "火灭后保护现场，配合调查",
        ),
    ),
    Procedure(
        EmergencyKind.ILLNESS,
        "3",
        "群众突发疾病",
        "XC 附录H.3；HN-4 6.1.5",
        (
            "立即查看情况，招呼身边人员帮忙，将其安置在合适的地方",
            "疏散围观群众",
            "需要时使用医药箱、除颤器（AED）",
            "情况严重时拨打 120",
            "通知病人家属，报告中心负责人",
        ),
    ),
    Procedure(
        EmergencyKind.DISORDER,
        "4",
        "秩序混乱",
        "XC 附录H.4；HN-4 6.1",
        (
            "立即通知物业保安",
            "报告上级主管和中心负责人",
            "注意自我防范，不围观、不争论，劝导冷静等候",
            "当事人不听劝告、干扰秩序的，由保安带离",
            "拒不离开或有过激行为的，拨打 110，配合公安处理",
        ),
    ),
    Procedure(
        EmergencyKind.LIFT,
        "5",
        "电梯故障",
        "XC 附录H.6；HN-4 6.5.2 b)",
        (
            "按电梯呼叫键，通知物业",
            "在电梯口放置电梯故障提示牌",
            "安抚梯内群众：不要惊慌，按亮每层按钮，靠墙屈膝，严禁扒门攀爬",
            "扶梯故障或有人受伤：按下紧急暂停键",
            "报告中心负责人，维修完毕后确认恢复",
        ),
    ),
)
PROCEDURE_BY_KIND = {p.kind: p for p in PROCEDURES}


def procedure(kind: EmergencyKind) -> Procedure:
    return PROCEDURE_BY_KIND[kind]


def check_step(kind: EmergencyKind, step: int) -> str:
    """The text of step ``step`` (1-based) of the checklist; Invalid when there is none."""
    steps = PROCEDURE_BY_KIND[kind].steps
    if not 1 <= step <= len(steps):
        raise Invalid(f"“{PROCEDURE_BY_KIND[kind].title}”只有 {len(steps)} 步", "bad_step")
    return steps[step - 1]


def emergency_number(day: str, seq: int) -> str:
    """YJ-20261123-001."""
    return f"YJ-{day.replace('-', '')}-{seq:03d}"
