"""Staff accounts, login sessions, attendance and the public staff board (R-T1–R-T3)."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid, NotFound, Unauthenticated
from appliance.core.masking import mask_phone
from appliance.core.roles import ROLE_LABELS, Principal, Role, parse_role
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.settings import Settings
from appliance.staff.schemas import BoardEntry, LoginResult, StaffView
from appliance.staff.tables import Attendance, Staff, StaffSession

# argon2id at OWASP's minimum (19 MiB, t=2, p=1): ~30 ms here, well under a second on a Pi.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
PIN_RE = re.compile(r"^\S{4,64}$")
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
        whereabouts=st.whereabouts,
        window_id=st.window_id,
    )


def bearer_token(authorization: str) -> str | None:
    """The token of an ``Authorization: Bearer …`` header; None when there is none."""
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_pin(pin: str) -> str:
    return _hasher.hash(pin)


class StaffService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

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
        r = parse_role(role)
        code, name = code.strip(), name.strip()
        if not CODE_RE.match(code):
            raise Invalid("工号只能由字母、数字、下划线或短横线组成，最多 20 位", "bad_code")
        if not name or len(name) > 30:
            raise Invalid("姓名不能为空，且不超过 30 字", "bad_name")
        if pin_hash is None and not PIN_RE.match(pin):
            raise Invalid("密码（PIN）至少 4 位，不能含空格", "bad_pin")
        now = self.clock.now()
        with self.db.write() as s:
            if s.exec(select(Staff).where(Staff.code == code)).first() is not None:
                raise Conflict(f"工号 {code} 已被使用", "duplicate_code")
            st = Staff(
                code=code,
                name=name,
                role=r,
                post=post or ROLE_LABELS[r],
                phone=phone,
                pin_hash=pin_hash or hash_pin(pin),
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
        """停用: the person loses every access at once (R-T3)."""
        now = self.clock.now()
        with self.db.write() as s:
            st = self._get(s, staff_id)
            if not st.active:
                raise Conflict(f"{st.name} 的账号已停用", "already_inactive")
            st.active, st.deactivated_at, st.on_duty = False, now, False
            revoked = 0
            for sess in s.exec(
                select(StaffSession).where(
                    StaffSession.staff_id == st.id, col(StaffSession.revoked_at).is_(None)
                )
            ):
                sess.revoked_at = now
                s.add(sess)
                revoked += 1
            s.add(st)
            s.flush()
            append_event(
                s, "staff.deactivated", "staff", st.id, {"by": by, "sessions_revoked": revoked}, now
            )
            return _view(st)

    # ---- login ---------------------------------------------------------------------------
    def login(self, code: str, pin: str) -> LoginResult:
        now = self.clock.now()
        with self.db.write() as s:
            st = s.exec(select(Staff).where(Staff.code == (code or "").strip())).first()
            ok = False
            if st is not None:
                try:
                    ok = _hasher.verify(st.pin_hash, pin or "")
                except (VerificationError, InvalidHashError):
                    ok = False
            if st is None or not ok:
                raise Unauthenticated("工号或密码错误", "bad_credentials")
            if not st.active:
                raise Unauthenticated("该账号已停用，请联系站长", "inactive")
            token = secrets.token_urlsafe(32)
            expires = now + timedelta(hours=self.settings.session_hours)
            s.add(
                StaffSession(
                    token_hash=_token_hash(token),
                    staff_id=st.id,
                    created_at=now,
                    expires_at=expires,
                )
            )
            s.flush()
            append_event(s, "staff.login", "staff", st.id, {"code": st.code}, now)
            return LoginResult(token=token, staff=_view(st), expires_at=expires)

    def logout(self, token: str) -> None:
        now = self.clock.now()
        with self.db.write() as s:
            sess = s.get(StaffSession, _token_hash(token))
            if sess is None or sess.revoked_at is not None:
                return
            sess.revoked_at = now
            s.add(sess)
            s.flush()
            append_event(s, "staff.logout", "staff", sess.staff_id, {}, now)

    def authenticate(self, token: str | None) -> Principal:
        if not token:
            raise Unauthenticated("请先登录", "login_required")
        now = self.clock.now()
        with self.db.read() as s:
            sess = s.get(StaffSession, _token_hash(token))
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
                    whereabouts=st.whereabouts,
                    on_duty=st.on_duty,
                )
                for st in rows
            ]
