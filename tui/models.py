"""Typed views of the station's JSON answers, as the staff terminal reads them.

Only the fields the terminal shows are kept; unknown fields are ignored so that the
server may grow without breaking older terminals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Json = Mapping[str, Any]


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value))


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class Ticket:
    """号票: a ticket as returned by the calling actions and by issuing."""

    id: str
    number: str
    category_name: str
    status: str
    status_label: str
    priority: str
    priority_label: str
    source: str = ""
    window_number: int | None = None
    people_ahead: int = 0
    est_wait_min: int = 0
    recall_count: int = 0
    phone_masked: str | None = None
    closing_warning: str | None = None

    @classmethod
    def from_json(cls, d: Json) -> Ticket:
        return cls(
            id=str(d["id"]),
            number=str(d["number"]),
            category_name=str(d.get("category_name", "")),
            status=str(d["status"]),
            status_label=str(d.get("status_label", d["status"])),
            priority=str(d.get("priority", "normal")),
            priority_label=str(d.get("priority_label", "")),
            source=str(d.get("source", "")),
            window_number=_int(d.get("window_number")),
            people_ahead=int(d.get("people_ahead") or 0),
            est_wait_min=int(d.get("est_wait_min") or 0),
            recall_count=int(d.get("recall_count") or 0),
            phone_masked=d.get("phone_masked"),
            closing_warning=d.get("closing_warning"),
        )


@dataclass(frozen=True)
class WaitingTicket:
    """A ticket in a waiting list or the no-show list (过号)."""

    id: str
    number: str
    priority: str
    priority_label: str
    issued_at: datetime | None
    target_window_number: int | None = None

    @classmethod
    def from_json(cls, d: Json) -> WaitingTicket:
        return cls(
            id=str(d["id"]),
            number=str(d["number"]),
            priority=str(d.get("priority", "normal")),
            priority_label=str(d.get("priority_label", "")),
            issued_at=_time(d.get("issued_at")),
            target_window_number=_int(d.get("target_window_number")),
        )


@dataclass(frozen=True)
class CategoryQueue:
    """One business category (业务类别) and its waiting tickets, oldest first."""

    id: str
    prefix: str
    name: str
    waiting: list[WaitingTicket] = field(default_factory=list)

    @classmethod
    def from_json(cls, d: Json) -> CategoryQueue:
        return cls(
            id=str(d["id"]),
            prefix=str(d["prefix"]),
            name=str(d["name"]),
            waiting=[WaitingTicket.from_json(w) for w in d.get("waiting", [])],
        )


@dataclass(frozen=True)
class WindowState:
    """A service window (窗口): its categories, pause state and current ticket."""

    id: str
    number: int
    name: str
    categories: list[str]
    paused: bool
    pause_reason: str | None
    current: Ticket | None

    @classmethod
    def from_json(cls, d: Json) -> WindowState:
        current = d.get("current")
        return cls(
            id=str(d["id"]),
            number=int(d["number"]),
            name=str(d.get("name", "")),
            categories=[str(c) for c in d.get("categories", [])],
            paused=bool(d.get("paused")),
            pause_reason=d.get("pause_reason"),
            current=Ticket.from_json(current) if current else None,
        )


@dataclass(frozen=True)
class QueueSnapshot:
    """Everything a staff terminal shows about the queues (GET /api/queue)."""

    business_date: str
    categories: list[CategoryQueue]
    windows: list[WindowState]
    no_shows: list[WaitingTicket]
    event_seq: int

    @classmethod
    def from_json(cls, d: Json) -> QueueSnapshot:
        return cls(
            business_date=str(d.get("business_date", "")),
            categories=[CategoryQueue.from_json(c) for c in d.get("categories", [])],
            windows=[WindowState.from_json(w) for w in d.get("windows", [])],
            no_shows=[WaitingTicket.from_json(t) for t in d.get("no_shows", [])],
            event_seq=int(d.get("event_seq") or 0),
        )

    def window(self, number: int | None) -> WindowState | None:
        return next((w for w in self.windows if w.number == number), None)


@dataclass(frozen=True)
class Alert:
    """告警, e.g. a window paused past the allowed absence."""

    id: str
    kind: str
    message: str

    @classmethod
    def from_json(cls, d: Json) -> Alert:
        return cls(id=str(d["id"]), kind=str(d.get("kind", "")), message=str(d["message"]))


@dataclass(frozen=True)
class Staff:
    """A staff member (工作人员), from login, /me or the attendance actions."""

    id: str
    code: str
    name: str
    role: str
    window_id: str | None = None
    role_label: str = ""
    on_duty: bool = False

    @classmethod
    def from_json(cls, d: Json) -> Staff:
        return cls(
            id=str(d.get("id") or d["staff_id"]),
            code=str(d["code"]),
            name=str(d["name"]),
            role=str(d["role"]),
            window_id=d.get("window_id"),
            role_label=str(d.get("role_label", "")),
            on_duty=bool(d.get("on_duty")),
        )


@dataclass(frozen=True)
class Login:
    token: str
    staff: Staff


@dataclass(frozen=True)
class WindowInfo:
    """A window as listed by GET /api/windows (public)."""

    id: str
    number: int
    name: str

    @classmethod
    def from_json(cls, d: Json) -> WindowInfo:
        return cls(id=str(d["id"]), number=int(d["number"]), name=str(d.get("name", "")))
