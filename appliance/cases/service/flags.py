"""容缺失信 (R-K2; XC 容缺受理; GD 5.7.3): applicants who let a 容缺 commitment lapse.

The 容缺逾期 step writes a ``tolerant_default`` row in its own transaction; from then on
容缺受理 is barred for that ID number (``tolerant_bar`` → the state machine's ``barred``:
不再适用容缺办理) and every case of the applicant shows the record, so the window knows
before deciding.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.states import Action
from appliance.cases.tables import TolerantDefaultRecord


def record_default(
    s: Session, before: CaseFile, after: CaseFile, today: date, now: datetime
) -> bool:
    """Inside the step's transaction: note the lapse when this step flagged the applicant."""
    if before.applicant_flagged or not after.applicant_flagged:
        return False
    id_number = after.applicant.id_number.strip().upper()
    if not id_number:
        return False
    s.add(
        TolerantDefaultRecord(
            id_number=id_number,
            applicant_name=after.applicant.name,
            case_number=after.number,
            item_name=after.item.name,
            lapsed_on=today.isoformat(),
            created_at=now,
        )
    )
    return True


def defaults_of(s: Session, id_number: str, exclude: str = "") -> list[str]:
    """``办件号（事项，容缺逾期于 日期）`` for each lapse of this ID number, newest first."""
    key = id_number.strip().upper()
    if not key:
        return []
    rows = s.exec(
        select(TolerantDefaultRecord)
        .where(TolerantDefaultRecord.id_number == key)
        .order_by(col(TolerantDefaultRecord.lapsed_on).desc())
    ).all()
    return [
        f"{r.case_number}（{r.item_name}，容缺逾期于 {r.lapsed_on}）"
        for r in rows
        if r.case_number != exclude
    ]


def tolerant_bar(defaults: list[str]) -> dict[Action, str]:
    """容缺受理 barred for an applicant with a lapse on record (XC: 不再适用容缺办理)."""
    if not defaults:
        return {}
    return {
        Action.ACCEPT_TOLERANT: (
            f"申请人有容缺承诺逾期未补齐的记录：{defaults[0]}，不再适用容缺受理，"
            "请按一般程序受理或一次性告知补正"
        )
    }
