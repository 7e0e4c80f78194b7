"""Wire types of the queue API (取号叫号)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IssueIn:
    """Staff-terminal ticket (source staff or appointment check-in)."""

    category: str
    priority: str = "normal"
    phone: str | None = None
    source: str = "staff"


@dataclass
class KioskIssueIn:
    category: str
    priority: str = "normal"
    phone: str | None = None


@dataclass
class DeviceIssueIn:
    """From the hardware service (call button): category defaults to the configured one."""

    category: str | None = None
    priority: str = "normal"


@dataclass
class PauseIn:
    reason: str


@dataclass
class TransferIn:
    to_window: str | None = None
    to_category: str | None = None


@dataclass
class CallTicketIn:
    ticket: str


@dataclass
class CategoryIn:
    prefix: str
    name: str
    prior_minutes: float | None = None


@dataclass
class WindowIn:
    number: int
    name: str = ""
    categories: list[str] = field(default_factory=list)


@dataclass
class ButtonPressIn:
    """The call button: category defaults to the configured one; the receipt is leased."""

    category: str | None = None
    priority: str = "normal"
    lease_seconds: float = 60.0
