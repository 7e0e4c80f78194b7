"""重复申请提示 (issue 16, item 6; R-K1): the same applicant's other open cases of the same item.

Intake still opens the case (a second application can be legitimate: a lost result, a
changed circumstance), but the clerk is told, with the open case's number, state and
办结期限, on the intake answer and on every 办件详情.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlmodel import Session, col

from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.states import STATE_LABELS, CaseState
from appliance.cases.tables import CaseRecord

_FINISHED = frozenset({CaseState.REFUSED, CaseState.DELIVERED, CaseState.CLOSED})
_UNDECIDED = frozenset({CaseState.RECEIVED, CaseState.CORRECTION_REQUESTED})
_OPEN = [s.value for s in CaseState if s not in _FINISHED]


def open_duplicates(s: Session, case: CaseFile) -> list[str]:
    """``办件号（状态，收件 日期，办结期限 日期）`` of each other open case of this applicant
    (same ID number) for the same item, oldest first."""
    key = case.applicant.id_number.strip().upper()
    if not key:
        return []
    rows = s.execute(
        select(
            col(CaseRecord.case_number),
            col(CaseRecord.state),
            col(CaseRecord.applicant),
            col(CaseRecord.business_date),
            col(CaseRecord.due_on),
        ).where(
            col(CaseRecord.item_code) == case.item.code,
            col(CaseRecord.state).in_(_OPEN),
            col(CaseRecord.case_number) != case.number,
        )
    ).all()
    found = []
    for number, state, applicant, received, due in sorted(rows, key=lambda r: r[0]):
        if str(json.loads(applicant).get("id_number", "")).strip().upper() != key:
            continue
        label = "受理期限" if state in _UNDECIDED else "办结期限"
        due_text = f"，{label} {due}" if due else ""
        found.append(f"{number}（{STATE_LABELS[CaseState(state)]}，{received} 收件{due_text}）")
    return found
