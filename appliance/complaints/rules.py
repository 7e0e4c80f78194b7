"""Complaints (投诉, R-P2; R-I3 for confidentiality): channels, the handling steps, who may
read a confidential complaint, and how the complainant is kept out of what leaves the desk.

Pure rules: no storage, no HTTP.

GD 5.8, 6.5 and HN-3 6.15:

* A complaint arrives from any channel: 现场, 12345 hotline, 意见箱, 电话, 邮件, 网络 (GD 5.8.3).
* It is kept confidential when the complainant asks (GD 5.8.2, HN-3 6.15.2): only the
  投诉受理 role and the station head see it, and no export, SMS, event, log line or county
  projection names the complainant (:func:`scrub`, :data:`WITHHELD`).
* Nothing is promised before the facts are checked (在投诉事项未调查核实前不得作出承诺):
  handling, transferring and answering all wait for 核实.
* Settled on the spot (当场办结), or passed on (转办) and followed (跟踪) until the
  department's result comes back (HN-3 6.15.3).
* The complainant always gets an answer, and the complaint closes with it: it cannot close
  without one.

| state        | waits for                     | next        |
|--------------|-------------------------------|-------------|
| verify       | 核实 (with the finding)        | handle      |
| handle       | 当场处理 or 转办               | answer / transferred |
| transferred  | 跟踪 (any number), 转办结果     | answer      |
| answer       | 答复 (how and what)            | answered    |
| answered     | 办结                          | closed      |
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from appliance.core.errors import Conflict, Invalid, NotAllowed
from appliance.core.masking import mask_name, mask_phone
from appliance.core.roles import Role

# Who handles complaints and may read a confidential one (投诉受理 and 站长).
COMPLAINT_ROLES = frozenset({Role.COMPLAINTS, Role.MANAGER})
CONFIDENTIAL_READERS = COMPLAINT_ROLES
WITHHELD = "（保密）"  # in place of a confidential complainant's name and contact
SMS_KIND = "complaint_answered"
STEP_TEXT_MAX = 300


class Channel(StrEnum):
    ONSITE = "onsite"  # 现场
    HOTLINE = "hotline"  # 12345 政务服务便民热线
    BOX = "box"  # 意见箱 (投诉举报箱)
    PHONE = "phone"  # 投诉电话
    EMAIL = "email"  # 电子邮件
    WEB = "web"  # 网络平台


CHANNEL_LABELS = {
    Channel.ONSITE: "现场",
    Channel.HOTLINE: "12345",
    Channel.BOX: "意见箱",
    Channel.PHONE: "电话",
    Channel.EMAIL: "邮件",
    Channel.WEB: "网络",
}


class State(StrEnum):
    VERIFY = "verify"
    HANDLE = "handle"
    TRANSFERRED = "transferred"
    ANSWER = "answer"
    ANSWERED = "answered"
    CLOSED = "closed"


STATE_LABELS = {
    State.VERIFY: "待核实",
    State.HANDLE: "待处理",
    State.TRANSFERRED: "已转办，跟踪中",
    State.ANSWER: "待答复",
    State.ANSWERED: "已答复，待办结",
    State.CLOSED: "已办结",
}


class Step(StrEnum):
    REGISTER = "register"  # 登记
    VERIFY = "verify"  # 核实
    HANDLE = "handle"  # 当场处理
    TRANSFER = "transfer"  # 转办
    FOLLOW = "follow"  # 跟踪
    RESULT = "result"  # 转办结果
    ANSWER = "answer"  # 答复投诉人
    CLOSE = "close"  # 办结


STEP_LABELS = {
    Step.REGISTER: "登记",
    Step.VERIFY: "核实",
    Step.HANDLE: "当场处理",
    Step.TRANSFER: "转办",
    Step.FOLLOW: "跟踪",
    Step.RESULT: "转办结果",
    Step.ANSWER: "答复",
    Step.CLOSE: "办结",
}

ALLOWED: dict[State, tuple[Step, ...]] = {
    State.VERIFY: (Step.VERIFY,),
    State.HANDLE: (Step.HANDLE, Step.TRANSFER),
    State.TRANSFERRED: (Step.FOLLOW, Step.RESULT),
    State.ANSWER: (Step.ANSWER,),
    State.ANSWERED: (Step.CLOSE,),
    State.CLOSED: (),
}
LEADS_TO: dict[Step, State] = {
    Step.VERIFY: State.HANDLE,
    Step.HANDLE: State.ANSWER,
    Step.TRANSFER: State.TRANSFERRED,
    Step.FOLLOW: State.TRANSFERRED,
    Step.RESULT: State.ANSWER,
    Step.ANSWER: State.ANSWERED,
    Step.CLOSE: State.CLOSED,
}
# What each step commits the station to: refused before the facts are checked.
PROMISES = frozenset({Step.HANDLE, Step.TRANSFER, Step.ANSWER, Step.CLOSE})


class Finding(StrEnum):
    """核实结论."""

    SUBSTANTIATED = "substantiated"
    PARTLY = "partly"
    UNSUBSTANTIATED = "unsubstantiated"


FINDING_LABELS = {
    Finding.SUBSTANTIATED: "属实",
    Finding.PARTLY: "部分属实",
    Finding.UNSUBSTANTIATED: "不属实",
}


class AnswerVia(StrEnum):
    """How the answer reached the complainant."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    SMS = "sms"
    LETTER = "letter"
    EMAIL = "email"
    POSTED = "posted"  # 公示 (an anonymous complaint without any contact)


