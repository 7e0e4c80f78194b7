"""Login and PIN change (登录、修改密码), throttled and verified outside the write lock (R-T1,
R-T3, R-I3).

One attempt, in order:
1. The throttle (``LoginThrottle``) answers 429 with the wait while the code or the client
   address is blocked; nothing is verified and nothing is counted.
2. The account is read in a read transaction, then the PIN is verified with argon2id with no
   lock held (about 30 ms: inside ``db.write()`` it would stall every writer of the station).
   An unknown code, or an account without a usable hash, is verified against a dummy hash of
   the same cost, so the reply time does not tell which codes exist.
3. A failure is counted in memory only; the failure that reaches a key's alert level raises a
   staff alert (``login_failures:<code>`` for a known code, ``login_failures@<address>`` for
   an address) with its ``alert.raised`` event, which syncs to the county like every event.
4. A right PIN shorter than ``pin_min_length`` (an old 4-digit PIN, or one the county
   published as a hash) opens no session: 403 ``pin_change_required``, and the change-PIN call
   (old PIN + new PIN) opens the session instead.
5. The session is written in one write transaction that re-reads the account: deactivated or
   given a new PIN since step 2 means no session.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from appliance.alerts.tables import Alert
from appliance.core.clock import Clock
from appliance.core.errors import Invalid, NotAllowed, Unauthenticated
from appliance.core.rate_limit import TooManyAttempts
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.settings import Settings
from appliance.staff.rules import ThrottlePolicy, pin_problem, pin_too_short, wait_text
from appliance.staff.service.throttle import Crossed, LoginThrottle
from appliance.staff.tables import Staff, StaffSession

# argon2id at OWASP's minimum (19 MiB, t=2, p=1): ~30 ms here, well under a second on a Pi.
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
LOGIN_ALERT = "login_failures"
ADDRESS_FACTOR = 3  # an address (a whole terminal) may fail 3× as often as one code
MAX_CODE_CHARS = 64


def hash_pin(pin: str) -> str:
    return HASHER.hash(pin)


@cache
def _dummy_hash() -> str:
    """A hash of the same cost as real ones, for codes that have none (timing, R-I3)."""
    return HASHER.hash(secrets.token_urlsafe(16))


def verify_pin(pin_hash: str | None, pin: str) -> bool:
    """argon2id check; an unknown account or a hash that cannot be used costs the same."""
    usable = pin_hash is not None and pin_hash.startswith("$argon2")
    try:
        return HASHER.verify(pin_hash if usable and pin_hash else _dummy_hash(), pin) and usable
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def throttle_from(settings: Settings) -> LoginThrottle:
    max_delay = timedelta(minutes=max(1, settings.login_max_delay_minutes))
    decay = timedelta(minutes=max(1, settings.login_decay_minutes))
    free = max(1, settings.login_free_failures)
    alert = max(1, settings.login_alert_failures)
    return LoginThrottle(
        ThrottlePolicy(free, alert, max_delay, decay),
        ThrottlePolicy(free * ADDRESS_FACTOR, alert * ADDRESS_FACTOR, max_delay, decay),
    )


def open_session(s: Session, st: Staff, now: datetime, hours: int) -> tuple[str, datetime]:
    """A new bearer token for ``st`` in the caller's transaction (only its SHA-256 is kept)."""
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=hours)
    s.add(
        StaffSession(
            token_hash=token_hash(token), staff_id=st.id, created_at=now, expires_at=expires
        )
    )
    s.flush()
    return token, expires


