"""How the staff terminal words the case API's answers (办件, R-K1–R-K6).

The answers themselves are the station's wire types (``appliance.cases.schemas``,
``appliance.catalogue.schemas``), decoded by ``tui.api_client``; here are only the
terminal's presentation helpers. Chinese labels of states and notices come from the pure
domain tables, so the terminal says exactly what the printed notices say.
"""

from __future__ import annotations

from appliance.cases.rules.records import ApplicantKind
from appliance.cases.rules.states import STATE_LABELS, CaseState
from appliance.cases.rules.table import NOTICE_LABELS, Notice
from appliance.cases.schemas import CaseDetail, CaseNoticeView, StepResult
from appliance.catalogue.schemas import ItemDetail, MaterialView


def state_label(value: str) -> str:
    """办件状态 in Chinese (the raw value when unknown)."""
    try:
        return STATE_LABELS[CaseState(value)]
    except ValueError:
        return value


def notice_label(value: str) -> str:
    """通知书 name in Chinese (the raw value when unknown)."""
    try:
        return NOTICE_LABELS[Notice(value)]
    except ValueError:
        return value


# ---- the catalogue (R-S1, R-S3) -------------------------------------------------------------
def material_code(position: int) -> str:
    """The code a case gives the material at ``position`` (1-based) of its item: M1, M2 …"""
    return f"M{position}"


def requirement(m: MaterialView) -> str:
    """必需 / 可容缺 / 非必需, the form (原件 / 复印件) and the count when above one."""
    need = "可容缺" if m.tolerable else ("必需" if m.required else "非必需")
    count = f"×{m.count}" if m.count > 1 else ""
    return f"{need} {m.form_label}{count}".strip()


def guide_summary(guide: ItemDetail) -> str:
    """E.g. 410122-MZ-001 高龄津贴申请 · 承诺件 15 个工作日 · 可容缺受理."""
    limit = "当场办结" if guide.kind == "即办件" else f"{guide.promised_days} 个工作日"
    extras = [
        x
        for x, on in (
            ("可容缺受理", guide.allows_tolerant),
            ("可告知承诺", guide.allows_notify_commit),
        )
        if on
    ]
    return " · ".join([f"{guide.code} {guide.name}", f"{guide.kind} {limit}", *extras])


# ---- a case -------------------------------------------------------------------------------
def applicant_kind_label(kind: ApplicantKind) -> str:
    return "法人或其他组织" if kind is ApplicantKind.ORGANISATION else "个人"


def other_place_text(case: CaseDetail) -> str:
    """异地办件, e.g. 代收（郑州市金水区）; "" for a case of this place."""
    o = case.other_place
    return f"{o.label}（{o.place}）" if o is not None else ""


def due_text(case: CaseDetail) -> str:
    """The deadline, 暂定 when the year's holidays are not published; 未计时 without one."""
    if case.due_on is None:
        return "未计时"
    day = case.due_on.isoformat()
    return f"{day}（暂定）" if case.due_provisional else day


PRINT_STATUS_LABELS = {
    "pending": "待打印",
    "printing": "打印中",
    "done": "已打印",
    "cancelled": "已取消",
    "error": "打印出错",
}


def print_status_label(notice: CaseNoticeView) -> str:
    """打印状态 in Chinese (无打印任务 when the notice never had a job)."""
    if not notice.print_status:
        return "无打印任务"
    return PRINT_STATUS_LABELS.get(notice.print_status, notice.print_status)


def step_message(result: StepResult) -> str:
    """E.g. 受理通知书已送打印（一式二份）；已发短信通知申请人."""
    parts = []
    if result.notices:
        names = "、".join(notice_label(n) for n in result.notices)
        parts.append(f"{names}已送打印（一式二份）")
    else:
        parts.append("本步骤无通知书")
    parts.append("已发短信通知申请人" if result.sms_queued else "本步骤未发短信")
    return "；".join(parts)
