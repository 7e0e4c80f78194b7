"""Appointment rules (预约, R-Q7; 停电断网补约, R-Q8): channels, states, slots, check-in.

Slots (预约时段) cut the opening hours of every working day into ``slot_minutes`` pieces;
each category takes ``capacity`` bookings per slot. A booking is checked in (签到) from
``early`` minutes before its slot until ``grace`` minutes after it ends; after that the
slot is forfeited (过时作废) and a check-in is refused. One phone holding several bookings
on the same day is flagged (一人多约) and left out of the on-time figures.

Pure: no storage, HTTP or I/O; times are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from appliance.calendar.rules import WorkingCalendar
from appliance.core.errors import Conflict, Invalid

PHONE_RE = re.compile(r"^1\d{10}$")
MAX_DAYS_AHEAD = 90
NEXT_OPEN_DAY_LIMIT = 60


class Channel(StrEnum):
    ONSITE = "onsite"  # 现场: booked at the counter
    PHONE = "phone"  # 电话: booked by staff on the phone
    ONLINE = "online"  # 网上: the station's booking page
    COUNTY = "county"  # 网上: the county platform, arriving with the down-sync
    OUTAGE = "outage"  # 停电断网补约 (R-Q8): offered by the outage register


CHANNEL_LABELS = {
    Channel.ONSITE: "现场",
    Channel.PHONE: "电话",
    Channel.ONLINE: "网上（本站预约页）",
    Channel.COUNTY: "网上（县级平台）",
    Channel.OUTAGE: "停电断网补约",
}
STAFF_CHANNELS = (Channel.ONSITE, Channel.PHONE)


class Status(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    FORFEITED = "forfeited"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    Status.BOOKED: "已预约",
    Status.CHECKED_IN: "已签到",
    Status.FORFEITED: "过时作废",
    Status.CANCELLED: "已取消",
}
HELD = (Status.BOOKED, Status.CHECKED_IN)  # what fills a slot


class NoticeBy(StrEnum):
    """How the visitor gets the item's 一次性告知单 at booking."""

    PRINT = "print"  # printed at the station
    SMS = "sms"  # the material list by SMS
    NONE = "none"


class OutageKind(StrEnum):
    POWER = "power"
    NETWORK = "network"


OUTAGE_LABELS = {OutageKind.POWER: "停电", OutageKind.NETWORK: "断网"}


@dataclass(frozen=True)
class SlotTimes:
    start: time
    end: time

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def day_slots(open_at: time, close_at: time, minutes: int) -> list[SlotTimes]:
    """The slots of one day: whole ``minutes`` pieces from opening to closing."""
    if minutes < 5:
        raise ValueError("slot_minutes must be at least 5")
    out: list[SlotTimes] = []
    start = datetime.combine(date(2000, 1, 1), open_at)
    close = datetime.combine(date(2000, 1, 1), close_at)
    while start + timedelta(minutes=minutes) <= close:
        end = start + timedelta(minutes=minutes)
        out.append(SlotTimes(start.time(), end.time()))
        start = end
    return out


def find_slot(slots: list[SlotTimes], at: str) -> SlotTimes:
    """The slot starting at ``HH:MM``, or ``Invalid`` listing the slots."""
    for slot in slots:
        if f"{slot.start:%H:%M}" == at.strip():
            return slot
    starts = "、".join(f"{s.start:%H:%M}" for s in slots[:12])
    raise Invalid(f"预约时段“{at}”不存在，可选时段开始时间：{starts}…", "bad_slot")


def check_day(day: date, today: date, cal: WorkingCalendar, days_ahead: int) -> None:
    """A bookable day: today or later, within ``days_ahead`` days, a working day."""
    if day < today:
        raise Invalid(f"{day.isoformat()} 已经过去，请选择今天或以后的日期", "past_day")
    if (day - today).days > days_ahead:
        raise Invalid(f"最多可预约 {days_ahead} 天以内的日期", "too_far")
    if not cal.is_workday(day):
        raise Invalid(f"{day.isoformat()} 不是工作日，服务站不办公，请另选日期", "closed_day")


