"""The clock guard (时钟检查): judge the system clock, and set it from staff or the county.

The server checks the clock before it serves (``yizhan serve``, :mod:`appliance.clock.gate`).
A wrong clock is set in one of two ways, both recorded as a ``clock.set`` event written
*after* the change, so the event carries the corrected time:

- the station head types the time on the staff terminal (code and PIN; failures are
  limited like any PIN guess);
- the sync agent takes the county's time from its reply to a batch
  (:meth:`ClockGuard.adopt_county_time`).

Setting the system clock needs CAP_SYS_TIME (``clock_settime``) or a command named by the
``clock_set_command`` setting (e.g. a sudo rule for ``date -u -s``).
"""

from __future__ import annotations

import shlex
import subprocess
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlmodel import select

from appliance.clock.rules import BUILD_DATE, ClockVerdict, clock_verdict, parse_local_time
from appliance.clock.schemas import ClockStatus
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid, NotAllowed
from appliance.core.rate_limit import FailureLimit, FailureLimiter, TooManyAttempts
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.events.tables import Event
from appliance.settings import Settings
from appliance.staff.tables import Staff

HEAD_ROLE = "manager"  # 站长
MAX_AHEAD = timedelta(days=3 * 366)
"""A typed time this far past the newest record is a typing error, not a long holiday."""
SET_LIMIT = FailureLimit(max_failures=5, window=timedelta(minutes=10))


class ClockSetFailed(Exception):
    """The system clock could not be set; ``args[0]`` is Chinese."""


class TimeSetter(Protocol):
    def set(self, at: datetime) -> None:
        """Set the system clock to ``at`` (aware); raise :class:`ClockSetFailed`."""
        ...


class SystemTimeSetter:
    """``clock_settime(CLOCK_REALTIME)`` (needs CAP_SYS_TIME), or ``command`` + the UTC time."""

    def __init__(self, command: str = "") -> None:
        self.command = shlex.split(command)

    def set(self, at: datetime) -> None:
        utc = at.astimezone(UTC)
        try:
            if self.command:
                stamp = utc.strftime("%Y-%m-%d %H:%M:%S")
                subprocess.run([*self.command, stamp], check=True, timeout=15, capture_output=True)
            else:
                time.clock_settime(time.CLOCK_REALTIME, utc.timestamp())
        except PermissionError as exc:
            raise ClockSetFailed(
                "本程序没有校准系统时间的权限（需要 CAP_SYS_TIME），请联系县级技术支持"
            ) from exc
        except (OSError, subprocess.SubprocessError) as exc:
            raise ClockSetFailed(f"校准系统时间失败：{exc}") from exc


class _Monotonic:
    """A clock for the PIN limiter that the wall-clock change itself cannot move."""

    def now(self) -> datetime:
        return datetime.fromtimestamp(time.monotonic(), UTC)


_HASHER = PasswordHasher()


def _pin_ok(pin_hash: str | None, pin: str) -> bool:
    try:
        return pin_hash is not None and _HASHER.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


class ClockGuard:
    def __init__(
        self, db: Database | None, settings: Settings, clock: Clock, setter: TimeSetter
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.setter = setter
        self.tz = ZoneInfo(settings.timezone)
        self.build_date = (
            datetime.strptime(settings.build_date, "%Y-%m-%d").date()
            if settings.build_date
            else BUILD_DATE
        )
        self.limiter = FailureLimiter(SET_LIMIT, _Monotonic())

    def last_event_at(self) -> datetime | None:
        if self.db is None:
            return None
        try:
            with self.db.read() as s:
                value = s.exec(select(func.max(Event.occurred_at))).one()
        except Exception:  # no event table yet (a database not migrated): nothing to compare
            return None
        return value if isinstance(value, datetime) else None

    def verdict(self) -> ClockVerdict:
        return clock_verdict(self.clock.now(), self.build_date, self.tz, self.last_event_at())

    def status(self) -> ClockStatus:
        now = self.clock.now()
        last = self.last_event_at()
        v = clock_verdict(now, self.build_date, self.tz, last)
        return ClockStatus(
            ok=v.ok,
            now=now,
            local_now=now.astimezone(self.tz).strftime("%Y-%m-%d %H:%M:%S"),
            reason=v.reason,
            earliest=v.earliest,
            build_date=self.build_date.isoformat(),
            last_event_at=last,
        )

    # ---- by hand: the station head (站长) ---------------------------------------------------
    def set_by_staff(self, code: str, pin: str, local_time: str) -> ClockStatus:
        """校准时间 typed by the station head; refused with a Chinese reason before any change."""
        wait = self.limiter.blocked_for("clock")
        if wait is not None:
            raise TooManyAttempts("密码错误次数过多，请稍后再试", wait)
        staff = self._staff(code)
        if staff is None or not _pin_ok(staff.pin_hash, pin):
            self.limiter.record_failure("clock")
            raise NotAllowed("工号或密码不对，或该工号不是站长：只有站长可以校准时间", "not_head")
        try:
            at = parse_local_time(local_time, self.tz)
        except ValueError as exc:
            raise Invalid(str(exc), "bad_time") from exc
        self._check_plausible(at)
        self._set(at, {"source": "staff", "staff_code": staff.code})
        return self.status()

    def _staff(self, code: str) -> Staff | None:
        if self.db is None:
            return None
        with self.db.read() as s:
            row = s.exec(select(Staff).where(Staff.code == code)).first()
        return row if row is not None and row.active and row.role == HEAD_ROLE else None

    def _check_plausible(self, at: datetime) -> None:
        v = clock_verdict(at, self.build_date, self.tz, self.last_event_at())
        if not v.ok:
            raise Invalid(f"填写的时间不对：{v.reason.removeprefix('系统时间 ')}", "time_too_early")
        if at > v.earliest + MAX_AHEAD:
            raise Invalid("填写的时间比最近一条记录晚了好几年，请核对年份", "time_too_late")

    def _set(self, at: datetime, payload: dict[str, object]) -> None:
        before = self.clock.now()
        try:
            self.setter.set(at)
        except ClockSetFailed as exc:
            raise Conflict(str(exc), "clock_not_set") from exc
        if self.db is None:
            return
        now = self.clock.now()
        with self.db.write() as s:
            body = {**payload, "before": before.isoformat(), "after": now.isoformat()}
            append_event(s, "clock.set", "station", self.settings.station_code, body, now)

    # ---- from the county's reply (sync agent) --------------------------------------------
    def adopt_county_time(self, county_now: datetime) -> float | None:
        """Move our clock forward to the county's when it lags by more than
        ``clock_county_max_skew_s`` (0 = never) and the county's time is itself plausible.

        Only forward: a clock without an RTC falls behind (it boots at the last saved
        time), and a county clock that is behind ours is more likely wrong than ours; that
        case is left to staff and logged by the agent. Returns the correction in seconds,
        or None when nothing was changed."""
        limit = self.settings.clock_county_max_skew_s
        skew = (county_now - self.clock.now()).total_seconds()
        if limit <= 0 or skew <= limit:
            return None
        try:
            self._check_plausible(county_now)
        except Invalid:
            return None  # a county clock behind our own records is not taken
        try:
            self._set(county_now, {"source": "county", "skew_s": round(skew, 1)})
        except Conflict:
            return None
        return skew


__all__ = ["ClockGuard", "ClockSetFailed", "SystemTimeSetter", "TimeSetter"]
