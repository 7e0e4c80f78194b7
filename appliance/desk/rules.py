""" "办不成事" desk (办不成事反映, R-P1): the four kinds of entry, deadlines, overdue, closing.

Pure rules: no storage, no HTTP; the caller hands in the working calendar and today.

XC "办不成事"反映服务 and HN-3 6.14: every problem brought to the desk is registered
(登记表). Then, by its kind:

* ``simple`` (情形较为简单): settled or answered on the spot; the entry closes at once with
  what was done.
* ``complex`` (情况较复杂): settled or answered within 5 working days (station calendar);
  past that day it is overdue (逾期未办结) until its result is recorded.
* ``outside`` (不属于本级事权): the visitor is told where to go (向有权机关反映); the entry
  closes at once with that referral.
* ``transfer`` (属于本级事权): passed the same day (当日转办) to a named handler, and the
  visitor is told who (处置部门及人员), by SMS or on a printed slip; the entry stays open
  and is followed (一帮到底) until the handler's result is recorded.

An entry cannot close without its result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from appliance.calendar.rules import Deadline, WorkingCalendar
from appliance.core.errors import Conflict, Invalid

COMPLEX_WORKING_DAYS = 5  # XC: 情况较复杂的事项，应当在5个工作日内办结或反馈
SMS_KIND = "desk_transferred"  # the SMS template that tells the visitor the handler
ALERT_KIND = "desk_overdue"


class DeskKind(StrEnum):
    SIMPLE = "simple"  # 当场办理
    COMPLEX = "complex"  # 5 个工作日内办结
    OUTSIDE = "outside"  # 非本级事权，告知去向
    TRANSFER = "transfer"  # 本级事权，当日转办


KIND_LABELS = {
    DeskKind.SIMPLE: "简单事项（当场办理）",
    DeskKind.COMPLEX: "复杂事项（5个工作日内办结）",
    DeskKind.OUTSIDE: "非本级事权（告知去向）",
    DeskKind.TRANSFER: "本级事权（当日转办）",
}
KIND_SHORT = {
    DeskKind.SIMPLE: "当场办理",
    DeskKind.COMPLEX: "限期办结",
    DeskKind.OUTSIDE: "告知去向",
    DeskKind.TRANSFER: "转办",
}


class ProblemType(StrEnum):
    """What went wrong for the visitor (XC: 办事难、来回跑、体验差、无人受理 …)."""

    HARD = "hard"  # 办事难
    RUNAROUND = "runaround"  # 来回跑
    EXPERIENCE = "experience"  # 体验差
    UNATTENDED = "unattended"  # 无人受理
    RESULT = "result"  # 对审批结果、反馈意见仍有疑问
    OTHER = "other"


PROBLEM_LABELS = {
    ProblemType.HARD: "办事难",
    ProblemType.RUNAROUND: "来回跑",
    ProblemType.EXPERIENCE: "体验差",
    ProblemType.UNATTENDED: "无人受理",
    ProblemType.RESULT: "对办理结果有疑问",
    ProblemType.OTHER: "其他",
}


class NotifyBy(StrEnum):
    """How the visitor is told who handles a transferred matter."""

    SMS = "sms"
    PAPER = "paper"


NOTIFY_LABELS = {NotifyBy.SMS: "短信", NotifyBy.PAPER: "书面告知单"}


class DeskStatus(StrEnum):
    OPEN = "open"  # 办理中 / 转办跟踪中
    CLOSED = "closed"  # 已办结


class DeskStep(StrEnum):
    """What one line of an entry's record says (who, when, the text)."""

    REGISTER = "register"
    RESOLVE = "resolve"  # 当场办理或答复
    REFER = "refer"  # 告知向有权机关反映
    TRANSFER = "transfer"  # 当日转办
    NOTIFY = "notify"  # 告知服务对象承办人（短信或告知单）
    NOTE = "note"  # 跟踪记录
    CLOSE = "close"  # 办结或反馈


STEP_LABELS = {
    DeskStep.REGISTER: "登记",
    DeskStep.RESOLVE: "当场办理",
    DeskStep.REFER: "告知去向",
    DeskStep.TRANSFER: "转办",
    DeskStep.NOTIFY: "告知承办人",
    DeskStep.NOTE: "跟踪",
    DeskStep.CLOSE: "办结",
}


@dataclass(frozen=True)
class Registration:
    """What a new entry says, as plain values (checked by :func:`check_registration`)."""

    kind: DeskKind
    problem: str
    resolution: str = ""
    referral: str = ""
    handler_dept: str = ""
    handler_name: str = ""
    notify_by: NotifyBy | None = None
    visitor_phone: str = ""
    phone_is_mobile: bool = False


def _filled(value: str) -> bool:
    return bool(value.strip())


