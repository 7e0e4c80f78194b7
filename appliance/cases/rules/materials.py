"""Item rules and the materials checklist (材料清单, R-K1, R-S1).

``ItemRules`` is the case machine's view of a catalogue item (事项): the catalogue
engineer's records map onto it field by field, so the machine never reads the
catalogue itself. The checklist marks each of the item's materials as received,
missing or defective (已收 / 缺 / 有瑕疵) with a note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from appliance.core.errors import Invalid


class ItemKind(StrEnum):
    """办件类型 (R-S1)."""

    IMMEDIATE = "immediate"  # 即办件: due the same day
    PROMISED = "promised"  # 承诺件: due N working days after acceptance
    FORWARDED = "forwarded"  # 上报件: decided by a department or the county


ITEM_KIND_LABELS: dict[ItemKind, str] = {
    ItemKind.IMMEDIATE: "即办件",
    ItemKind.PROMISED: "承诺件",
    ItemKind.FORWARDED: "上报件",
}


class SpecialProcedure(StrEnum):
    """特别程序 that stop the clock (R-S1, R-K3)."""

    INSPECTION = "inspection"  # 检验（检测、检疫、鉴定）
    EXPERT_REVIEW = "expert_review"  # 专家评审
    HEARING = "hearing"  # 听证


SPECIAL_PROCEDURE_LABELS: dict[SpecialProcedure, str] = {
    SpecialProcedure.INSPECTION: "检验",
    SpecialProcedure.EXPERT_REVIEW: "专家评审",
    SpecialProcedure.HEARING: "听证",
}


@dataclass(frozen=True)
class MaterialRule:
    """One material the item asks for (申请材料).

    ``may_be_missing`` marks a secondary material that 容缺受理 may accept later; a
    required material without it is a *main* material (主要申请材料).
    """

    code: str
    name: str
    required: bool = True
    may_be_missing: bool = False
    original: bool = False  # 原件 (else 复印件)
    count: int = 1

    @property
    def is_main(self) -> bool:
        """主要申请材料: required and not tolerable under 容缺."""
        return self.required and not self.may_be_missing


@dataclass(frozen=True)
class ItemRules:
    """The rules of one catalogue item (事项) that drive a case."""

    code: str
    name: str
    kind: ItemKind
    promised_days: int  # 承诺时限, working days; 0 for 即办件
    materials: tuple[MaterialRule, ...]
    allows_tolerant: bool = False  # 容缺受理
    allows_commitment: bool = False  # 告知承诺
    special_procedures: frozenset[SpecialProcedure] = frozenset()
    deciding_body: str = ""  # 上报件的决定机关
    extensions_allowed: int = 1  # 延期 a case of this item may have (R-K3)

    def __post_init__(self) -> None:
        if self.promised_days < 0:
            raise Invalid(f"事项“{self.name}”的承诺时限不能为负数", "bad_item")
        codes = [m.code for m in self.materials]
        if len(set(codes)) != len(codes):
            raise Invalid(f"事项“{self.name}”的材料编码重复", "bad_item")

    def material(self, code: str) -> MaterialRule:
        for m in self.materials:
            if m.code == code:
                return m
        raise Invalid(f"事项“{self.name}”没有编码为 {code} 的材料", "unknown_material")


class MaterialStatus(StrEnum):
    """材料收取情况."""

    RECEIVED = "received"  # 已收
    MISSING = "missing"  # 缺
    DEFECTIVE = "defective"  # 有瑕疵（不符合法定形式）


MATERIAL_STATUS_LABELS: dict[MaterialStatus, str] = {
    MaterialStatus.RECEIVED: "已收",
    MaterialStatus.MISSING: "缺",
    MaterialStatus.DEFECTIVE: "有瑕疵",
}


@dataclass(frozen=True)
class MaterialMark:
    """One checklist line: a material and how it stands (材料清单条目)."""

    rule: MaterialRule
    status: MaterialStatus = MaterialStatus.MISSING
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status is MaterialStatus.RECEIVED


@dataclass(frozen=True)
class CorrectionLine:
    """One line of a 补正通知书: what to supply or fix, and why."""

    code: str
    name: str
    status: MaterialStatus
    note: str

    def text(self) -> str:
        what = "补交" if self.status is MaterialStatus.MISSING else "更正"
        tail = f"（{self.note}）" if self.note else ""
        return f"{what}：{self.name}{tail}"


Checklist = tuple[MaterialMark, ...]


def new_checklist(item: ItemRules) -> Checklist:
    """A fresh checklist with every material of the item marked missing."""
    return tuple(MaterialMark(rule=m) for m in item.materials)


def mark(checklist: Checklist, updates: Mapping[str, tuple[MaterialStatus, str]]) -> Checklist:
    """The checklist with the given materials (by code) re-marked ``(status, note)``."""
    known = {m.rule.code for m in checklist}
    unknown = sorted(set(updates) - known)
    if unknown:
        raise Invalid(f"材料清单中没有这些材料：{'、'.join(unknown)}", "unknown_material")
    out: list[MaterialMark] = []
    for line in checklist:
        if line.rule.code in updates:
            status, note = updates[line.rule.code]
            if status is MaterialStatus.DEFECTIVE and not note.strip():
                raise Invalid(f"材料“{line.rule.name}”有瑕疵，须注明问题", "defect_note_required")
            out.append(replace(line, status=status, note=note.strip()))
        else:
            out.append(line)
    return tuple(out)


def missing_required(checklist: Iterable[MaterialMark]) -> list[MaterialMark]:
    """Required materials not (properly) received: missing or defective."""
    return [m for m in checklist if m.rule.required and not m.ok]


def missing_main(checklist: Iterable[MaterialMark]) -> list[MaterialMark]:
    """主要申请材料 not properly received (these block 容缺受理)."""
    return [m for m in checklist if m.rule.is_main and not m.ok]


def main_materials_complete(checklist: Iterable[MaterialMark]) -> bool:
    """Every required main material is received (the 容缺受理 precondition)."""
    return not missing_main(checklist)


def correction_list(checklist: Iterable[MaterialMark]) -> list[CorrectionLine]:
    """Every material to supply or fix (补正清单, R-K2: **all** of them, at once).

    Required materials that are missing, and any received-but-defective material,
    required or not (a defective optional paper must be fixed or withdrawn).
    """
    out: list[CorrectionLine] = []
    for m in checklist:
        needs = (m.rule.required and m.status is MaterialStatus.MISSING) or (
            m.status is MaterialStatus.DEFECTIVE
        )
        if needs:
            out.append(CorrectionLine(m.rule.code, m.rule.name, m.status, m.note))
    return out


def names(lines: Iterable[MaterialMark]) -> str:
    return "、".join(m.rule.name for m in lines)
