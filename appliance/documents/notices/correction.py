"""补正通知书 / 一次性告知书 (correction notice, XC 附录 G; HN-3 6.5.3 b).

Lists **all** missing or defective materials at once, in writing (never verbal only), with the
deadline to bring them and what happens if the deadline passes (R-K2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from appliance.documents.notices.common import (
    CaseInfo,
    Deadline,
    Material,
    applicant_rows,
    application,
    case_notice,
    material_list,
    numbered,
    phone_rows,
)
from appliance.documents.pdf import Notice, chinese_date


@dataclass(frozen=True)
class CorrectionData:
    """补正通知书: missing materials (缺少), defective ones (``Material.note`` says what is
    wrong: 模糊不清, 已过期 …), what was received, and the deadline to correct.

    ``title`` may be 一次性告知书 (XC's name for the same document).
    """

    case: CaseInfo
    missing: Sequence[Material]
    defective: Sequence[Material]
    deadline: Deadline
    materials_received: Sequence[Material] = field(default_factory=tuple)
    title: Literal["补正通知书", "一次性告知书"] = "补正通知书"
    consequence: str = "逾期未补齐补正的，视为申请人撤回申请，本站将终止办理并退还已收材料。"

    def __post_init__(self) -> None:
        if not self.missing and not self.defective:
            raise ValueError("补正通知书至少列出一项缺少或需补正的材料")


def _to_correct(data: CorrectionData) -> str:
    lines = [f"{m.describe(with_note=False)}（缺少）" for m in data.missing]
    for m in data.defective:
        problem = m.note or "不符合要求"
        lines.append(f"{m.describe(with_note=False)}（需补正：{problem}）")
    return numbered(lines)


def build_correction(data: CorrectionData) -> Notice:
    """补正通知书 listing every missing or defective material and the deadline."""
    case = data.case
    you = case.applicant.you
    total = len(data.missing) + len(data.defective)
    body = [
        f"{you}于{chinese_date(case.received)}提交的{application(case.item_name)}，经审查，申请材料不齐全"
        f"或者不符合法定形式。现一次性告知{you}需补齐补正的全部内容共{total}项（见下表）。",
        f"请于{data.deadline.text()}携带本通知书和上述材料到本站补齐补正，材料齐全、符合法定"
        "形式的，本站即予受理。本站不会要求提交本通知书所列以外的材料。",
        data.consequence,
    ]
    rows = [
        *applicant_rows(case),
    ]
    if data.materials_received:
        rows.append(("已收材料", material_list(data.materials_received)))
    rows += [
        ("需补齐补正材料", _to_correct(data)),
        ("补正期限", data.deadline.text()),
        *phone_rows(case),
    ]
    return case_notice(data.title, case, body, rows)