class LoginGate:
    """The checks every credential presentation passes: throttle, verify, alert."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.throttle = throttle_from(settings)
        _dummy_hash()  # made now, so that the first unknown code costs no extra hash

    def check(self, code: str, pin: str, address: str) -> Staff:
        """The account whose PIN this is, read before any lock; raises 429 or 401 otherwise."""
        code = (code or "").strip()[:MAX_CODE_CHARS]
        address = address or "unknown"
        now = self.clock.now()
        blocked = self.throttle.blocked(code, address, now)
        if blocked is not None:
            subject = "该工号" if blocked.kind == "code" else "本机"
            raise TooManyAttempts(
                f"{subject}登录失败次数过多，请 {wait_text(blocked.wait)}后再试；"
                "如不是本人操作，请联系站长解除限制",
                blocked.wait,
                "login_throttled",
            )
        with self.db.read() as s:
            st = s.exec(select(Staff).where(Staff.code == code)).first()
        if not verify_pin(st.pin_hash if st is not None else None, pin or ""):
            crossed = self.throttle.failure(code, address, now)
            if crossed:
                self._alert(crossed, code, address, st is not None, now)
            raise Unauthenticated("工号或密码错误", "bad_credentials")
        assert st is not None  # verify_pin is False without an account
        self.throttle.success(code, address, now)
        if st.active:
            self._clear_alerts(code, address, now, "login")
        return st

    def require_long_enough(self, pin: str) -> None:
        if pin_too_short(pin, self.settings.pin_min_length):
            raise NotAllowed(
                f"您的密码少于 {self.settings.pin_min_length} 位，为保障账号安全，请先修改密码后再登录",
                "pin_change_required",
            )

    def new_pin_problem(self, pin: str) -> None:
        problem = pin_problem(pin, self.settings.pin_min_length)
        if problem:
            raise Invalid(problem, "bad_pin")

    # ---- alerts (提醒) to the station head, synced to the county -------------------------
    def _alert(
        self, crossed: list[Crossed], code: str, address: str, known: bool, now: datetime
    ) -> None:
        with self.db.write() as s:
            for c in crossed:
                if c.kind == "code" and not known:
                    continue  # unknown codes are reported through their address
                kind = f"{LOGIN_ALERT}:{code}" if c.kind == "code" else f"{LOGIN_ALERT}@{address}"
                open_ = s.exec(
                    select(Alert).where(Alert.kind == kind, col(Alert.cleared_at).is_(None))
                ).first()
                if open_ is not None:
                    continue
                if c.kind == "code":
                    message = (
                        f"工号 {code} 已连续 {c.failures} 次密码错误（最近一次来自 {address}），"
                        "已自动限制该工号登录；如非本人输错，请站长核实处理"
                    )
                else:
                    message = (
                        f"{address} 已连续 {c.failures} 次登录失败，已自动限制该地址登录；"
                        "请站长核实处理"
                    )
                alert = Alert(kind=kind, message=message, raised_at=now)
                s.add(alert)
                s.flush()
                append_event(
                    s,
                    "alert.raised",
                    "alert",
                    alert.id,
                    {
                        "kind": LOGIN_ALERT,
                        "subject": c.kind,
                        "code": code if c.kind == "code" else None,
                        "address": address,
                        "failures": c.failures,
                        "message": message,
                    },
                    now,
                )

    def _clear_alerts(self, code: str | None, address: str | None, now: datetime, by: str) -> int:
        kinds = []
        if code:
            kinds.append(f"{LOGIN_ALERT}:{code}")
        if address:
            kinds.append(f"{LOGIN_ALERT}@{address}")
        query = select(Alert).where(col(Alert.cleared_at).is_(None))
        if kinds:
            query = query.where(col(Alert.kind).in_(kinds))
        else:
            query = query.where(
                col(Alert.kind).startswith(f"{LOGIN_ALERT}:")
                | col(Alert.kind).startswith(f"{LOGIN_ALERT}@")
            )
        with self.db.read() as s:
            if s.exec(query).first() is None:
                return 0  # the usual case: no write at all
        with self.db.write() as s:
            alerts = list(s.exec(query))
            for alert in alerts:
                alert.cleared_at = now
                s.add(alert)
                append_event(
                    s, "alert.cleared", "alert", alert.id, {"kind": LOGIN_ALERT, "by": by}, now
                )
            return len(alerts)

    def unlock(self, code: str | None, address: str | None, by: str) -> tuple[int, int]:
        """站长解除限制: clear the throttle and the login alerts of a code and/or an address."""
        now = self.clock.now()
        blocks = self.throttle.unlock(code, address)
        alerts = self._clear_alerts(code, address, now, by)
        with self.db.write() as s:
            append_event(
                s,
                "staff.login_unlocked",
                "login_block",
                code or address or "all",
                {"code": code, "address": address, "by": by, "blocks": blocks, "alerts": alerts},
                now,
            )
        return blocks, alerts
