"""Wire types of the staff API (人员)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class LoginIn:
    code: str
    pin: str


@dataclass
class StaffIn:
    code: str
    name: str
    role: str
    pin: str
    post: str = ""
    phone: str = ""
    window: int | None = None


@dataclass
class WhereaboutsIn:
    whereabouts: str
