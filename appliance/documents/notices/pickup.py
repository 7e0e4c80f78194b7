"""取件通知 (pickup notice): the result has arrived at the station (R-K6; HLJ 7.5.2).

Sent within 1 working day of the result's arrival; tells the applicant what to collect, where,
when and what to bring (ID, the acceptance notice; an agent also brings a power of attorney).
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

BRING = (
    "申请人本人身份证原件和受理通知书；委托他人代领的，另需代领人身份证原件和申请人签名的委托书。"
)


@dataclass(frozen=True)
class PickupData:
    """取件通知: the result (准予 / 不予批准 and the documents), where and when to collect it.

    ``pickup_by`` is the last day to collect before the result is sent back (退回);
    ``mail_option`` tells the applicant they may ask for mail delivery instead.
    """

    case: CaseInfo
    result: str  # e.g. 高龄津贴享受证1本，自2027年2月起按月发放
    arrived_on: Deadline | None = None
    approved: bool = True
    pickup_place: str = ""  # defaults to the receiver's window
    pickup_hours: str = "工作日 上午8:30—12:00，下午14:30—17:30"
    pickup_by: Deadline | None = None
    bring: str = BRING
    mail_option: bool = True


def build_pickup(data: PickupData) -> Notice:
    """取件通知 for a case whose result is at the station."""
    case = data.case
    you = case.applicant.you
    place = data.pickup_place or f"{case.station_name}{case.receiver.window}"
    outcome = "已办理完毕" if data.approved else "已作出不予批准的决定"
    body = [
        f"{you}于{chinese_date(case.received)}提交的{application(case.item_name)}{outcome}，办理结果已送达本站。"
        f"请携带{data.bring}到{place}领取。",
    ]
    if not data.approved:
        body.append(
            f"不予批准的理由写在决定书中。{you}对决定不服的，可以依法申请行政复议或者提起"
            "行政诉讼，期限和受理机关见决定书。"
        )
    if data.pickup_by:
        body.append(f"请于{data.pickup_by.text()}领取；逾期未领取的，办理结果将退回审批部门存档。")
    if data.mail_option:
        body.append("如需邮寄送达，请致电本站登记收件地址，邮寄后将短信告知快递单号。")
    rows = [*applicant_rows(case)]
    rows += [
        ("办理结果", ("准予" if data.approved else "不予批准") + f"：{data.result}"),
    ]
    if data.arrived_on:
        rows.append(("结果到站日期", data.arrived_on.text(suffix="")))
    rows += [("领取时间", data.pickup_hours), *phone_rows(case)]
    return case_notice("取件通知", case, body, rows)
