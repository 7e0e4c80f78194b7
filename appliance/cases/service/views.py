"""The domain case as the case API shows it (``appliance.cases.schemas``), and the JSON of
the list columns of ``case_file`` (applicant, materials).

Pure mapping, plus ``case_row`` (the stored case of a number, 404 in Chinese). Building
the whole ``CaseDetail`` (with its timeline and flags, read from the database) is
``reads.detail_of``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, select

from appliance.cases.rules.deadlines import DueStatus, DueView
from appliance.cases.rules.item_view import rules_from_item
from appliance.cases.rules.materials import MATERIAL_STATUS_LABELS, ItemRules, MaterialMark
from appliance.cases.rules.records import Applicant, ApplicantKind, OtherPlace, OtherPlaceKind
from appliance.cases.rules.states import ACTION_LABELS, Action, CaseState
from appliance.cases.schemas import (
    ActionView,
    AgentView,
    ApplicantView,
    MaterialLineView,
    OtherPlaceView,
    TransitionView,
    Urgency,
)
from appliance.cases.tables import CaseRecord, CaseTransitionRecord
from appliance.catalogue.schemas import ItemDetail
from appliance.core.errors import NotFound
from appliance.core.identity import IdType


def case_row(s: Session, case_number: str) -> CaseRecord:
    """The stored case of a case number (spaces and case ignored); 404 in Chinese."""
    row = s.exec(
        select(CaseRecord).where(CaseRecord.case_number == case_number.strip().upper())
    ).first()
    if row is None:
        raise NotFound(f"找不到办件编号为“{case_number}”的办件", "unknown_case")
    return row


def item_rules(detail: ItemDetail) -> ItemRules:
    """The catalogue item as the case machine sees it (materials numbered M1, M2 …)."""
    return rules_from_item(detail)


# ---- views of the domain --------------------------------------------------------------------
OTHER_PLACE_LABELS = {OtherPlaceKind.CROSS_REGION: "跨域通办", OtherPlaceKind.COLLECT: "代收"}


def other_place_view(o: OtherPlace | None) -> OtherPlaceView | None:
    if o is None:
        return None
    return OtherPlaceView(kind=o.kind, label=OTHER_PLACE_LABELS[o.kind], place=o.place)


def id_type_of(a: Applicant) -> IdType:
    """证件类型: as chosen at intake, else (older cases) by the applicant's kind."""
    if a.id_type is not None:
        return a.id_type
    return IdType.USCC if a.kind is ApplicantKind.ORGANISATION else IdType.RESIDENT


def applicant_view(a: Applicant) -> ApplicantView:
    agent = a.agent
    return ApplicantView(
        kind=a.kind,
        name=a.name,
        id_number=a.id_number,
        id_type=id_type_of(a),
        phone=a.phone,
        agent=None
        if agent is None
        else AgentView(
            name=agent.name, id_number=agent.id_number, phone=agent.phone, id_type=agent.id_type
        ),
    )


def material_lines(lines: Sequence[MaterialMark]) -> list[MaterialLineView]:
    return [
        MaterialLineView(
            code=m.rule.code,
            name=m.rule.name,
            required=m.rule.required,
            tolerable=m.rule.may_be_missing,
            status=m.status,
            status_label=MATERIAL_STATUS_LABELS[m.status],
            note=m.note,
        )
        for m in lines
    ]


def transition_view(t: CaseTransitionRecord) -> TransitionView:
    action = Action(t.action)
    return TransitionView(
        seq=t.seq,
        action=action,
        action_label=ACTION_LABELS[action],
        from_state=CaseState(t.from_state),
        to_state=CaseState(t.to_state),
        who=t.who,
        at=t.at,
        why=t.why,
        details=json.loads(t.details),
    )


def action_views(actions: Sequence[Action]) -> list[ActionView]:
    return [ActionView(action=a, label=ACTION_LABELS[a]) for a in actions]


SOON_WORKING_DAYS = 2  # amber in "my cases" (issue 5: due within 2 working days)


def urgency(view: DueView) -> Urgency:
    """``overdue`` (red) past the 办结期限, ``soon`` (amber) within 2 working days, else ""."""
    if view.status is DueStatus.OVERDUE:
        return "overdue"
    if view.status in (DueStatus.ON_TRACK, DueStatus.DUE_SOON) and (
        view.working_days_left is not None and view.working_days_left <= SOON_WORKING_DAYS
    ):
        return "soon"
    return ""


# ---- the JSON of the list columns (storage, not the API) ------------------------------------
def applicant_json(a: Applicant) -> dict[str, Any]:
    """``case_file.applicant``: the applicant as entered (the lists read name and phone)."""
    return {
        "kind": a.kind.value,
        "name": a.name,
        "id_number": a.id_number,
        "id_type": id_type_of(a).value,
        "phone": a.phone,
        "agent": None
        if a.agent is None
        else {
            "name": a.agent.name,
            "id_number": a.agent.id_number,
            "id_type": a.agent.id_type.value,
            "phone": a.agent.phone,
        },
    }


def materials_json(lines: Sequence[MaterialMark]) -> list[dict[str, Any]]:
    """``case_file.materials``: code, name, status and note of each checklist line."""
    return [
        {"code": m.rule.code, "name": m.rule.name, "status": m.status.value, "note": m.note}
        for m in lines
    ]
