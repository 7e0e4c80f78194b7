"""Wire types of the job queues (打印任务、短信)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
class TemplateIn:
    body: str