def check_phone(phone: str) -> str:
    phone = phone.strip().replace(" ", "").replace("-", "")
    if not PHONE_RE.match(phone):
        raise Invalid("手机号码格式不正确，应为 11 位数字，以 1 开头", "bad_phone")
    return phone


def capacity_for(prefix: str, default: int, overrides: str) -> int:
    """Bookings per slot of a category: ``overrides`` like ``A=3,B=1`` beats ``default``."""
    for part in overrides.replace("，", ",").split(","):
        key, sep, value = part.partition("=")
        if sep and key.strip().upper() == prefix.upper():
            try:
                return max(0, int(value.strip()))
            except ValueError:
                return default
    return default


def check_capacity(taken: int, capacity: int, category: str, day: date, slot: SlotTimes) -> None:
    if taken >= capacity:
        raise Conflict(
            f"{day.isoformat()} {slot.label} 的“{category}”预约已满（每时段 {capacity} 个），"
            "请选择其他时段",
            "slot_full",
        )


def checkin_refusal(
    status: Status,
    number: str,
    now: datetime,
    start: datetime,
    end: datetime,
    early: int,
    grace: int,
) -> Conflict | None:
    """Why a check-in is refused now, or None when it may go ahead."""
    if status is Status.FORFEITED:
        return Conflict(
            f"预约 {number} 已过时作废（未在预约时段内签到），不能签到，请重新取号或预约",
            "forfeited",
        )
    if status is Status.CANCELLED:
        return Conflict(f"预约 {number} 已取消，不能签到", "cancelled")
    if status is Status.CHECKED_IN:
        return Conflict(f"预约 {number} 已签到，请勿重复签到", "checked_in")
    if now < start - timedelta(minutes=early):
        opens = start - timedelta(minutes=early)
        return Conflict(
            f"预约 {number} 尚未到签到时间，请于 {opens:%m-%d %H:%M} 以后签到", "too_early"
        )
    if now > end + timedelta(minutes=grace):
        return Conflict(
            f"预约 {number} 已过预约时段，视为放弃，不能签到，请重新取号或预约", "forfeited"
        )
    return None


def missed(now: datetime, end: datetime, grace: int) -> bool:
    """The slot is over (with its grace): a booking still unchecked is forfeited."""
    return now > end + timedelta(minutes=grace)


def multi_days(held: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """(phone, day) pairs holding more than one booking (一人多约)."""
    seen: dict[tuple[str, str], int] = {}
    for key in held:
        seen[key] = seen.get(key, 0) + 1
    return {k for k, n in seen.items() if n > 1}


def next_open_day(cal: WorkingCalendar, after: date) -> date:
    """The first working day after ``after`` (补约 of the outage register, R-Q8)."""
    day = after
    for _ in range(NEXT_OPEN_DAY_LIMIT):
        day += timedelta(days=1)
        if cal.is_workday(day):
            return day
    raise Invalid("未来 60 天内没有工作日，请检查工作日历", "no_open_day")


def clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Invalid("请填写原因（将以短信告知预约人）", "no_reason")
    return reason


@dataclass(frozen=True)
class OnTime:
    """准时率 of a day's appointments, leaving flagged (一人多约) ones out."""

    counted: int
    on_time: int
    missed: int
    excluded: int

    @property
    def rate(self) -> float | None:
        return None if not self.counted else round(self.on_time / self.counted, 4)


def on_time(rows: Iterable[tuple[Status, bool]]) -> OnTime:
    """``rows``: (status, flagged) of the day's appointments whose slot is decided."""
    counted = ok = lost = excluded = 0
    for status, flagged in rows:
        if status not in (Status.CHECKED_IN, Status.FORFEITED):
            continue
        if flagged:
            excluded += 1
            continue
        counted += 1
        ok += status is Status.CHECKED_IN
        lost += status is Status.FORFEITED
    return OnTime(counted, ok, lost, excluded)
