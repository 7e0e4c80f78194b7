"""Request bodies. Litestar validates types; services validate meaning."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LoginIn:
    code: str
    pin: str


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
class ClaimIn:
    """The hardware service leases work: print jobs (``kinds``) or SMS."""

    limit: int = 5
    lease_seconds: float = 60.0
    kinds: list[str] = field(default_factory=lambda: ["receipt"])


@dataclass
class FailedIn:
    error: str
    permanent: bool = False


@dataclass
class SentIn:
    references: list[int] = field(default_factory=list)


@dataclass
class InboundSmsIn:
    phone: str
    body: str
    received_at: str = ""


@dataclass
class DeviceStatusIn:
    device: str
    state: str
    label: str
    detail: str = ""


@dataclass
class DeviceAlertIn:
    kind: str
    message: str = ""
    active: bool = True


@dataclass
class RatingPressIn:
    window: str
    level: int


@dataclass
class TemplateIn:
    body: str


@dataclass
class ButtonPressIn:
    """The call button: category defaults to the configured one; the receipt is leased."""

    category: str | None = None
    priority: str = "normal"
    lease_seconds: float = 60.0
