"""不予受理通知书 (refusal notice, XC 附录 F; HN-3 6.5.3 d).

Carries the reason and tells the applicant, in XC's words, that they 依法享有申请行政复议或
提起行政诉讼的权利 — within 60 days (行政复议法 第二十条) or 6 months (行政诉讼法 第四十六条).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from appliance.documents.notices.common import (
    CaseInfo,
    Material,
    applicant_rows,
    application,
    case_notice,
    material_list,
    phone_rows,
)
from appliance.documents.pdf import Notice, chinese_date

REVIEW_DAYS = "六十日"
LAWSUIT_MONTHS = "六个月"


@dataclass(frozen=True)
class RefusalData:
    """不予受理通知书: the reason, its legal basis, and where to go instead.

    ``review_body`` is the 行政复议机关 and ``court`` the 人民法院 named in the rights sentence;
    ``redirect_to`` names the competent office when the item is not the station's to take.
    """

    case: CaseInfo
    reason: str
    legal_basis: str = ""
    redirect_to: str = ""
    materials_returned: Sequence[Material] = field(default_factory=tuple)
    review_body: str = "本级人民政府"
    court: str = "有管辖权的人民法院"

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("不予受理通知书必须写明理由")


def rights_text(review_body: str, court: str, you: str = "您") -> str:
    """The 权利告知 sentence (XC 一次性告知制度)."""
    return (
        f"如对本决定不服，{you}依法享有申请行政复议或提起行政诉讼的权利：可以自收到本通知书"
        f"之日起{REVIEW_DAYS}内向{review_body}申请行政复议，也可以自收到本通知书之日起"
        f"{LAWSUIT_MONTHS}内向{court}提起行政诉讼。"
    )


def build_refusal(data: RefusalData) -> Notice:
    """不予受理通知书 with the reason and the applicant's rights."""
    case = data.case
    you = case.applicant.you
    decision = f"{you}于{chinese_date(case.received)}提交的{application(case.item_name)}，经审查，"
    if data.legal_basis:
        decision += f"因{data.reason}，根据{data.legal_basis}的规定，本站决定不予受理。"
    else:
        decision += f"因{data.reason}，本站决定不予受理。"
    body = [decision]
    if data.redirect_to:
        body.append(f"请{you}向{data.redirect_to}提出申请。")
    if data.materials_returned:
        body.append(f"{you}提交的申请材料已全部退还（清单见下表），请当面核对。")
    body.append(rights_text(data.review_body, data.court, you))
    rows = [
        *applicant_rows(case),
        ("不予受理理由", data.reason),
    ]
    if data.materials_returned:
        rows.append(("退还材料", material_list(data.materials_returned)))
    rows += phone_rows(case)
    return case_notice("不予受理通知书", case, body, rows)
