"""The login throttle's memory (登录限流): failure records per staff code and per address.

Two kinds of key, each with its own ``ThrottlePolicy`` (``appliance.staff.rules``):

- ``code:<code>`` for every staff code typed, known or not (so the answers never tell whether
  a code exists);
- ``addr:<address>`` for every client address, whatever code it tries.

A stranger must not be able to lock the real user out. So once a code has logged in
successfully from an address, that (code, address) pair is *trusted* for ``TRUST`` and its
failures count under its own key ``code:<code>@<address>``: guessing from elsewhere blocks
the code everywhere else but not at the terminal its owner uses. Every block ends by itself
(at most ``max_delay``), the counts decay, and the station head can clear a code or an
address at once (``unlock``).

State lives in memory: the station server is one process, a failed attempt writes nothing
to the database (so guessing never takes the writer lock) and a restart forgets it. The
table is bounded; the least recently failed keys are dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from appliance.staff.rules import (
    FailureRecord,
    ThrottlePolicy,
    after_failure,
    blocked_for,
    decayed_failures,
    forgotten,
)

TRUST = timedelta(days=30)
MAX_KEYS = 10_000


@dataclass(frozen=True)
class Crossed:
    """A key reached its policy's alert threshold with this failure."""

    kind: str  # "code" or "address"
    subject: str
    failures: int


@dataclass(frozen=True)
class Blocked:
    kind: str
    wait: timedelta


class LoginThrottle:
    def __init__(
        self, code_policy: ThrottlePolicy, address_policy: ThrottlePolicy, max_keys: int = MAX_KEYS
    ) -> None:
        self.code_policy = code_policy
        self.address_policy = address_policy
        self.max_keys = max_keys
        self._records: OrderedDict[str, FailureRecord] = OrderedDict()
        self._trusted: OrderedDict[tuple[str, str], datetime] = OrderedDict()
        self._lock = threading.Lock()

    # ---- keys ----------------------------------------------------------------------------
    def _code_key(self, code: str, address: str, now: datetime) -> str:
        until = self._trusted.get((code, address))
        if until is not None and until > now:
            return f"code:{code}@{address}"
        return f"code:{code}"

    def _policy(self, key: str) -> ThrottlePolicy:
        return self.code_policy if key.startswith("code:") else self.address_policy

    def _keys(self, code: str, address: str, now: datetime) -> list[str]:
        return [self._code_key(code, address, now), f"addr:{address}"]

    # ---- the three events ----------------------------------------------------------------
    def blocked(self, code: str, address: str, now: datetime) -> Blocked | None:
        """The longest block that applies to this attempt, or None."""
        with self._lock:
            worst: Blocked | None = None
            for key in self._keys(code, address, now):
                wait = blocked_for(self._records.get(key), now)
                if wait is not None and (worst is None or wait > worst.wait):
                    worst = Blocked("code" if key.startswith("code:") else "address", wait)
            return worst

    def failure(self, code: str, address: str, now: datetime) -> list[Crossed]:
        """Count one failed attempt; return the keys that just reached their alert level."""
        crossed: list[Crossed] = []
        with self._lock:
            for key in self._keys(code, address, now):
                policy = self._policy(key)
                record = after_failure(self._records.pop(key, None), now, policy)
                self._records[key] = record  # at the back: most recent failure
                if record.failures == policy.alert_after:
                    kind = "code" if key.startswith("code:") else "address"
                    crossed.append(
                        Crossed(kind, code if kind == "code" else address, record.failures)
                    )
            self._bound(now)
        return crossed

    def success(self, code: str, address: str, now: datetime) -> None:
        """The right PIN: the code's own count restarts and the pair becomes trusted."""
        with self._lock:
            self._records.pop(self._code_key(code, address, now), None)
            self._records.pop(f"code:{code}", None)
            self._trusted.pop((code, address), None)
            self._trusted[(code, address)] = now + TRUST
            while len(self._trusted) > self.max_keys:
                self._trusted.popitem(last=False)

    def unlock(self, code: str | None, address: str | None) -> int:
        """Clear a code (every variant of it) and/or an address; both None clears all."""
        with self._lock:
            if code is None and address is None:
                count = len(self._records)
                self._records.clear()
                return count
            doomed = [
                key
                for key in self._records
                if (code is not None and (key == f"code:{code}" or key.startswith(f"code:{code}@")))
                or (address is not None and key == f"addr:{address}")
            ]
            for key in doomed:
                del self._records[key]
            return len(doomed)

    def failures(self, code: str, address: str, now: datetime) -> int:
        """Failures still counted for this code as seen from ``address`` (for messages)."""
        with self._lock:
            key = self._code_key(code, address, now)
            return decayed_failures(self._records.get(key), now, self._policy(key))

    def __len__(self) -> int:
        return len(self._records)

    def _bound(self, now: datetime) -> None:
        """Drop forgotten keys from the front, then the oldest while the table is full."""
        while self._records:
            key, record = next(iter(self._records.items()))
            if not forgotten(record, now, self._policy(key)):
                break
            del self._records[key]
        while len(self._records) > self.max_keys:
            self._records.popitem(last=False)
