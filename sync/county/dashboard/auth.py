"""Dashboard login (登录): server-side random session tokens in an HttpOnly cookie.

Passwords are checked by the core's ``authenticate_admin`` (argon2id). A session stores only
the admin's id; every request re-reads the admin row, so disabling a user or changing a role
takes effect at once. Route ``opt["dashboard"]`` says who may call it: ``"public"`` (login
page, static files), ``"viewer"`` (any signed-in user) or ``"county_admin"`` (writes).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from appliance.core.errors import NotAllowed, Unauthenticated
from sync.county.admins import ROLES, AdminPrincipal
from sync.county.models import CountyAdmin
from sync.county.services import CountyServices

COOKIE = "yizhan_county_session"
SESSION_SECONDS = 8 * 3600  # idle timeout
ADMIN, VIEWER, PUBLIC = "county_admin", "viewer", "public"
POLICIES = (PUBLIC, VIEWER, ADMIN)


class LoginRequired(Unauthenticated):
    """No valid session: pages redirect to the login form."""


@dataclass
class _Session:
    admin_id: int
    expires: float


class SessionStore:
    """Random tokens → admin id, in memory (a restart signs everyone out)."""

    def __init__(self, ttl: float = SESSION_SECONDS) -> None:
        self.ttl = ttl
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()

    def create(self, admin_id: int) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._purge()
            self._sessions[token] = _Session(admin_id, time.monotonic() + self.ttl)
        return token

    def lookup(self, token: str | None) -> int | None:
        """The admin id of a live session (sliding expiry), or None."""
        if not token:
            return None
        with self._lock:
            found = self._sessions.get(token)
            if found is None or found.expires < time.monotonic():
                self._sessions.pop(token, None)
                return None
            found.expires = time.monotonic() + self.ttl
            return found.admin_id

    def drop(self, token: str | None) -> None:
        if token:
            with self._lock:
                self._sessions.pop(token, None)

    def _purge(self) -> None:
        now = time.monotonic()
        for token in [t for t, s in self._sessions.items() if s.expires < now]:
            del self._sessions[token]


def current_admin(svc: CountyServices, store: SessionStore, token: str | None) -> AdminPrincipal:
    """The signed-in, enabled admin behind a session token, or ``LoginRequired``."""
    admin_id = store.lookup(token)
    if admin_id is None:
        raise LoginRequired("请先登录", "login_required")
    with svc.db.snapshot() as s:
        row = s.get(CountyAdmin, admin_id)
        if row is not None and row.disabled_at is None and row.id is not None:
            return AdminPrincipal(row.id, row.username, row.display_name, row.role)
    store.drop(token)
    raise LoginRequired("账号已停用，请重新登录", "login_required")


def check_policy(principal: AdminPrincipal, policy: str) -> None:
    if policy == ADMIN and principal.role != ADMIN:
        label = ROLES.get(principal.role, principal.role)
        raise NotAllowed(f"您的角色（{label}）只能查看，无权进行此操作", "forbidden_role")


def make_dashboard_guard(store: SessionStore) -> Any:
    """The dashboard router's guard: every route needs a login unless it says ``public``."""

    def dashboard_guard(
        connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
    ) -> None:
        policy = handler.opt.get("dashboard")
        if policy not in POLICIES:
            raise NotAllowed("该页面未配置访问权限", "no_policy")
        if policy == PUBLIC:
            return
        services: CountyServices = connection.app.state.services
        principal = current_admin(services, store, connection.cookies.get(COOKIE))
        check_policy(principal, str(policy))
        connection.state.admin = principal

    return dashboard_guard
