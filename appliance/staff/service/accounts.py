"""Staff accounts, login sessions, attendance and the public staff board (R-T1–R-T3)."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, col, func, select

from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid, NotFound, Unauthenticated
from appliance.core.masking import mask_phone
from appliance.core.roles import ROLE_LABELS, Principal, Role, parse_role
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.settings import Settings
from appliance.staff.rules import ON_SITE, shown_whereabouts
from appliance.staff.schemas import BoardEntry, LoginResult, StaffView
from appliance.staff.service.login import LoginGate, hash_pin, open_session, token_hash
from appliance.staff.service.staffing import leave_windows, release_expired, staff_window
from appliance.staff.tables import Attendance, Staff, StaffSession

__all__ = ["WHEREABOUTS", "StaffService", "bearer_token", "hash_pin"]

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
WHEREABOUTS = ("在岗", "外出办事", "入户代办", "会议", "休假", "下班")


def _view(st: Staff) -> StaffView:
    role = Role(st.role)
    return StaffView(
        id=st.id,
        code=st.code,
        name=st.name,
        role=st.role,
        role_label=ROLE_LABELS[role],
        post=st.post,
        phone_masked=mask_phone(st.phone) if st.phone else "",
        active=st.active,
        on_duty=st.on_duty,
        whereabouts=shown_whereabouts(st.on_duty, st.whereabouts),
        window_id=st.window_id,
    )


def bearer_token(authorization: str) -> str | None:
    """The token of an ``Authorization: Bearer …`` header; None when there is none."""
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return None


def _revoke_sessions(s: Session, staff_id: str, now: datetime) -> int:
    revoked = 0
    for sess in s.exec(
        select(StaffSession).where(
            StaffSession.staff_id == staff_id, col(StaffSession.revoked_at).is_(None)
        )
    ):
        sess.revoked_at = now
        s.add(sess)
        revoked += 1
    return revoked


def active_managers(s: Session) -> int:
    """How many active station heads (站长) the station has (R-T1, defect 8 of issue 12)."""
    return int(
        s.exec(
            select(func.count()).where(Staff.role == Role.MANAGER, col(Staff.active).is_(True))
        ).one()
    )


class StaffService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.gate = LoginGate(db, settings, clock)

    def create(
        self,
        code: str,
        name: str,
        role: str,
        pin: str,
        post: str = "",
        phone: str = "",
        window_id: str | None = None,
        pin_hash: str | None = None,
    ) -> StaffView:
        """A new account; a new PIN must be at least ``pin_min_length`` long (R-T1)."""
        r = parse_role(role)
        code, name = code.strip(), name.strip()
        if not CODE_RE.match(code):
            raise Invalid("工号只能由字母、数字、下划线或短横线组成，最多 20 位", "bad_code")
        if not name or len(name) > 30:
            raise Invalid("姓名不能为空，且不超过 30 字", "bad_name")
        if pin_hash is None:
            self.gate.new_pin_problem(pin)
        now = self.clock.now()
        with self.db.read() as s:
            if s.exec(select(Staff).where(Staff.code == code)).first() is not None:
                raise Conflict(f"工号 {code} 已被使用", "duplicate_code")
        hashed = pin_hash or hash_pin(pin)  # argon2 outside the write lock
        with self.db.write() as s:
            if s.exec(select(Staff).where(Staff.code == code)).first() is not None:
                raise Conflict(f"工号 {code} 已被使用", "duplicate_code")
            st = Staff(
                code=code,
                name=name,
                role=r,
                post=post or ROLE_LABELS[r],
                phone=phone,
                pin_hash=hashed,
                window_id=window_id,
                created_at=now,
            )
            s.add(st)
            s.flush()
            append_event(s, "staff.created", "staff", st.id, {"code": code, "role": r}, now)
            return _view(st)

    def list_all(self) -> list[StaffView]:
        with self.db.read() as s:
            return [_view(st) for st in s.exec(select(Staff).order_by(col(Staff.code)))]

    def _get(self, s: Session, staff_id: str) -> Staff:
        st = s.get(Staff, staff_id) or s.exec(select(Staff).where(Staff.code == staff_id)).first()
        if st is None:
            raise NotFound(f"找不到工作人员“{staff_id}”", "unknown_staff")
        return st

    def deactivate(self, staff_id: str, by: str | None = None) -> StaffView:
        """停用: the person loses every access at once (R-T3). The last active station head
        cannot be deactivated, not even by themselves: nobody could manage staff any more."""
        now = self.clock.now()
        with self.db.write() as s:
            st = self._get(s, staff_id)
            if not st.active:
                raise Conflict(f"{st.name} 的账号已停用", "already_inactive")
            if st.role == Role.MANAGER and active_managers(s) <= 1:
                raise Conflict(
                    f"{st.name} 是本站唯一在用的站长账号，不能停用：停用后将无人能管理人员。"
                    "请先新建另一位站长账号，或请县级中心调整人员名单",
                    "last_manager",
                )
            st.active, st.deactivated_at, st.on_duty = False, now, False
            revoked = _revoke_sessions(s, st.id, now)
            s.add(st)
            s.flush()
            leave_windows(s, st.id, now)
            append_event(
                s, "staff.deactivated", "staff", st.id, {"by": by, "sessions_revoked": revoked}, now
            )
            return _view(st)

    # ---- login, PIN change and unlocking (R-T1, R-T3) ------------------------------------
    def _session(self, st: Staff, event: str, new_hash: str | None = None) -> LoginResult:
        """Open a session for the account read before the PIN check, if it is unchanged; with
        ``new_hash``, first set the new PIN and end every other session (one transaction)."""
        now = self.clock.now()
        with self.db.write() as s:
            current = s.get(Staff, st.id)
            if current is None or current.pin_hash != st.pin_hash:
                raise Unauthenticated("密码刚被修改，请用新密码重新登录", "pin_changed")
            if not current.active:
                raise Unauthenticated("该账号已停用，请联系站长", "inactive")
            payload: dict[str, object] = {"code": current.code}
            if new_hash is not None:
                current.pin_hash = new_hash
                s.add(current)
                payload["sessions_revoked"] = _revoke_sessions(s, current.id, now)
            token, expires = open_session(s, current, now, self.settings.session_hours)
            staff_window(s, current)
            append_event(s, event, "staff", current.id, payload, now)
            return LoginResult(token=token, staff=_view(current), expires_at=expires)

    def login(self, code: str, pin: str, address: str = "") -> LoginResult:
        """登录. 429 while throttled, 401 for a wrong code or PIN, 403 ``pin_change_required``
        when the right PIN is shorter than ``pin_min_length`` (then ``change_pin``)."""
        st = self.gate.check(code, pin, address)
        if not st.active:
            raise Unauthenticated("该账号已停用，请联系站长", "inactive")
        self.gate.require_long_enough(pin)
        return self._session(st, "staff.login")

    def change_pin(self, code: str, old_pin: str, new_pin: str, address: str = "") -> LoginResult:
        """修改密码 with the old PIN (throttled like a login). Every other session of the
        account ends; the answer is a new session."""
        st = self.gate.check(code, old_pin, address)
        if not st.active:
            raise Unauthenticated("该账号已停用，请联系站长", "inactive")
        self.gate.new_pin_problem(new_pin)
        if new_pin == old_pin:
            raise Invalid("新密码不能与原密码相同", "same_pin")
        new_hash = hash_pin(new_pin)  # argon2 outside the write lock
        return self._session(st, "staff.pin_changed", new_hash)

    def unlock(self, code: str | None, address: str | None, by: str) -> tuple[int, int]:
        """站长解除登录限制 of a code and/or an address (neither: all); (blocks, alerts)."""
        return self.gate.unlock(code or None, address or None, by)

    def logout(self, token: str) -> None:
        now = self.clock.now()
        with self.db.write() as s:
            sess = s.get(StaffSession, token_hash(token))
            if sess is None or sess.revoked_at is not None:
                return
            sess.revoked_at = now
            s.add(sess)
            s.flush()
            leave_windows(s, sess.staff_id, now)
            append_event(s, "staff.logout", "staff", sess.staff_id, {}, now)

    def authenticate(self, token: str | None) -> Principal:
        if not token:
            raise Unauthenticated("请先登录", "login_required")
        now = self.clock.now()
        with self.db.read() as s:
            sess = s.get(StaffSession, token_hash(token))
            if sess is None or sess.revoked_at is not None:
                raise Unauthenticated("登录已失效，请重新登录", "session_invalid")
            if sess.expires_at <= now:
                raise Unauthenticated("登录已过期，请重新登录", "session_expired")
            st = s.get(Staff, sess.staff_id)
            if st is None or not st.active:
                raise Unauthenticated("该账号已停用，请联系站长", "inactive")
            return Principal(st.id, st.code, st.name, Role(st.role), st.window_id)

    # ---- attendance and whereabouts (R-T2) -----------------------------------------------
    def record_attendance(self, staff_id: str, kind: str) -> StaffView:
        if kind not in ("in", "out"):
            raise Invalid("考勤类型只能是签到（in）或签退（out）", "bad_kind")
        now = self.clock.now()
        with self.db.write() as s:
            st = self._get(s, staff_id)
            if kind == "in" and st.on_duty:
                raise Conflict("您已签到，无需重复签到", "already_in")
            if kind == "out" and not st.on_duty:
                raise Conflict("您尚未签到，不能签退", "not_in")
            st.on_duty = kind == "in"
            st.whereabouts = "在岗" if kind == "in" else "下班"
            rec = Attendance(staff_id=st.id, kind=kind, at=now)
            s.add_all([st, rec])
            s.flush()
            append_event(
                s, f"attendance.clock_{kind}", "staff", st.id, {"attendance_id": rec.id}, now
            )
            return _view(st)

    def set_whereabouts(self, staff_id: str, whereabouts: str) -> StaffView:
        if whereabouts not in WHEREABOUTS:
            raise Invalid(f"去向只能是：{'、'.join(WHEREABOUTS)}", "bad_whereabouts")
        now = self.clock.now()
        with self.db.write() as s:
            st = self._get(s, staff_id)
            if whereabouts == ON_SITE and not st.on_duty:
                raise Conflict("您尚未签到，请先签到（k）再设为在岗", "not_in")
            st.whereabouts = whereabouts
            s.add(st)
            s.flush()
            append_event(s, "staff.whereabouts", "staff", st.id, {"whereabouts": whereabouts}, now)
            return _view(st)

    def board(self) -> list[BoardEntry]:
        with self.db.read() as s:
            rows = s.exec(
                select(Staff).where(col(Staff.active).is_(True)).order_by(col(Staff.code))
            )
            return [
                BoardEntry(
                    name=st.name,
                    post=st.post,
                    phone=st.phone,
                    photo=st.photo,
                    whereabouts=shown_whereabouts(st.on_duty, st.whereabouts),
                    on_duty=st.on_duty,
                )
                for st in rows
            ]

    def release_expired_windows(self) -> list[int]:
        """窗口值守: a window whose clerk's sessions all expired shows 无人值守 again; one
        transaction with a ``window.unstaffed`` event per window (issue 16, item 2)."""
        now = self.clock.now()
        with self.db.write() as s:
            released = release_expired(s, now)
            for window_id, number in released:
                payload = {"number": number, "reason": "session_expired"}
                append_event(s, "window.unstaffed", "window", window_id, payload, now)
        return [number for _, number in released]
