"""延期告知书 (extension notice, R-K3; JC 附件4; XC 限时办结).

A time limit is extended only with a reason told to the applicant in writing: the reason, the
extra working days and the new deadline (provisional when the holiday calendar lacks the
year).
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.documents.notices.common import (
    CaseInfo,
    Deadline,
    applicant_rows,
    application,
    case_notice,
    phone_rows,
)
from appliance.documents.pdf import Notice, chinese_date


@dataclass(frozen=True)
class ExtensionData:
    """延期告知书: why, by how many working days, the old and the new 办结期限."""

    case: CaseInfo
    reason: str
    days: int
    new_deadline: Deadline
    old_deadline: Deadline | None = None
    legal_basis: str = ""

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("延期告知书必须写明延期理由")
        if self.days <= 0:
            raise ValueError("延期天数须为正整数（工作日）")


def build_extension(data: ExtensionData) -> Notice:
    """延期告知书 with the reason and the new deadline."""
    case = data.case
    you = case.applicant.you
    old = f"原定的{data.old_deadline.text()}" if data.old_deadline else "原承诺期限内"
    basis = f"根据{data.legal_basis}的规定，" if data.legal_basis else ""
    body = [
        f"{you}于{chinese_date(case.received)}提交的{application(case.item_name)}，因{data.reason}，"
        f"不能在{old}办结。",
        f"{basis}办理期限延长{data.days}个工作日（不含法定节假日），"
        f"将于{data.new_deadline.text()}办结。特此告知，给{you}带来不便，敬请谅解。",
        "可扫描下方二维码或致电本站查询办件进度。",
    ]
    rows = [*applicant_rows(case), ("延期理由", data.reason), ("延长时限", f"{data.days}个工作日")]
    if data.old_deadline:
        rows.append(("原办结期限", data.old_deadline.text()))
    rows += [("新办结期限", data.new_deadline.text()), *phone_rows(case)]
    return case_notice("延期告知书", case, body, rows)