VIA_LABELS = {
    AnswerVia.IN_PERSON: "当面",
    AnswerVia.PHONE: "电话",
    AnswerVia.SMS: "短信",
    AnswerVia.LETTER: "书面",
    AnswerVia.EMAIL: "邮件",
    AnswerVia.POSTED: "公示",
}


def next_state(state: State, step: Step) -> State:
    """The state after ``step``, or a Chinese refusal that says what comes first."""
    if state is State.CLOSED:
        raise Conflict("该投诉已办结，不能再记录", "complaint_closed")
    if state is State.VERIFY and step in PROMISES:
        raise Conflict(
            f"投诉尚未核实，不能{STEP_LABELS[step]}：调查核实前不得作出承诺，请先核实情况",
            "verify_first",
        )
    if step is Step.CLOSE and state is not State.ANSWERED:
        raise Conflict("尚未答复投诉人，不能办结：请先记录给投诉人的答复", "answer_required")
    if step not in ALLOWED[state]:
        wanted = "或".join(STEP_LABELS[s] for s in ALLOWED[state])
        raise Conflict(
            f"当前为“{STATE_LABELS[state]}”，应先{wanted}，不能{STEP_LABELS[step]}",
            "step_out_of_order",
        )
    return LEADS_TO[step]


def step_text(text: str | None, step: Step) -> str:
    """The text a step records; refused when empty."""
    value = (text or "").strip()
    if not value:
        what = {
            Step.VERIFY: "核实情况",
            Step.HANDLE: "当场处理情况",
            Step.TRANSFER: "转办说明",
            Step.FOLLOW: "跟踪情况",
            Step.RESULT: "承办部门的处理结果",
            Step.ANSWER: "给投诉人的答复",
            Step.CLOSE: "办结说明",
        }.get(step, "内容")
        raise Invalid(f"请填写{what}", f"{step.value}_text_required")
    return value


def check_answer_via(via: AnswerVia, has_mobile: bool, has_contact: bool) -> None:
    if via is AnswerVia.SMS and not has_mobile:
        raise Invalid("短信答复须有投诉人的 11 位手机号码；请选择其他答复方式", "mobile_required")
    if via is AnswerVia.POSTED and (has_mobile or has_contact):
        raise Invalid(
            "投诉人留有联系方式，应直接答复投诉人；公示只用于无法联系的匿名投诉", "answer_directly"
        )


def may_read(role: Role, confidential: bool) -> bool:
    """A confidential complaint is for the 投诉受理 role and the station head only."""
    return not confidential or role in CONFIDENTIAL_READERS


def check_readable(role: Role, confidential: bool, number: str) -> None:
    if not may_read(role, confidential):
        raise NotAllowed(
            f"投诉 {number} 为保密投诉，只有投诉受理人员和站长可以查看", "confidential"
        )


def secrets_of(name: str, phone: str, contact: str) -> list[str]:
    """The complainant's identifying strings, longest first: the name, its given name
    (after a one- or two-character surname), the phone, the contact."""
    full = name.strip()
    parts = [full, phone.strip(), contact.strip()]
    if len(full) >= 3:
        parts.append(full[1:])  # 小明 of 王小明
    if len(full) >= 4:
        parts.append(full[2:])  # 秀兰 of 欧阳秀兰 (a two-character surname)
    return sorted({p for p in parts if len(p) >= 2}, key=len, reverse=True)


def scrub(text: str, secrets: Iterable[str], confidential: bool) -> str:
    """``text`` with the complainant's name, phone and contact taken out: withheld for a
    confidential complaint, masked otherwise (R-I3)."""
    out = text
    for secret in secrets:
        if confidential:
            replacement = "***"
        else:
            replacement = mask_phone(secret) if secret.isdigit() else mask_name(secret)
        out = out.replace(secret, replacement)
    return out


def complainant_shown(name: str, confidential: bool) -> str:
    """The complainant as anything leaving the desk shows them."""
    if confidential:
        return WITHHELD
    return mask_name(name) if name.strip() else "匿名"


def complaint_number(day: date, seq: int) -> str:
    """TS-20261123-001: 投诉 + the local day + the day's sequence."""
    return f"TS-{day.strftime('%Y%m%d')}-{seq:03d}"
