"""Tables of staff (人员): accounts, login sessions and attendance (考勤)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class Staff(SQLModel, table=True):
    """Staff account (工作人员)."""

    id: str = Field(default_factory=new_id, primary_key=True)
    code: str = Field(unique=True)
    name: str
    role: str
    post: str = ""
    phone: str = ""
    photo: str = ""
    pin_hash: str
    active: bool = True
    whereabouts: str = "在岗"
    window_id: str | None = None
    on_duty: bool = False
    created_at: datetime = Field(sa_type=UtcDateTime)
    deactivated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class StaffSession(SQLModel, table=True):
    """Login session; only the token's SHA-256 is stored."""

    __tablename__ = "staff_session"
    token_hash: str = Field(primary_key=True)
    staff_id: str = Field(foreign_key="staff.id", index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Attendance(SQLModel, table=True):
    """Clock-in / clock-out record (考勤, R-T2)."""

    id: str = Field(default_factory=new_id, primary_key=True)
    staff_id: str = Field(foreign_key="staff.id", index=True)
    kind: str
    at: datetime = Field(sa_type=UtcDateTime)
