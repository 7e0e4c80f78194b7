"""交接单 (handover record, R-K4, R-K8; HLJ 7.3; XC 综合受理服务).

When a case is forwarded (上报 / 流转) to the department or county that decides it, the
station and the receiving body each keep a signed copy: which body, who handed over, who
received, which materials (原件/复印件 and count), and the date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from appliance.documents.notices.common import (
    CaseInfo,
    Deadline,
    Material,
    applicant_rows,
    application,
    case_notice,
    material_list,
)
from appliance.documents.pdf import Notice, chinese_date

HANDOVER_FOOTER = "本交接单一式二份，移交单位、接收单位各执一份，随办件归档。"
SIGN = "＿＿＿＿＿＿＿＿"


@dataclass(frozen=True)
class HandoverData:
    """交接单: the case, the receiving body (接收单位) and person (接收人), the materials.

    ``handed_by`` is the staff member who hands the file over (移交人); ``other_place`` names
    the place a 通办/代收 case is decided in; ``expected_result`` is the 办结期限 the
    receiving body works to.
    """

    case: CaseInfo
    to_body: str
    handed_by: str
    received_by: str
    materials: Sequence[Material]
    on: date
    note: str = ""
    other_place: str = ""
    expected_result: Deadline | None = None

    def __post_init__(self) -> None:
        if not self.to_body.strip() or not self.received_by.strip():
            raise ValueError("交接单必须写明接收单位和接收人")
        if not self.materials:
            raise ValueError("交接单至少列出一项移交材料")


def build_handover(data: HandoverData) -> Notice:
    """交接单 for a forwarded case, signed by both sides."""
    case = data.case
    count = sum(m.count for m in data.materials)
    body = [
        f"{case.applicant.name}于{chinese_date(case.received)}在本站提交的"
        f"{application(case.item_name)}，本站于{chinese_date(data.on)}将申请材料共"
        f"{len(data.materials)}种{count}份（清单见下表）移交{data.to_body}办理，"
        f"由{data.received_by}当面清点接收。办结后请将办理结果送回本站，由本站通知申请人。",
    ]
    if data.other_place:
        body.append(f"本件为异地办件，办理地：{data.other_place}。")
    # 受理人 is left out: the 移交人 row names who hands the file over; the date is the
    # notice's own (body and signature block)
    rows = [row for row in applicant_rows(case) if row[0] != "受理人"]
    rows += [
        ("接收单位", data.to_body),
        ("移交人", f"{data.handed_by}　签名：{SIGN}"),
        ("接收人", f"{data.received_by}　签名：{SIGN}"),
        ("移交材料", material_list(data.materials)),
    ]
    if data.expected_result:
        rows.append(("办结期限", data.expected_result.text()))
    if data.note:
        rows.append(("备注", data.note))
    return case_notice("交接单", case, body, rows, addressee=data.to_body, footer=HANDOVER_FOOTER)
