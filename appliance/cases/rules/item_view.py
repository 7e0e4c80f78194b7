"""Mapping a catalogue item onto ``ItemRules`` (R-S1 → R-K2).

The catalogue (``appliance.catalogue.rules.ItemSpec``) speaks in Chinese labels
(“即办件”, “检验”) and unnamed materials; the case machine wants enums and material
codes. ``rules_from_item`` accepts anything shaped like an ``ItemSpec`` (a Protocol,
so this module imports nothing from the catalogue) and numbers the materials
``M1``, ``M2``, … in catalogue order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from appliance.cases.rules.materials import (
    ITEM_KIND_LABELS,
    SPECIAL_PROCEDURE_LABELS,
    ItemKind,
    ItemRules,
    MaterialRule,
    SpecialProcedure,
)
from appliance.core.errors import Invalid

_KINDS = {label: kind for kind, label in ITEM_KIND_LABELS.items()}
_PROCS = {label: proc for proc, label in SPECIAL_PROCEDURE_LABELS.items()}


class MaterialLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def form(self) -> str: ...  # original | copy | both
    @property
    def count(self) -> int: ...
    @property
    def required(self) -> bool: ...
    @property
    def tolerable(self) -> bool: ...


class ItemLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def promised_days(self) -> int: ...
    @property
    def allows_tolerant(self) -> bool: ...
    @property
    def allows_notify_commit(self) -> bool: ...
    @property
    def special_procedures(self) -> Sequence[str]: ...
    @property
    def department(self) -> str: ...
    @property
    def materials(self) -> Sequence[MaterialLike]: ...


def item_kind(label: str) -> ItemKind:
    """“即办件” / “承诺件” / “上报件” (or the English value) → ``ItemKind``."""
    if label in _KINDS:
        return _KINDS[label]
    try:
        return ItemKind(label)
    except ValueError:
        raise Invalid(f"办件类型“{label}”无法识别", "bad_item") from None


def special_procedure(label: str) -> SpecialProcedure:
    """“检验” / “专家评审” / “听证” (or the English value) → ``SpecialProcedure``."""
    if label in _PROCS:
        return _PROCS[label]
    try:
        return SpecialProcedure(label)
    except ValueError:
        raise Invalid(f"特别程序“{label}”无法识别", "bad_item") from None


def rules_from_item(item: ItemLike) -> ItemRules:
    """The case machine's view of a catalogue item."""
    kind = item_kind(item.kind)
    materials = tuple(
        MaterialRule(
            code=f"M{i}",
            name=m.name,
            required=m.required,
            may_be_missing=m.tolerable,
            original=m.form in ("original", "both"),
            count=m.count,
        )
        for i, m in enumerate(item.materials, start=1)
    )
    return ItemRules(
        code=item.code,
        name=item.name,
        kind=kind,
        promised_days=0 if kind is ItemKind.IMMEDIATE else item.promised_days,
        materials=materials,
        allows_tolerant=item.allows_tolerant,
        allows_commitment=item.allows_notify_commit,
        special_procedures=frozenset(special_procedure(p) for p in item.special_procedures),
        deciding_body=item.department,
    )
