"""Refused batches and enrolments (R-N3, R-I3): counted per address in memory, never stored
for a stranger.

A batch that fails before its signature is verified (no header, unknown station, wrong key,
forged signature) writes nothing: anyone can send one, so a row per refusal would let an
unauthenticated client grow the database without limit. Such refusals are counted per
client address in a bounded in-memory table (``appliance.core.rate_limit``); past
``refusal_max_per_address`` within ``refusal_window_minutes`` the address is answered 429
with ``Retry-After`` before any database work. A batch whose signature verified but that is
refused anyway (a corrupted body, a gzip bomb) is the station's own fault: it shows on the
dashboard as the station's last error and in ``batch_log``, and counts too. A replayed
batch is not a refusal: it is an idempotent 200 that writes nothing new.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from appliance.core.clock import Clock
from appliance.core.rate_limit import FailureLimit, FailureLimiter, TooManyAttempts
from sync.county.models import BatchLog, Station
from sync.protocol import BatchHeader

log = logging.getLogger("yizhan.county.refusals")


@dataclass
class RefusalGate:
    """Refusals per client address; ``check`` before the work, ``record`` after a refusal."""

    limiter: FailureLimiter

    @classmethod
    def build(cls, max_refusals: int, window_minutes: float, clock: Clock) -> RefusalGate:
        limit = FailureLimit(max(1, max_refusals), timedelta(minutes=max(0.1, window_minutes)))
        return cls(FailureLimiter(limit, clock))

    def check(self, address: str | None) -> None:
        wait = self.limiter.blocked_for(address or "unknown")
        if wait is not None:
            minutes = max(1, -(-int(wait.total_seconds()) // 60))
            raise TooManyAttempts(
                f"来自该地址的请求被拒次数过多，请约 {minutes} 分钟后再试",
                wait,
                "too_many_refusals",
            )

    def record(self, address: str | None, code: str) -> None:
        key = address or "unknown"
        self.limiter.record_failure(key)
        if self.limiter.failures(key) == self.limiter.limit.max_failures:
            log.warning("address %s reached the refusal limit (last: %s)", key, code)


def refusal_log_row(
    station: Station, header: BatchHeader, now: datetime, size: int, message: str
) -> BatchLog:
    """The ``batch_log`` row of a refused batch from an authenticated station."""
    return BatchLog(
        station_id=station.id,
        batch_id=header.batch_id[:64],
        received_at=now,
        first_seq=header.first_seq,
        last_seq=header.last_seq,
        count=header.count,
        bytes=size,
        outcome="refused",
        reason=message,
    )
