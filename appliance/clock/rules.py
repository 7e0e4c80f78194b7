"""Pure rules of the clock check: the earliest trustworthy time and reading a typed time.

A Raspberry Pi has no battery clock: after a power cut it boots at the time fake-hwclock saved
(or 1970), until NTP or a person corrects it. Events are ordered by ``seq``, never by time,
but a ticket's business day, a deadline and the county's figures read the time, so the
server refuses a time it can prove wrong: earlier than the day this version was built, or
earlier than the newest event it already wrote (less a small tolerance).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

BUILD_DATE = date(2026, 11, 22)
"""This version was built on or after this day; a clock before it is certainly wrong."""

TOLERANCE = timedelta(minutes=2)
"""How far the clock may lag the newest event (a small correction by NTP is no fault)."""


@dataclass(frozen=True)
class ClockVerdict:
    ok: bool
    reason: str
    earliest: datetime


def earliest_time(build_date: date, tz: ZoneInfo, last_event_at: datetime | None) -> datetime:
    """The first instant the station accepts as now (UTC)."""
    floor = datetime.combine(build_date, datetime.min.time(), tz).astimezone(UTC)
    if last_event_at is not None:
        floor = max(floor, last_event_at.astimezone(UTC) - TOLERANCE)
    return floor


def clock_verdict(
    now: datetime, build_date: date, tz: ZoneInfo, last_event_at: datetime | None
) -> ClockVerdict:
    """OK, or why not, in words a clerk can act on."""
    earliest = earliest_time(build_date, tz, last_event_at)
    local = now.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if now.astimezone(tz).date() < build_date:
        why = f"系统时间 {local} 早于本软件的发布日期 {build_date.isoformat()}，时间肯定不对"
        return ClockVerdict(False, why, earliest)
    if now < earliest:
        last = earliest.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        why = f"系统时间 {local} 早于最近一条记录的时间（约 {last}），可能是断电后时钟回退"
        return ClockVerdict(False, why, earliest)
    return ClockVerdict(True, "", earliest)


def parse_local_time(text: str, tz: ZoneInfo) -> datetime:
    """``2026-12-03 09:30`` (or ``…:15``, or with ``T``) in the station's zone → aware UTC."""
    raw = text.strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            naive = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        return naive.replace(tzinfo=tz).astimezone(UTC)
    raise ValueError(f"时间“{text}”看不懂，请按 2026-12-03 09:30 的格式填写")


def county_skew(local_now: datetime, county_now: datetime) -> float:
    """Seconds the county's clock is ahead of ours (negative: we are ahead)."""
    return (county_now - local_now).total_seconds()
