"""Pure rules of staff credentials (R-T1, R-T3, R-I3): PINs, the login throttle, device keys.

No storage, no HTTP, no I/O: the services pass in the clock's time and plain values.

- ``pin_problem``: what is wrong with a new PIN (too short for ``pin_min_length``, spaces, one
  repeated character, a straight run such as 123456), in Chinese; ``None`` when it is fine.
- The login throttle (登录限流): each key (a staff code, a client address) keeps a
  ``FailureRecord``. The first ``free_failures`` failures cost nothing; each further one blocks
  the key for ``base_delay`` × 2ⁿ, at most ``max_delay``. The count decays: one failure is
  forgotten per ``decay`` of quiet since the last one, so a stranger who stops guessing
  stops mattering, and a blocked key never stays blocked longer than ``max_delay``.
- ``device_key_problem``: a hardware-service key that is the published demo key, short, or
  made of few distinct characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

PIN_MAX_LENGTH = 64
PIN_FLOOR = 4  # no setting may go below this
DEMO_DEVICE_KEY = "yizhan-demo-device-key"
DEVICE_KEY_MIN_LENGTH = 32
DEVICE_KEY_MIN_DISTINCT = 10
_RUNS = "0123456789012345678901234567890123456789"


def pin_problem(pin: str, min_length: int) -> str | None:
    """Why a new PIN is refused (Chinese, for the person choosing it), or None."""
    need = max(min_length, PIN_FLOOR)
    if len(pin) < need or len(pin) > PIN_MAX_LENGTH or any(c.isspace() for c in pin):
        return f"密码（PIN）须为 {need}–{PIN_MAX_LENGTH} 位，不能含空格"
    if not pin.isprintable():
        return "密码（PIN）不能含控制字符"
    if len(set(pin)) == 1:
        return "密码（PIN）不能是同一个字符重复，请换一个不易被猜到的密码"
    if pin in _RUNS or pin in _RUNS[::-1]:
        return "密码（PIN）不能是连续数字（如 123456），请换一个不易被猜到的密码"
    return None


def pin_too_short(pin: str, min_length: int) -> bool:
    """An existing PIN shorter than the station's minimum must be changed at login."""
    return len(pin) < max(min_length, PIN_FLOOR)


# ---- login throttle ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ThrottlePolicy:
    """Growing delays for one kind of key (a staff code, or a client address)."""

    free_failures: int
    alert_after: int
    max_delay: timedelta
    decay: timedelta
    base_delay: timedelta = timedelta(seconds=2)

    def __post_init__(self) -> None:
        if self.free_failures < 1 or self.alert_after < 1:
            raise ValueError("free_failures and alert_after must be at least 1")
        if min(self.max_delay, self.decay, self.base_delay) <= timedelta(0):
            raise ValueError("delays must be positive")


@dataclass(frozen=True)
class FailureRecord:
    """Failed attempts of one key: how many still count, the last one, and the block."""

    failures: int
    last: datetime
    blocked_until: datetime


def decayed_failures(record: FailureRecord | None, now: datetime, policy: ThrottlePolicy) -> int:
    """Failures still counted at ``now``: one forgotten per ``decay`` since the last."""
    if record is None:
        return 0
    quiet = max(now - record.last, timedelta(0))
    return max(0, record.failures - int(quiet / policy.decay))


def delay_after(failures: int, policy: ThrottlePolicy) -> timedelta:
    """How long a key is blocked after its ``failures``-th counted failure."""
    extra = failures - policy.free_failures
    if extra <= 0:
        return timedelta(0)
    # 2 s, 4 s, 8 s … capped; the exponent is bounded so the product never overflows
    factor: int = 2 ** min(extra - 1, 30)
    return min(policy.base_delay * factor, policy.max_delay)


def after_failure(
    record: FailureRecord | None, now: datetime, policy: ThrottlePolicy
) -> FailureRecord:
    """The record once one more failure happened at ``now``."""
    failures = decayed_failures(record, now, policy) + 1
    return FailureRecord(failures, now, now + delay_after(failures, policy))


def blocked_for(record: FailureRecord | None, now: datetime) -> timedelta | None:
    """How long the key stays blocked, or None when it may try now."""
    if record is None or record.blocked_until <= now:
        return None
    return record.blocked_until - now


def forgotten(record: FailureRecord, now: datetime, policy: ThrottlePolicy) -> bool:
    """True once nothing of the record counts any more (it may be dropped)."""
    return blocked_for(record, now) is None and decayed_failures(record, now, policy) == 0


def wait_text(wait: timedelta) -> str:
    """``3 分 20 秒`` / ``45 秒``: how long to wait, rounded up to the second."""
    seconds = max(1, -(-wait // timedelta(seconds=1)))
    minutes, rest = divmod(seconds, 60)
    if minutes and rest:
        return f"{minutes} 分 {rest} 秒"
    return f"{minutes} 分钟" if minutes else f"{rest} 秒"


# ---- device key -------------------------------------------------------------------------------


def device_key_problem(key: str) -> str | None:
    """Why a device key must not protect a real station (Chinese), or None when it is fine."""
    if not key:
        return "设备密钥为空"
    if key == DEMO_DEVICE_KEY:
        return "设备密钥是公开的演示密钥 yizhan-demo-device-key"
    if len(key) < DEVICE_KEY_MIN_LENGTH:
        return f"设备密钥过短（{len(key)} 位，至少 {DEVICE_KEY_MIN_LENGTH} 位）"
    if len(set(key)) < DEVICE_KEY_MIN_DISTINCT:
        return "设备密钥过于简单（不同字符太少）"
    return None


ON_SITE = "在岗"
NOT_SIGNED_IN = "未签到"


def shown_whereabouts(on_duty: bool, whereabouts: str) -> str:
    """What the 公示栏 and the terminals say about a person (R-T1, R-T2): nobody who has not
    signed in (签到) is 在岗; an away whereabouts (外出办事, 入户代办, 会议…) shows as set."""
    if whereabouts == ON_SITE and not on_duty:
        return NOT_SIGNED_IN
    return whereabouts
