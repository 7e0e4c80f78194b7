"""What a rating is (好差评, R-E1, R-E2): five levels, four dimensions, the reasons a bad rating
names, the channels a rating may come from and the services that may be rated.

* Levels (XC 评价与改进): 非常满意 5, 满意 4, 基本满意 3, 不满意 2, 非常不满意 1; the bottom two
  are bad ratings (差评).
* Dimensions (HLJ 9.3): 服务态度, 服务质量, 服务效率, 服务环境, each optionally scored 1–5.
* A rating belongs to one finished service (``SubjectKind``): a ticket served at a window
  (一次一评), a finished case (一事一评), a completed delegation (帮代办).
  Each service is rated once; there is no rating before the service ends (事前评价, GD 5.9.3).
* Channels (``Source``, HLJ 9.4): the window keypad, the window tablet or kiosk page, the QR
  link on the receipt or a case notice, an SMS reply, and the paper comment box transcribed
  by staff (kept apart: never in the visitor's name). ``default`` marks a level recorded by
  the station for a service left unrated when rating closed (a setting, off by default).

Pure: stdlib only (and the kernel's errors).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from enum import StrEnum

from appliance.core.errors import Conflict, Invalid

LEVELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD_MAX = 2  # 不满意 and 非常不满意 are 差评
GOOD_MIN = 3  # 基本满意 and better count as 好评 (satisfied)
SATISFACTION_TARGET = 0.95  # HN-6 5: 服务对象满意度评价应达到95%以上


class Dimension(StrEnum):
    """评价维度 (HLJ 9.3)."""

    ATTITUDE = "attitude"
    QUALITY = "quality"
    EFFICIENCY = "efficiency"
    ENVIRONMENT = "environment"


DIMENSION_LABELS: dict[Dimension, str] = {
    Dimension.ATTITUDE: "服务态度",
    Dimension.QUALITY: "服务质量",
    Dimension.EFFICIENCY: "服务效率",
    Dimension.ENVIRONMENT: "服务环境",
}


class Reason(StrEnum):
    """What went wrong, as a bad rating chooses it (差评原因)."""

    ATTITUDE = "attitude"
    WAITING = "waiting"
    SLOW = "slow"
    UNCLEAR = "unclear"
    RUNS = "runs"
    ENVIRONMENT = "environment"
    OTHER = "other"


REASON_LABELS: dict[Reason, str] = {
    Reason.ATTITUDE: "服务态度不好",
    Reason.WAITING: "等候时间太长",
    Reason.SLOW: "办理效率低",
    Reason.UNCLEAR: "告知不清楚、没有一次性告知",
    Reason.RUNS: "让我多跑了路",
    Reason.ENVIRONMENT: "环境设施不方便",
    Reason.OTHER: "其他",
}


class SubjectKind(StrEnum):
    """The kind of service a rating belongs to."""

    TICKET = "ticket"  # 一次一评: a ticket served at a window
    CASE = "case"  # 一事一评: a finished case
    DELEGATION = "delegation"  # a completed 帮代办 delegation (rated by its link)


SUBJECT_LABELS: dict[SubjectKind, str] = {
    SubjectKind.TICKET: "窗口服务",
    SubjectKind.CASE: "办件",
    SubjectKind.DELEGATION: "代办服务",
}


class Source(StrEnum):
    """Where a rating came from (评价渠道)."""

    KEYPAD = "keypad"  # 评价器 at the window
    TABLET = "tablet"  # the window's tablet or the kiosk page
    QR = "qr"  # the one-time link of the receipt or a case notice
    SMS = "sms"  # a reply to the 邀请评价 SMS
    COMMENT_BOX = "comment_box"  # 意见箱, transcribed by staff
    DEFAULT = "default"  # recorded by the station when rating closed (a setting)


SOURCE_LABELS: dict[Source, str] = {
    Source.KEYPAD: "评价器",
    Source.TABLET: "评价平板",
    Source.QR: "扫码评价",
    Source.SMS: "短信评价",
    Source.COMMENT_BOX: "意见箱（工作人员录入）",
    Source.DEFAULT: "逾期默认",
}

# Channels where the visitor can be asked what went wrong (a bad rating must say, R-E1).
ASKING_SOURCES = frozenset({Source.TABLET, Source.QR})
# The visitor's own ratings (not transcribed, not defaulted).
VISITOR_SOURCES = frozenset({Source.KEYPAD, Source.TABLET, Source.QR, Source.SMS})

# Case states after which the case is a finished service (一事一评): delivered (已送达),
# refused (不予受理) and closed (已关闭, e.g. withdrawn).
FINISHED_CASE_STATES = frozenset({"delivered", "refused", "closed"})

REASON_TEXT_MAX = 300


def level_label(level: int) -> str:
    return LEVELS.get(level, str(level))


def is_bad(level: int) -> bool:
    return level <= BAD_MAX


def check_level(level: int) -> int:
    if level not in LEVELS:
        raise Invalid("评价等级须为 1–5（5 非常满意 … 1 非常不满意）", "bad_level")
    return level


def check_dimensions(scores: dict[str, int]) -> dict[str, int]:
    """Known dimensions only, each 1–5; in a fixed order."""
    out: dict[str, int] = {}
    for key, value in scores.items():
        try:
            dim = Dimension(key)
        except ValueError:
            names = "、".join(f"{d.value}（{label}）" for d, label in DIMENSION_LABELS.items())
            raise Invalid(f"未知评价维度“{key}”，可选：{names}", "bad_dimension") from None
        if value not in LEVELS:
            raise Invalid(f"{DIMENSION_LABELS[dim]}的评分须为 1–5", "bad_level")
        out[dim.value] = value
    return {d.value: out[d.value] for d in Dimension if d.value in out}


def check_reason(
    level: int, source: Source, reason: str | None, text: str
) -> tuple[Reason | None, str]:
    """The reason of a rating; a bad rating through a channel that can ask must give one."""
    text = text.strip()
    chosen: Reason | None = None
    if reason:
        try:
            chosen = Reason(reason)
        except ValueError:
            names = "、".join(f"{r.value}（{label}）" for r, label in REASON_LABELS.items())
            raise Invalid(f"未知的不满意原因“{reason}”，可选：{names}", "bad_reason") from None
    if len(text) > REASON_TEXT_MAX:
        raise Invalid(f"意见不能超过 {REASON_TEXT_MAX} 字", "reason_too_long")
    if is_bad(level) and source in ASKING_SOURCES and chosen is None and not text:
        raise Invalid("请选择或填写不满意的原因，以便我们改进", "reason_required")
    return chosen, text


def check_rateable(
    *,
    finished_at: datetime | None,
    already_rated: bool,
    now: datetime,
    open_days: int,
    source: Source,
    what: str,
) -> None:
    """The service may be rated now through ``source``, else a Chinese refusal (R-E2).

    Not before it ends (事前评价); once only; within ``open_days`` of its end (the comment
    box is transcribed whenever the box is opened, so it is not held to that time).
    """
    if finished_at is None:
        raise Conflict(f"{what}尚未办结，办理结束后才能评价（不能事前评价）", "not_finished")
    if already_rated:
        raise Conflict(f"{what}已经评价过了，每次服务只能评价一次", "already_rated")
    if source is not Source.COMMENT_BOX and now > rating_closes_at(finished_at, open_days):
        raise Conflict(
            f"{what}已超过评价期限（办结后 {open_days} 天内可以评价），不能再评价", "rating_closed"
        )


def rating_closes_at(finished_at: datetime, open_days: int) -> datetime:
    """When a finished service is closed for rating."""
    return finished_at + timedelta(days=open_days)


# ---- SMS replies ------------------------------------------------------------------------------
_REPLY = re.compile(r"^\s*([1-5])(?![0-9])\s*(.*)$", re.S)
_CASE_NUMBER = re.compile(r"[A-Z0-9]{2,16}-\d{8}-\d{4,6}")


def parse_sms_reply(body: str) -> tuple[int, str, str | None] | None:
    """A reply to the 邀请评价 SMS: ``(level, the rest as text, a case number named in it)``.

    The reply starts with one digit 1–5 (full-width digits too): ``5``, ``１``, ``2 等太久``.
    Anything else (``12``, ``好``, an empty text) is not a rating: None.
    """
    text = unicodedata.normalize("NFKC", body or "").strip()
    m = _REPLY.match(text)
    if m is None:
        return None
    rest = m.group(2).strip()
    named = _CASE_NUMBER.search(rest.upper())
    if named is not None:
        rest = (rest[: named.start()] + rest[named.end() :]).strip()
    return int(m.group(1)), rest[:REASON_TEXT_MAX], named.group(0) if named else None


def phone_key(phone: str) -> str:
    """A phone number as digits without the country code (+86 138… and 138… are one)."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", phone or "") if ch.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits
