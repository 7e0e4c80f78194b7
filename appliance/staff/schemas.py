"""Wire types of the staff API (人员): every request body and every answer.

Login, staff accounts, attendance and whereabouts, and the public staff board (公示栏). The
staff terminal decodes the same types. Requests end in ``In``.

Pure: stdlib and msgspec only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from appliance.core.text import CODE_MAX, Code, Name, PhoneText, ShortText

Pin = Annotated[str, msgspec.Meta(max_length=CODE_MAX)]  # what makes a good PIN: the service
WindowNumber = Annotated[int, msgspec.Meta(ge=1, le=999)]

# ---- requests -------------------------------------------------------------------------------


class LoginIn(msgspec.Struct, frozen=True, kw_only=True):
    code: Code
    pin: Pin


class StaffIn(msgspec.Struct, frozen=True, kw_only=True):
    code: Code
    name: Name
    role: Code
    pin: Pin
    post: ShortText = ""
    phone: PhoneText = ""
    window: WindowNumber | None = None


class WhereaboutsIn(msgspec.Struct, frozen=True, kw_only=True):
    whereabouts: ShortText


class ChangePinIn(msgspec.Struct, frozen=True, kw_only=True):
    """修改密码: the old PIN proves who asks (throttled like a login); the answer is a new
    session (``LoginResult``) and every other session of the account ends."""

    code: Code
    old_pin: Pin
    new_pin: Pin


class UnlockIn(msgspec.Struct, frozen=True, kw_only=True):
    """站长解除登录限制: a staff code and/or a client address; neither clears every block."""

    code: Code = ""
    address: Code = ""


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


class Unlocked(msgspec.Struct, frozen=True, kw_only=True):
    """What ``POST /api/auth/unlock`` cleared: login blocks and open login alerts."""

    blocks_cleared: int
    alerts_cleared: int


class MeView(msgspec.Struct, frozen=True, kw_only=True):
    """The logged-in staff member (GET /api/auth/me)."""

    staff_id: str
    code: str
    name: str
    role: str
    window_id: str | None