def check_registration(r: Registration) -> None:
    """Refuse (``Invalid``, in Chinese) an entry that misses what its kind needs, or carries
    what belongs to another kind."""
    if not _filled(r.problem):
        raise Invalid("请填写服务对象反映的问题", "problem_required")
    needs = {
        DeskKind.SIMPLE: ("resolution",),
        DeskKind.COMPLEX: (),
        DeskKind.OUTSIDE: ("referral",),
        DeskKind.TRANSFER: ("handler_dept", "handler_name"),
    }[r.kind]
    given = {
        "resolution": _filled(r.resolution),
        "referral": _filled(r.referral),
        "handler_dept": _filled(r.handler_dept),
        "handler_name": _filled(r.handler_name),
    }
    missing = {
        "resolution": ("当场办理的事项须填写办理或答复情况", "resolution_required"),
        "referral": ("不属于本级事权的，须告知服务对象向哪个机关反映（去向）", "referral_required"),
        "handler_dept": ("转办须填写承办部门（有权处置的部门或窗口）", "handler_required"),
        "handler_name": ("转办须写明承办人姓名，以便告知服务对象由谁处理", "handler_required"),
    }
    for name in needs:
        if not given[name]:
            raise Invalid(*missing[name])
    stray = [name for name, filled in given.items() if filled and name not in needs]
    if stray:
        labels = {
            "resolution": "办理情况",
            "referral": "去向",
            "handler_dept": "承办部门",
            "handler_name": "承办人",
        }
        raise Invalid(
            f"“{KIND_SHORT[r.kind]}”类登记不填{'、'.join(labels[n] for n in stray)}，"
            "请检查办理类型",
            "field_not_for_kind",
        )
    if r.kind is DeskKind.TRANSFER:
        if r.notify_by is None:
            raise Invalid("转办须告知服务对象承办人：请选择短信或书面告知单", "notify_required")
        check_sms(r.notify_by, r.phone_is_mobile)
    elif r.notify_by is not None:
        raise Invalid("只有转办的事项需要告知承办人", "field_not_for_kind")


def check_sms(by: NotifyBy, phone_is_mobile: bool) -> None:
    """An SMS needs the visitor's mobile number."""
    if by is NotifyBy.SMS and not phone_is_mobile:
        raise Invalid(
            "短信告知须填写服务对象的 11 位手机号码；没有手机的请选择书面告知单",
            "mobile_required",
        )


def check_notify(
    kind: DeskKind, status: DeskStatus, number: str, by: NotifyBy, phone_is_mobile: bool
) -> None:
    """Telling the visitor the handler again (another SMS, a slip) fits an open transfer."""
    if kind is not DeskKind.TRANSFER:
        raise Conflict(f"{number} 不是转办事项，没有承办人可告知", "not_transferred")
    if status is DeskStatus.CLOSED:
        raise Conflict(f"{number} 已办结，不需要再告知承办人", "already_closed")
    check_sms(by, phone_is_mobile)


def due_date(kind: DeskKind, today: date, cal: WorkingCalendar) -> Deadline | None:
    """The 办结期限 of a complex entry: the 5th working day after today."""
    if kind is DeskKind.COMPLEX:
        return cal.add_working_days(today, COMPLEX_WORKING_DAYS)
    return None


def closes_at_once(kind: DeskKind) -> bool:
    """Settled on the spot, or told where to go: the entry is closed when registered."""
    return kind in (DeskKind.SIMPLE, DeskKind.OUTSIDE)


def is_overdue(status: DeskStatus, due: date | None, today: date) -> bool:
    """逾期未办结: still open after its 办结期限."""
    return status is DeskStatus.OPEN and due is not None and today > due


def clean_result(text: str | None) -> str:
    """The result an entry closes with; refused when empty."""
    value = (text or "").strip()
    if not value:
        raise Invalid(
            "未填写办理结果，不能办结：请记录办结或反馈给服务对象的情况", "result_required"
        )
    return value


def clean_note(text: str | None) -> str:
    value = (text or "").strip()
    if not value:
        raise Invalid("请填写跟踪情况", "note_required")
    return value


def check_open(status: DeskStatus, number: str) -> None:
    if status is DeskStatus.CLOSED:
        raise Conflict(f"{number} 已办结，不能再记录", "already_closed")


def desk_number(day: date, seq: int) -> str:
    """BC-20261123-001: 办不成事 + the local day + the day's sequence."""
    return f"BC-{day.strftime('%Y%m%d')}-{seq:03d}"


def state_label(
    kind: DeskKind, status: DeskStatus, due: date | None, closed_on: date | None, today: date
) -> str:
    """How the register shows an entry: 当场办结, 已告知去向, 办理中, 转办跟踪中, 逾期未办结,
    已办结, 逾期办结."""
    if status is DeskStatus.OPEN:
        if is_overdue(status, due, today):
            return "逾期未办结"
        return "转办跟踪中" if kind is DeskKind.TRANSFER else "办理中"
    if kind is DeskKind.SIMPLE:
        return "当场办结"
    if kind is DeskKind.OUTSIDE:
        return "已告知去向"
    if due is not None and closed_on is not None and closed_on > due:
        return "逾期办结"
    return "已办结"
