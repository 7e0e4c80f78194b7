"""SMS templates (短信模板) are data: one per kind, with a fixed set of placeholders.

Queue SMS use {station} {number} {category} {ahead} {wait} {window}; case SMS (办件短信)
use {station} {case} {item} {deadline} {reason} ({number}/{category} stay accepted there
as the case number / item name, as the first case templates used them).
"""

from __future__ import annotations

import random
import string
from datetime import timedelta

from appliance.core.errors import Invalid

PLACEHOLDERS = {
    "station": "站点名称",
    "number": "号码",
    "category": "业务类别",
    "ahead": "前面人数",
    "wait": "预计等候分钟",
    "window": "窗口号",
    "case": "办件编号",
    "item": "事项名称",
    "deadline": "期限日期",
    "reason": "理由",
    "ref": "登记编号",  # 办不成事 / 投诉 (R-P1, R-P2)
    "dept": "承办部门",
    "handler": "承办人",
    "answer": "答复内容",
    "slot": "预约时段",  # 预约 (R-Q7, R-Q8)
    "materials": "所需材料",
}

DEFAULT_TEMPLATES: dict[str, str] = {
    "ticket_issued": "【{station}】您已取号 {number}（{category}），前面还有 {ahead} 人，"
    "预计等候约 {wait} 分钟，请留意叫号。",
    # issue 16: nobody is at a window of the category, so no wait is promised (0021_truth)
    "ticket_issued_unstaffed": "【{station}】您已取号 {number}（{category}），前面还有 {ahead} "
    "人。目前暂无工作人员在窗口办理此类业务，等候时间无法估计，请咨询引导台。",
    "queue_near": "【{station}】{number} 号，前面还有 {ahead} 人，请尽快回到大厅等候叫号。",
    "ticket_called": "【{station}】请 {number} 号到 {window} 号窗口办理。",
    # 办不成事 and complaints (R-P1, R-P2): seeded by migration 0012_complaints; they never
    # carry the visitor's or complainant's name
    "desk_transferred": "【{station}】您反映的问题（登记编号 {ref}）已转交{dept}处理，"
    "承办人：{handler}。本站将跟踪办理结果。",
    "complaint_answered": "【{station}】您的投诉（编号 {ref}）答复如下：{answer}",
    # 预约 (R-Q7, R-Q8): seeded by migration 0018_appointments
    "appointment_booked": "【{station}】您已预约 {slot} 办理{category}，预约号 {ref}，"
    "请按时到站签到，过时作废。{materials}",
    "appointment_reminder": "【{station}】提醒：您预约了 {slot} 办理{category}"
    "（预约号 {ref}），请按时到站签到。{materials}",
    "appointment_cancelled": "【{station}】抱歉，您 {slot} 的预约（{ref}）已取消，"
    "原因：{reason}。如需办理请重新预约。",
    "appointment_moved": "【{station}】您的预约（{ref}）已改到 {slot}，原因：{reason}。",
    "appointment_offer": "【{station}】因{reason}未能为您办理，已为您优先预约 {slot}"
    "（{category}，预约号 {ref}），届时请到站签到。",
}

TEMPLATE_LABELS = {
    "ticket_issued": "取号成功",
    "ticket_issued_unstaffed": "取号成功（无人值守）",
    "queue_near": "即将叫到",
    "ticket_called": "叫号",
    "case_accepted": "办件受理",
    "case_correction": "办件补正",
    "case_refused": "不予受理",
    "case_decided": "办件办结",
    "case_pickup": "取件通知",
    "case_extended": "办件延期",
    "case_deadline_changed": "办结期限调整",
    "case_lapsed": "容缺逾期",
    "rating_invite": "邀请评价",
    "desk_transferred": "办不成事转办告知",
    "complaint_answered": "投诉答复",
    "appointment_booked": "预约成功",
    "appointment_reminder": "预约提醒",
    "appointment_cancelled": "预约取消",
    "appointment_moved": "预约改期",
    "appointment_offer": "停电断网补约",
}

MAX_TEMPLATE_LENGTH = 300


def check_template(body: str) -> str:
    """Refuse a template with unknown or malformed placeholders."""
    body = body.strip()
    if not body:
        raise Invalid("短信模板不能为空", "empty_template")
    if len(body) > MAX_TEMPLATE_LENGTH:
        raise Invalid(f"短信模板不能超过 {MAX_TEMPLATE_LENGTH} 字", "template_too_long")
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(body) if f is not None]
    except ValueError:
        raise Invalid("短信模板的花括号不成对，请检查", "bad_template") from None
    unknown = sorted({f for f in fields if f not in PLACEHOLDERS})
    if unknown:
        allowed = "、".join(f"{{{k}}}（{v}）" for k, v in PLACEHOLDERS.items())
        raise Invalid(f"短信模板含未知占位符 {'、'.join(unknown)}；可用：{allowed}", "bad_template")
    return body


def render(body: str, values: dict[str, object]) -> str:
    return body.format_map({k: values.get(k, "") for k in PLACEHOLDERS})


def retry_delay(attempts: int, base_s: float = 30.0, cap_s: float = 1800.0) -> timedelta:
    """Exponential backoff with jitter for SMS retries (no cap on attempts)."""
    delay = min(cap_s, base_s * (2 ** max(0, attempts - 1)))
    return timedelta(seconds=delay * random.uniform(0.8, 1.2))
