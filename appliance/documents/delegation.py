"""The papers of 代办 (R-D1, R-D2; JC 附件5 四): 代办服务委托书, 代办服务中止单,
代办服务续办委托书 and 代办服务办结单, as A4 PDFs like the case notices (WenQuanYi Zen Hei).

The delegation service fills :class:`DelegationPaper` from its records; nothing here touches
a database. Every paper is signed by the applicant (委托人) and the agent (代办员), 一式二份.
The 办结单 carries the satisfaction form (《“全代办”服务满意度评价表》, JC 附件5 四(四)) as
five boxes to tick, so the rating is offered even where no keypad or QR code is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from appliance.core.masking import mask_id_number
from appliance.documents.pdf import Notice, chinese_date, render_notice_pdf

SIGN = "＿＿＿＿＿＿＿＿"
FOOTER = "本单一式二份，委托人、代办服务机构各执一份，随代办台账归档。"
RATING_BOXES = "□非常满意　□满意　□基本满意　□不满意　□非常不满意"
TITLES = {
    "agreement": "代办服务委托书",
    "suspension": "代办服务中止单",
    "continuation": "代办服务续办委托书",
    "completion": "代办服务办结单",
}


@dataclass(frozen=True)
class DelegationPaper:
    """What every paper names: the delegation, both parties, the matter and the period."""

    number: str  # the paper's own number: DB-20261123-001-1
    delegation_number: str
    station_name: str
    on: date
    applicant_name: str
    item_name: str
    content: str
    agent_name: str
    period_start: date
    period_end: date
    applicant_id_number: str = ""
    applicant_phone: str = ""
    responsibilities: str = ""
    fees_note: str = ""
    rating_url: str | None = None  # the one-time rating link of the delegation (办结单 only)

    def __post_init__(self) -> None:
        if not self.applicant_name.strip() or not self.agent_name.strip():
            raise ValueError("代办文书必须写明委托人和代办员")


def _period(p: DelegationPaper) -> str:
    return f"{chinese_date(p.period_start)}至{chinese_date(p.period_end)}"


def _parties(p: DelegationPaper) -> list[tuple[str, str]]:
    who = p.applicant_name
    if p.applicant_id_number:
        who += f"（身份证号码：{mask_id_number(p.applicant_id_number)}）"
    rows = [("代办编号", p.delegation_number), ("委托人", who)]
    if p.applicant_phone:
        rows.append(("联系电话", p.applicant_phone))
    rows += [("代办员", p.agent_name), ("代办事项", p.item_name), ("委托内容", p.content)]
    return rows


def _signatures() -> list[tuple[str, str]]:
    return [("委托人签字", f"{SIGN}　日期：{SIGN}"), ("代办员签字", f"{SIGN}　日期：{SIGN}")]


def _notice(kind: str, p: DelegationPaper, body: list[str], rows: list[tuple[str, str]]) -> bytes:
    rating = p.rating_url if kind == "completion" else None
    notice = Notice(
        rating_url=rating,
        rating_caption="扫码评价代办服务",
        title=TITLES[kind],
        number=p.number,
        station_name=p.station_name,
        date=p.on,
        body=body,
        rows=rows + _signatures(),
        addressee="",
        footer=FOOTER,
    )
    return render_notice_pdf(notice)


def agreement_pdf(p: DelegationPaper) -> bytes:
    """代办服务委托书: the applicant entrusts the agent with the content for the period (R-D1)."""
    body = [
        f"委托人{p.applicant_name}自愿委托{p.station_name}代办员{p.agent_name}代为办理"
        f"“{p.item_name}”，委托期限为{_period(p)}。",
        p.fees_note,
    ]
    rows = _parties(p) + [
        ("委托期限", _period(p)),
        ("双方责任", p.responsibilities),
    ]
    return _notice("agreement", p, [b for b in body if b], rows)


def suspension_pdf(p: DelegationPaper, reason: str, note: str) -> bytes:
    """代办服务中止单: the ground (one of JC's seven) and what happened; the applicant signs."""
    body = [
        f"委托人{p.applicant_name}委托办理的“{p.item_name}”（代办编号 {p.delegation_number}），"
        f"因出现下列情形，代办服务无法继续进行，自{chinese_date(p.on)}起中止代办。"
        "中止原因消除后需继续代办的，双方签订《代办服务续办委托书》。",
    ]
    rows = _parties(p) + [("中止原因", reason)]
    if note:
        rows.append(("情况说明", note))
    return _notice("suspension", p, body, rows)


def continuation_pdf(p: DelegationPaper, note: str) -> bytes:
    """代办服务续办委托书: the ground has gone; the agent continues until the new period end."""
    body = [
        f"委托人{p.applicant_name}委托办理的“{p.item_name}”（代办编号 {p.delegation_number}）"
        f"中止原因已消除，委托人继续委托代办员{p.agent_name}代为办理，"
        f"续办期限为{_period(p)}，原委托书约定的双方责任继续有效。",
    ]
    rows = _parties(p) + [("续办期限", _period(p)), ("续办说明", note)]
    return _notice("continuation", p, body, rows)


def completion_pdf(p: DelegationPaper, result: str) -> bytes:
    """代办服务办结单: the result handed over; the applicant signs and rates the service."""
    body = [
        f"委托人{p.applicant_name}委托办理的“{p.item_name}”（代办编号 {p.delegation_number}）"
        f"已于{chinese_date(p.on)}全部办结，办理结果及相关证照、批准文件已交委托人，"
        "代办服务终止。",
        "请您对本次代办服务进行评价（一事一评）。",
    ]
    rows = _parties(p) + [
        ("办理结果", result),
        ("服务评价", RATING_BOXES),
    ]
    if p.fees_note:
        rows.append(("收费说明", p.fees_note))
    return _notice("completion", p, body, rows)


__all__ = [
    "TITLES",
    "DelegationPaper",
    "agreement_pdf",
    "completion_pdf",
    "continuation_pdf",
    "suspension_pdf",
]
