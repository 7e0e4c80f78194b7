"""Wire types of the fault log and emergency API (故障台账、应急处置, R-I1, R-I2).

One definition for every end: the station's controller declares them, the service builds
the answers, the staff terminal sends and decodes them. Requests end in ``In``.

Pure: stdlib, msgspec, the kernel's text types and the fault rules' enums only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from appliance.core.text import LongText, ShortText, Text
from appliance.faults.rules import (
    ActionKind,
    EmergencyKind,
    FaultKind,
    FaultSource,
    FaultStatus,
    NetworkScope,
)

StepNo = Annotated[int, msgspec.Meta(ge=1, le=20)]


class FaultIn(msgspec.Struct, frozen=True, kw_only=True):
    """登记故障: what is wrong; a network fault names its scope (it sets the level)."""

    kind: FaultKind
    title: ShortText
    scope: NetworkScope | None = None
    detail: Text = ""


class FaultActionIn(msgspec.Struct, frozen=True, kw_only=True):
    """处理记录: a step taken, or the people told (``notified``: 张主任、县技术支持 …)."""

    kind: ActionKind = ActionKind.STEP
    text: Text


class FaultCloseIn(msgspec.Struct, frozen=True, kw_only=True):
    """处理完毕: cause and result go on the 故障处理单 (both may stay empty)."""

    cause: Text = ""
    result: Text = ""


class FaultActionView(msgspec.Struct, frozen=True, kw_only=True):
    kind: ActionKind
    kind_label: str
    text: str
    at: datetime
    staff: str


class FaultView(msgspec.Struct, frozen=True, kw_only=True):
    """One fault as staff see it; ``level`` is provisional while it is open."""

    id: str
    number: str  # GZ-20261123-001
    business_date: str
    kind: FaultKind
    kind_label: str
    scope: NetworkScope | None
    source: FaultSource
    source_label: str
    automatic: bool
    title: str
    detail: str
    status: FaultStatus
    status_label: str
    level: str  # I | II | III
    level_label: str  # "II级" (and "（暂定）" while open)
    opened_at: datetime
    opened_by: str
    duration_s: float
    duration_text: str
    ended_at: datetime | None = None
    closed_at: datetime | None = None
    closed_by: str = ""
    cause: str = ""
    result: str = ""
    actions: list[FaultActionView] = msgspec.field(default_factory=list)


class ReconcileView(msgspec.Struct, frozen=True, kw_only=True):
    """What one pass of the automatic fault check did (numbers opened and closed)."""

    opened: list[str]
    closed: list[str]


class ProcedureView(msgspec.Struct, frozen=True, kw_only=True):
    """One emergency checklist (XC 附录H, HN-4 6)."""

    kind: EmergencyKind
    key: str
    title: str
    source: str
    steps: list[str]


class EmergencyIn(msgspec.Struct, frozen=True, kw_only=True):
    """启动应急处置: which procedure."""

    kind: EmergencyKind
    note: ShortText = ""


class EmergencyStepIn(msgspec.Struct, frozen=True, kw_only=True):
    """一步已完成 (1-based, in the checklist's order)."""

    step: StepNo


class EmergencyEndIn(msgspec.Struct, frozen=True, kw_only=True):
    note: LongText = ""


class EmergencyStepView(msgspec.Struct, frozen=True, kw_only=True):
    step: int
    text: str
    done_at: datetime | None = None
    done_by: str = ""


class EmergencyView(msgspec.Struct, frozen=True, kw_only=True):
    """One emergency record: the checklist with which steps were done, when, by whom."""

    id: str
    number: str  # YJ-20261123-001
    kind: EmergencyKind
    title: str
    source: str
    started_at: datetime
    started_by: str
    note: str
    steps: list[EmergencyStepView]
    done: int
    ended_at: datetime | None = None
