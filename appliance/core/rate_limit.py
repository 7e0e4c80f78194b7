"""Failed-attempt limits against guessing (防猜测限流, R-K7).

``FailureLimiter`` counts *failed* attempts per key (a client address, a case number)
in a sliding window: after ``max_failures`` failures within ``window`` the key is blocked
until the oldest of them leaves the window. Successes are never recorded, so they cost
nothing. Time comes only from the injected clock, so tests move it by hand.

State is in memory (the station server is one process) and bounded: each key keeps at
most ``max_failures`` instants, and at most ``max_keys`` keys are kept. Keys are ordered
by their last failure, so expired keys are dropped from the front in O(1) each; when the
table is still full the key idle longest is forgotten.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from appliance.core.clock import Clock
from appliance.core.errors import DomainError

DEFAULT_MAX_KEYS = 10_000


class TooManyAttempts(DomainError):
    """尝试次数过多: refused until ``retry_after`` has passed (HTTP 429)."""

    status = 429

    def __init__(
        self, message: str, retry_after: timedelta, code: str = "too_many_attempts"
    ) -> None:
        super().__init__(message, code)
        self.retry_after = retry_after

    @property
    def retry_after_seconds(self) -> int:
        """Whole seconds for a ``Retry-After`` header (rounded up, at least 1)."""
        micro = self.retry_after // timedelta(microseconds=1)
        return max(1, -(-micro // 1_000_000))


@dataclass(frozen=True)
class FailureLimit:
    """At most ``max_failures`` failed attempts per key within ``window``."""

    max_failures: int
    window: timedelta

    def __post_init__(self) -> None:
        if self.max_failures < 1:
            raise ValueError("max_failures must be at least 1")
        if self.window <= timedelta(0):
            raise ValueError("window must be positive")


class FailureLimiter:
    """Sliding-window counter of failures per key, with bounded memory."""

    def __init__(self, limit: FailureLimit, clock: Clock, max_keys: int = DEFAULT_MAX_KEYS) -> None:
        if max_keys < 1:
            raise ValueError("max_keys must be at least 1")
        self.limit = limit
        self.clock = clock
        self.max_keys = max_keys
        self._failures: OrderedDict[str, deque[datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._failures)

    def _expired(self, last: datetime, now: datetime) -> bool:
        return last <= now - self.limit.window

    def _prune(self, now: datetime) -> None:
        """Drop keys whose latest failure has left the window (they sit at the front)."""
        while self._failures:
            key, times = next(iter(self._failures.items()))
            if not self._expired(times[-1], now):
                break
            del self._failures[key]

    def blocked_for(self, key: str) -> timedelta | None:
        """How long ``key`` stays blocked, or None when it may try now."""
        now = self.clock.now()
        with self._lock:
            times = self._failures.get(key)
            if times is None or len(times) < self.limit.max_failures:
                return None
            until = times[0] + self.limit.window
            return until - now if until > now else None

    def record_failure(self, key: str) -> None:
        now = self.clock.now()
        with self._lock:
            self._prune(now)
            times = self._failures.pop(key, None)
            if times is None:
                times = deque(maxlen=self.limit.max_failures)
            times.append(now)
            self._failures[key] = times  # (re)inserted at the back: most recent failure
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def failures(self, key: str) -> int:
        """Failures of ``key`` still inside the window."""
        now = self.clock.now()
        with self._lock:
            times = self._failures.get(key, ())
            return sum(1 for t in times if not self._expired(t, now))
