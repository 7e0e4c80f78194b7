"""What the case API returns: summaries, the case with its timeline, one step's result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from appliance.cases.rules.deadlines import DueStatus, DueView
from appliance.cases.rules.item_view import rules_from_item
from appliance.cases.rules.materials import ItemRules, MaterialMark
from appliance.cases.rules.records import Applicant, OtherPlace, OtherPlaceKind
from appliance.cases.rules.states import STATE_LABELS, CaseState
from appliance.cases.tables import CaseRecord
from appliance.catalogue.service.catalogue import ItemDetail
from appliance.core.errors import NotFound


def case_row(s: Session, case_number: str) -> CaseRecord:
    """The stored case of a case number (spaces and case ignored); 404 in Chinese."""
    row = s.exec(
        select(CaseRecord).where(CaseRecord.case_number == case_number.strip().upper())
    ).first()
    if row is None:
        raise NotFound(f"找不到办件编号为“{case_number}”的办件", "unknown_case")
    return row


# ---- views --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionView:
    action: str
    label: str


@dataclass(frozen=True)
class TransitionView:
    seq: int
    action: str
    action_label: str
    from_state: str
    to_state: str
    who: str
    at: datetime
    why: str
    details: dict[str, str]


@dataclass(frozen=True)
class MaterialLineView:
    code: str
    name: str
    required: bool
    tolerable: bool
    status: str
    status_label: str
    note: str


@dataclass(frozen=True)
class CaseSummary:
    case_number: str
    item_code: str
    item_name: str
    state: str
    state_label: str
    applicant_name: str
    phone: str  # masked
    due_on: str | None
    due_provisional: bool
    created_at: datetime
    due_status: str = "not_running"  # domain.cases.deadlines.DueStatus
    due_status_label: str = ""
    working_days_left: int | None = None  # negative when overdue
    urgency: str = ""  # overdue (red) / soon (amber: ≤ 2 working days) / "" (normal)


@dataclass(frozen=True)
class CaseDetail:
    case_number: str
    item_code: str
    item_name: str
    state: str
    state_label: str
    channel: str
    applicant: dict[str, Any]
    materials: list[MaterialLineView]
    received_on: date
    accepted_on: date | None
    due_on: str | None
    due_provisional: bool
    ticket_id: str | None
    timeline: list[TransitionView]
    legal_actions: list[ActionView]
    # 容缺失信: earlier cases of this applicant whose 容缺 commitment lapsed (R-K2)
    applicant_flags: list[str] = field(default_factory=list)
    # 异地办件 (R-K8): {"kind": cross_region|collect, "label": 跨域通办|代收, "place": …}
    other_place: dict[str, str] | None = None


@dataclass(frozen=True)
class StepResult:
    """What one action did: the case after it, the notices queued, whether an SMS went."""

    case: CaseDetail
    notices: list[str]
    print_job_ids: list[str]
    sms_queued: bool


@dataclass(frozen=True)
class _Item:
    """A catalogue ``ItemDetail`` shaped as ``item_view.ItemLike``."""

    code: str
    name: str
    kind: str
    promised_days: int
    allows_tolerant: bool
    allows_notify_commit: bool
    special_procedures: tuple[str, ...]
    department: str
    materials: Sequence[Any]


def item_rules(detail: ItemDetail) -> ItemRules:
    return rules_from_item(
        _Item(
            detail.code,
            detail.name,
            detail.kind,
            detail.promised_days,
            detail.allows_tolerant,
            detail.allows_notify_commit,
            tuple(detail.special_procedures),
            detail.department,
            detail.materials,
        )
    )


OTHER_PLACE_LABELS = {OtherPlaceKind.CROSS_REGION: "跨域通办", OtherPlaceKind.COLLECT: "代收"}


def other_place_json(o: OtherPlace | None) -> dict[str, str] | None:
    if o is None:
        return None
    return {"kind": o.kind.value, "label": OTHER_PLACE_LABELS[o.kind], "place": o.place}


def applicant_json(a: Applicant) -> dict[str, Any]:
    return {
        "kind": a.kind.value,
        "name": a.name,
        "id_number": a.id_number,
        "phone": a.phone,
        "agent": None
        if a.agent is None
        else {
            "name": a.agent.name,
            "id_number": a.agent.id_number,
            "phone": a.agent.phone,
        },
    }


def materials_json(lines: Sequence[MaterialMark]) -> list[dict[str, Any]]:
    return [
        {"code": m.rule.code, "name": m.rule.name, "status": m.status.value, "note": m.note}
        for m in lines
    ]


SOON_WORKING_DAYS = 2  # amber in "my cases" (issue 5: due within 2 working days)


def urgency(view: DueView) -> str:
    """``overdue`` (red) past the 办结期限, ``soon`` (amber) within 2 working days, else ""."""
    if view.status is DueStatus.OVERDUE:
        return "overdue"
    if view.status in (DueStatus.ON_TRACK, DueStatus.DUE_SOON) and (
        view.working_days_left is not None and view.working_days_left <= SOON_WORKING_DAYS
    ):
        return "soon"
    return ""


def state_label(value: str) -> str:
    try:
        return STATE_LABELS[CaseState(value)]
    except ValueError:
        return value
