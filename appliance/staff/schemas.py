"""Wire types of the staff API (人员): every request body and every answer.

Login, staff accounts, attendance and whereabouts, and the public staff board (公示栏). The
staff terminal decodes the same types. Requests end in ``In``.

Pure: stdlib and msgspec only.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

# ---- requests -------------------------------------------------------------------------------


class LoginIn(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    pin: str


class StaffIn(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    role: str
    pin: str
    post: str = ""
    phone: str = ""
    window: int | None = None


class WhereaboutsIn(msgspec.Struct, frozen=True, kw_only=True):
    whereabouts: str


# ---- answers --------------------------------------------------------------------------------


class StaffView(msgspec.Struct, frozen=True, kw_only=True):
    """A staff member (工作人员) as the station shows it to staff (phone masked)."""

    id: str
    code: str
    name: str
    role: str
    role_label: str
    post: str
    phone_masked: str
    active: bool
    on_duty: bool
    whereabouts: str
    window_id: str | None


class BoardEntry(msgspec.Struct, frozen=True, kw_only=True):
    """公示栏 entry: only what R-T1 lists (name, post, phone, photo, whereabouts)."""

    name: str
    post: str
    phone: str
    photo: str
    whereabouts: str
    on_duty: bool


class LoginResult(msgspec.Struct, frozen=True, kw_only=True):
    """登录: the bearer token for every later request, and who logged in."""

    token: str
    staff: StaffView
    expires_at: datetime


class LoggedOut(msgspec.Struct, frozen=True, kw_only=True):
    ok: bool = True


class MeView(msgspec.Struct, frozen=True, kw_only=True):
    """The logged-in staff member (GET /api/auth/me)."""

    staff_id: str
    code: str
    name: str
    role: str
    window_id: str | None
