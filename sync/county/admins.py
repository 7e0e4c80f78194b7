"""County dashboard users (县级管理员): argon2id password hashes, roles county_admin / viewer."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import col, select

from appliance.core.errors import Conflict, Invalid, Unauthenticated
from sync.county.models import CountyAdmin
from sync.county.services import CountyServices

ROLES = {"county_admin": "县级管理员", "viewer": "只读查看"}
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY = _hasher.hash("yizhan-dummy-password")  # equal work for unknown users


@dataclass(frozen=True)
class AdminPrincipal:
    id: int
    username: str
    display_name: str
    role: str


def create_admin(
    svc: CountyServices,
    username: str,
    password: str,
    role: str = "county_admin",
    display_name: str = "",
) -> AdminPrincipal:
    if role not in ROLES:
        raise Invalid(f"未知角色“{role}”，可选：{'、'.join(ROLES)}", "bad_role")
    if not username.strip() or len(username) > 64:
        raise Invalid("用户名不能为空，且不超过 64 字符", "bad_username")
    if len(password) < 8:
        raise Invalid("密码至少 8 位", "weak_password")
    with svc.db.tx() as s:
        if s.exec(select(CountyAdmin).where(col(CountyAdmin.username) == username)).first():
            raise Conflict(f"用户名 {username} 已存在", "admin_exists")
        row = CountyAdmin(
            username=username.strip(),
            display_name=display_name or username,
            role=role,
            password_hash=_hasher.hash(password),
            created_at=svc.clock.now(),
        )
        s.add(row)
        s.flush()
        assert row.id is not None
        return AdminPrincipal(row.id, row.username, row.display_name, row.role)


def authenticate_admin(svc: CountyServices, username: str, password: str) -> AdminPrincipal:
    """Check a dashboard login; the same message for an unknown user and a wrong password."""
    with svc.db.tx() as s:
        row = s.exec(select(CountyAdmin).where(col(CountyAdmin.username) == username)).first()
    refused = Unauthenticated("用户名或密码不正确", "bad_login")
    if row is None or row.disabled_at is not None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY, password + "x")
        raise refused
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError) as exc:
        raise refused from exc
    assert row.id is not None
    return AdminPrincipal(row.id, row.username, row.display_name, row.role)
