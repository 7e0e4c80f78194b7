"""Estimated wait (预计等候时间, R-Q2) and closing-time prediction (R-Q5)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def average_service_minutes(
    recent_minutes: Sequence[float], prior_minutes: float, min_samples: int
) -> float:
    """Mean of recent service times once there are enough, else the configured prior.

    The extremes are trimmed (one at each end from 10 samples on) so a forgotten
    open service does not distort the estimate.
    """
    samples = sorted(m for m in recent_minutes if m >= 0)
    if len(samples) < max(1, min_samples):
        return prior_minutes
    if len(samples) >= 10:
        samples = samples[1:-1]
    return sum(samples) / len(samples)


def estimate_wait_minutes(people_ahead: int, avg_service_minutes: float, open_windows: int) -> int:
    if people_ahead <= 0:
        return 0
    return math.ceil(people_ahead * avg_service_minutes / max(1, open_windows))


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class BusinessDay:
    """The station's local business day (numbering resets each day)."""

    tz: ZoneInfo
    open_time: time
    close_time: time

    def local_date(self, now: datetime) -> date:
        return now.astimezone(self.tz).date()

    def closing_at(self, now: datetime) -> datetime:
        return datetime.combine(self.local_date(now), self.close_time, tzinfo=self.tz)

    def closing_warning(self, now: datetime, wait_minutes: int) -> str | None:
        """A Chinese warning when the ticket likely cannot be served before closing."""
        closing = self.closing_at(now)
        expected = now + timedelta(minutes=wait_minutes)
        if now >= closing:
            return "已过今日办公时间，工作人员将尽量为您延时办理，也可明日再来"
        if expected > closing:
            return (
                f"预计等候约 {wait_minutes} 分钟，可能超过今日下班时间"
                f"（{self.close_time.strftime('%H:%M')}），今日可能无法办理"
            )
        return None

    def overtime_minutes(self, started: datetime, finished: datetime) -> int:
        """Minutes of a service spent after closing time (延时服务, R-Q5)."""
        closing = self.closing_at(finished)
        if finished <= closing:
            return 0
        begin = max(started, closing)
        return math.ceil((finished - begin).total_seconds() / 60)
