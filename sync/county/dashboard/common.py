"""Small shared helpers: Beijing-time formatting and the dashboard's URL prefix."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

PREFIX = "/dashboard"
BEIJING = timezone(timedelta(hours=8), "CST")


def fmt_time(value: datetime | None, empty: str = "—") -> str:
    """A timestamp as Beijing wall time, to the minute."""
    if value is None:
        return empty
    return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def local_date(value: datetime) -> str:
    return value.astimezone(BEIJING).strftime("%Y-%m-%d")


def ago(now: datetime, value: datetime | None) -> str:
    """ "3 分钟前" style age, or 从未 when there is none."""
    if value is None:
        return "从未"
    seconds = int((now - value).total_seconds())
    if seconds < 60:
        return "刚刚"
    if seconds < 3600:
        return f"{seconds // 60} 分钟前"
    if seconds < 86400:
        return f"{seconds // 3600} 小时前"
    return f"{seconds // 86400} 天前"
