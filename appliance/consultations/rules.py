"""咨询台账 (the consultation ledger, R-C2): channels, the promised reply date, overdue, closing.

Pure rules: no storage, no HTTP; the caller hands in the working calendar and today.

* A question answered on the spot is recorded closed. Otherwise the ledger keeps how to
  reach the visitor and the agreed reply date (HLJ 6.5.1: 记录咨询内容要点和服务对象基本信息、
  联系方式，并约定答复时间).
* A letter or e-mail is answered within 3 working days of receipt (HN-3 6.2.6): that is its
  default reply date and its latest; other channels need the date the clerk agreed with the
  visitor (a date, or a number of working days).
* An open entry is overdue (逾期未答复) from the day after its reply date.
* Recording the reply closes the entry; an entry cannot close without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from appliance.calendar.rules import WorkingCalendar
from appliance.core.errors import Conflict, Invalid

WRITTEN_REPLY_DAYS = 3  # HN-3 6.2.6: 收到信件后 3 个工作日内给予回复
MAX_REPLY_WORKING_DAYS = 30


class ConsultChannel(StrEnum):
    ONSITE = "onsite"  # 现场
    PHONE = "phone"  # 电话
    ONLINE = "online"  # 网上
    LETTER = "letter"  # 信函
    EMAIL = "email"  # 电子邮件


CHANNEL_LABELS = {
    ConsultChannel.ONSITE: "现场",
    ConsultChannel.PHONE: "电话",
    ConsultChannel.ONLINE: "网上",
    ConsultChannel.LETTER: "信函",
    ConsultChannel.EMAIL: "电子邮件",
}
WRITTEN = frozenset({ConsultChannel.LETTER, ConsultChannel.EMAIL})


class ConsultStatus(StrEnum):
    OPEN = "open"  # 待答复
    CLOSED = "closed"  # 已答复


STATUS_LABELS = {ConsultStatus.OPEN: "待答复", ConsultStatus.CLOSED: "已答复"}


def parse_channel(value: str) -> ConsultChannel:
    try:
        return ConsultChannel(value)
    except ValueError:
        names = "、".join(f"{c.value}（{label}）" for c, label in CHANNEL_LABELS.items())
        raise Invalid(f"未知的咨询方式“{value}”，可选：{names}", "bad_channel") from None


def clean_question(question: str) -> str:
    text = question.strip()
    if not text:
        raise Invalid("请填写咨询的问题（咨询内容要点）", "question_required")
    return text


def clean_answer(answer: str | None) -> str:
    """The reply; refused when empty: an entry cannot close without one."""
    text = (answer or "").strip()
    if not text:
        raise Invalid("未填写答复内容，咨询不能关闭：请先记录给服务对象的答复", "answer_required")
    return text


@dataclass(frozen=True)
class ReplyDue:
    """约定答复日期, and whether the calendar was complete for the days counted (暂定)."""

    day: date
    provisional: bool = False


def written_limit(asked_on: date, cal: WorkingCalendar) -> ReplyDue:
    """The latest reply date of a letter or e-mail: 3 working days after receipt."""
    deadline = cal.add_working_days(asked_on, WRITTEN_REPLY_DAYS)
    return ReplyDue(deadline.date, deadline.provisional)


def reply_due(
    channel: ConsultChannel,
    asked_on: date,
    cal: WorkingCalendar,
    requested: date | None = None,
    in_working_days: int | None = None,
) -> ReplyDue:
    """The agreed reply date of an entry not answered at once (``Invalid`` in Chinese)."""
    if requested is not None and in_working_days is not None:
        raise Invalid("约定答复日期和答复工作日数只能填一项", "due_twice")
    if in_working_days is not None:
        if not 1 <= in_working_days <= MAX_REPLY_WORKING_DAYS:
            raise Invalid(f"答复期限须为 1–{MAX_REPLY_WORKING_DAYS} 个工作日", "bad_reply_days")
        deadline = cal.add_working_days(asked_on, in_working_days)
        due = ReplyDue(deadline.date, deadline.provisional)
    elif requested is not None:
        if requested < asked_on:
            raise Invalid(
                f"约定答复日期 {requested.isoformat()} 早于咨询日期，请重新约定", "due_in_past"
            )
        if not cal.is_workday(requested):
            raise Invalid(
                f"约定答复日期 {requested.isoformat()} 不是工作日，请约定工作日答复",
                "due_not_workday",
            )
        latest = cal.add_working_days(asked_on, MAX_REPLY_WORKING_DAYS)
        if requested > latest.date:
            raise Invalid(
                f"约定答复日期最迟为 {MAX_REPLY_WORKING_DAYS} 个工作日后（{latest.date.isoformat()}）",
                "due_too_far",
            )
        due = ReplyDue(requested, not cal.is_covered(requested))
    elif channel in WRITTEN:
        return written_limit(asked_on, cal)
    else:
        raise Invalid("不能当场答复的咨询须约定答复日期（或填写几个工作日内答复）", "due_required")
    if channel in WRITTEN:
        limit = written_limit(asked_on, cal)
        if due.day > limit.day:
            raise Invalid(
                f"{CHANNEL_LABELS[channel]}咨询须在收到后 {WRITTEN_REPLY_DAYS} 个工作日内答复，"
                f"最迟 {limit.day.isoformat()}",
                "written_too_late",
            )
    return due


def is_overdue(status: ConsultStatus, due: date | None, today: date) -> bool:
    """逾期未答复: still open after its agreed reply date."""
    return status is ConsultStatus.OPEN and due is not None and today > due


def check_closable(status: ConsultStatus, number: str) -> None:
    if status is ConsultStatus.CLOSED:
        raise Conflict(f"咨询 {number} 已答复并关闭，不能重复答复", "already_closed")


def check_promotable(status: ConsultStatus, number: str, promoted: bool) -> None:
    """Only an answered entry goes into the knowledge base (R-C3), and only once."""
    if status is not ConsultStatus.CLOSED:
        raise Conflict(f"咨询 {number} 尚未答复，答复后才能加入知识库", "not_answered")
    if promoted:
        raise Conflict(f"咨询 {number} 已加入知识库", "already_promoted")


def consultation_number(day: date, seq: int) -> str:
    """ZX-20261123-001: 咨询 + the local day + the day's sequence."""
    return f"ZX-{day.strftime('%Y%m%d')}-{seq:03d}"


def ledger_state(
    status: ConsultStatus, due: date | None, answered_on: date | None, today: date
) -> str:
    """The entry's state as the ledger writes it: 当场答复, 已答复, 逾期答复, 待答复, 逾期未答复."""
    if status is ConsultStatus.OPEN:
        return "逾期未答复" if is_overdue(status, due, today) else "待答复"
    if due is None:
        return "当场答复"
    if answered_on is not None and answered_on > due:
        return "逾期答复"
    return "已答复"
