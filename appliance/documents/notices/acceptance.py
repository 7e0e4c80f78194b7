"""受理通知书 (acceptance notice, XC 附录 E) and 收件凭证 (receipt of materials).

HN-3 6.5.4: the item, the receiver, the materials received, the time limit and the date of
receipt, with the station's seal. R-K2: printed 一式二份.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from appliance.documents.notices.common import (
    CaseInfo,
    Deadline,
    Material,
    applicant_rows,
    application,
    case_notice,
    material_list,
    phone_rows,
    special_rows,
)
from appliance.documents.pdf import Notice, chinese_date

RECEIPT_FOOTER = "本凭证一式二份，申请人、受理单位各执一份。"  # a 凭证, not a 通知书


@dataclass(frozen=True)
class AcceptanceData:
    """受理通知书: the case, the materials received and the promised time limit (承诺时限).

    ``immediate`` marks a 即办件 (due the same day); otherwise ``time_limit_days`` working days
    end on ``deadline`` (provisional when the holiday calendar lacks that year).
    """

    case: CaseInfo
    materials_received: Sequence[Material]
    deadline: Deadline
    time_limit_days: int = 0
    immediate: bool = False
    pickup_hint: str = "请凭本通知书到本站领取办理结果，或扫描下方二维码查询办件进度。"


def _time_limit(data: AcceptanceData) -> str:
    if data.immediate:
        return f"即办件，当日办结（{chinese_date(data.deadline.day)}）"
    days = f"{data.time_limit_days}个工作日，" if data.time_limit_days else ""
    return f"{days}{data.deadline.text()}办结"


def build_acceptance(data: AcceptanceData) -> Notice:
    """受理通知书 for an accepted case."""
    case = data.case
    you = case.applicant.you
    if data.immediate:
        limit = "本事项为即办件，当日办结。"
    else:
        days = f"{data.time_limit_days}个工作日（不含法定节假日）" if data.time_limit_days else ""
        limit = f"承诺办结时限为{days}，将于{data.deadline.text()}办结。"
    body = [
        f"{you}于{chinese_date(case.received)}提交的{application(case.item_name)}，经审查，申请材料齐全、"
        "符合法定形式，本站决定予以受理。",
        limit + data.pickup_hint,
    ]
    rows = [
        *applicant_rows(case),
        ("已收材料", material_list(data.materials_received)),
        ("承诺时限", _time_limit(data)),
        *special_rows(case),
        *phone_rows(case),
    ]
    return case_notice("受理通知书", case, body, rows)


@dataclass(frozen=True)
class ReceiptData:
    """收件凭证: materials taken in at the station, decided here or passed on (转报).

    ``forward_to`` names the department or county office that decides (审批/受理部门);
    ``forward_by`` is when the station hands the materials over. Without ``forward_to`` the
    station decides itself, by ``decide_by`` (受理期限; undecided past it counts as
    accepted from the day of receipt, R-K2). ``proof_only`` adds that the receipt is not
    an acceptance (False for materials supplied to a case already accepted).
    """

    case: CaseInfo
    materials_received: Sequence[Material]
    forward_to: str = ""
    forward_by: Deadline | None = None
    expected_result: Deadline | None = None
    notes: Sequence[str] = field(default_factory=tuple)
    decide_by: Deadline | None = None
    proof_only: bool = True


def _receipt_next(data: ReceiptData) -> str:
    if data.forward_to:
        when = f"于{data.forward_by.text()}" if data.forward_by else "及时"
        return f"本站将{when}报送{data.forward_to}审查，审查结果将另行通知。"
    if data.decide_by:
        return (
            f"本站将于{data.decide_by.text()}作出是否受理的决定并书面告知；逾期未作决定的，"
            "自收到申请材料之日起即为受理。"
        )
    return ""


def build_receipt(data: ReceiptData) -> Notice:
    """收件凭证 for materials received (at intake, after 补正, or 代收 for another office)."""
    case = data.case
    count = sum(m.count for m in data.materials_received)
    proof = "本凭证仅证明材料已收讫，不代表申请已被受理。" if data.proof_only else ""
    body = [
        f"本站于{chinese_date(case.received)}收到{case.applicant.you}提交的{application(case.item_name)}材料共{len(data.materials_received)}"
        f"种{count}份（清单见下表），{_receipt_next(data)}{proof}",
        *data.notes,
    ]
    rows = [
        *applicant_rows(case),
        ("已收材料", material_list(data.materials_received)),
    ]
    if data.forward_to:
        rows.append(("报送单位", data.forward_to))
    elif data.decide_by:
        rows.append(("受理期限", data.decide_by.text()))
    if data.expected_result:
        rows.append(("预计办结", data.expected_result.text()))
    rows += [*special_rows(case), *phone_rows(case)]
    return case_notice("收件凭证", case, body, rows, footer=RECEIPT_FOOTER)
