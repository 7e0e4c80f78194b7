"""The case file (办件, R-K1): intake data, checklist, decisions and their history.

A ``CaseFile`` is immutable; every action returns a new one with one more
``Transition`` in ``history`` (see ``machine.perform``). The service layer stores it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from appliance.cases.rules.materials import (
    Checklist,
    ItemKind,
    ItemRules,
    MaterialStatus,
    mark,
    new_checklist,
)
from appliance.cases.rules.records import (
    Applicant,
    Channel,
    Correction,
    Delivery,
    Extension,
    Handover,
    NotifyCommitment,
    OtherPlace,
    Outcome,
    Refusal,
    TolerantCommitment,
    Transition,
)
from appliance.cases.rules.states import STATE_LABELS, CaseState
from appliance.cases.rules.working_days import Stop
from appliance.core.errors import Conflict, Invalid


class AcceptMode:
    """How the case was accepted (受理方式); plain strings, stored as is."""

    NORMAL = "normal"  # 受理
    AUTO = "auto"  # 逾期视为受理
    TOLERANT = "tolerant"  # 容缺受理
    COMMITMENT = "commitment"  # 告知承诺


@dataclass(frozen=True)
class CaseFile:
    """办件."""

    number: str
    item: ItemRules
    applicant: Applicant
    channel: Channel
    received_at: datetime
    received_on: date  # local date of receipt (收件日期)
    materials: Checklist
    state: CaseState = CaseState.RECEIVED
    other_place: OtherPlace | None = None  # 通办 / 代收 (R-K8)
    accepted_on: date | None = None
    accept_mode: str = ""
    resume_state: CaseState | None = None  # where END_SPECIAL returns to
    correction: Correction | None = None
    refusal: Refusal | None = None
    tolerant: TolerantCommitment | None = None
    commitment: NotifyCommitment | None = None
    stops: tuple[Stop, ...] = ()
    extensions: tuple[Extension, ...] = ()
    handovers: tuple[Handover, ...] = ()
    outcome: Outcome | None = None
    result_arrived_on: date | None = None
    pickup_notified_on: date | None = None
    delivery: Delivery | None = None
    delivered_on: date | None = None
    applicant_flagged: bool = False  # 容缺逾期未补齐 → 失信标记 (R-K2)
    history: tuple[Transition, ...] = ()

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def needs_forwarding(self) -> bool:
        """上报件 and 通办/代收 cases are decided elsewhere: forward before any outcome."""
        return self.item.kind is ItemKind.FORWARDED or self.other_place is not None

    @property
    def forwarded(self) -> bool:
        return bool(self.handovers)

    @property
    def last(self) -> Transition | None:
        return self.history[-1] if self.history else None


def open_case(
    *,
    number: str,
    item: ItemRules,
    applicant: Applicant,
    channel: Channel,
    received_at: datetime,
    received_on: date,
    other_place: OtherPlace | None = None,
    marks: Mapping[str, tuple[MaterialStatus, str]] | None = None,
) -> CaseFile:
    """A new case in ``RECEIVED`` (收件) with the item's checklist (R-K1, R-K8)."""
    if received_at.tzinfo is None:
        raise Invalid("收件时间须带时区", "naive_time")
    checklist = new_checklist(item)
    if marks:
        checklist = mark(checklist, marks)
    return CaseFile(
        number=number,
        item=item,
        applicant=applicant,
        channel=channel,
        received_at=received_at,
        received_on=received_on,
        materials=checklist,
        other_place=other_place,
    )


def mark_materials(case: CaseFile, updates: Mapping[str, tuple[MaterialStatus, str]]) -> CaseFile:
    """Re-mark checklist lines during intake (收件核对); only before any decision."""
    if case.state is not CaseState.RECEIVED:
        raise Conflict(
            f"办件 {case.number} 当前状态为“{case.state_label}”，材料清单只能在收件时修改；"
            "补正材料请用“补正材料提交”，容缺材料请用“补齐容缺材料”",
            "checklist_locked",
        )
    return replace(case, materials=mark(case.materials, updates))
