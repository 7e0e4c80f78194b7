"""Typed views of the case API's JSON (办件, R-K1–R-K6) as the staff terminal reads them.

Like ``tui.models``: only the fields the terminal shows are kept, unknown ones ignored.
Chinese labels of states and notices come from the pure domain tables, so the terminal
says exactly what the printed notices say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from appliance.cases.rules.states import STATE_LABELS, CaseState
from appliance.cases.rules.table import NOTICE_LABELS, Notice

Json = Mapping[str, Any]


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


@dataclass(frozen=True)
class ItemHit:
    """事项检索结果 (R-S3)."""

    code: str
    name: str
    kind: str
    promised_days: int

    @classmethod
    def from_json(cls, d: Json) -> ItemHit:
        return cls(
            str(d["code"]), str(d["name"]), str(d.get("kind", "")), int(d.get("promised_days") or 0)
        )


@dataclass(frozen=True)
class GuideMaterial:
    """申请材料 of an item; ``code`` is M1, M2 … in catalogue order (as the case machine)."""

    code: str
    name: str
    required: bool
    tolerable: bool
    form_label: str
    count: int

    @property
    def requirement(self) -> str:
        """必需 / 可容缺 / 非必需, the form (原件 / 复印件) and the count when above one."""
        need = "可容缺" if self.tolerable else ("必需" if self.required else "非必需")
        count = f"×{self.count}" if self.count > 1 else ""
        return f"{need} {self.form_label}{count}".strip()


@dataclass(frozen=True)
class ItemGuide:
    """办事指南 of one item, as far as intake and the decision forms need it."""

    code: str
    name: str
    kind: str
    promised_days: int
    allows_tolerant: bool
    allows_notify_commit: bool
    department: str
    phone: str
    legal_basis: str
    conditions: str
    materials: list[GuideMaterial]
    special_procedures: tuple[str, ...] = ()  # 特别程序 as the catalogue names them (检验 …)

    @classmethod
    def from_json(cls, d: Json) -> ItemGuide:
        materials = [
            GuideMaterial(
                code=str(m.get("code") or f"M{i}"),
                name=str(m["name"]),
                required=bool(m.get("required", True)),
                tolerable=bool(m.get("tolerable")),
                form_label=str(m.get("form_label") or ""),
                count=int(m.get("count") or 1),
            )
            for i, m in enumerate(d.get("materials", []), start=1)
        ]
        return cls(
            code=str(d["code"]),
            name=str(d["name"]),
            kind=str(d.get("kind", "")),
            promised_days=int(d.get("promised_days") or 0),
            allows_tolerant=bool(d.get("allows_tolerant")),
            allows_notify_commit=bool(d.get("allows_notify_commit")),
            department=str(d.get("department") or ""),
            phone=str(d.get("phone") or ""),
            legal_basis=str(d.get("legal_basis") or ""),
            conditions=str(d.get("conditions") or ""),
            materials=materials,
            special_procedures=tuple(str(p) for p in d.get("special_procedures") or ()),
        )

    @property
    def summary(self) -> str:
        limit = "当场办结" if self.kind == "即办件" else f"{self.promised_days} 个工作日"
        extras = [
            x
            for x, on in (
                ("可容缺受理", self.allows_tolerant),
                ("可告知承诺", self.allows_notify_commit),
            )
            if on
        ]
        return " · ".join([f"{self.code} {self.name}", f"{self.kind} {limit}", *extras])


@dataclass(frozen=True)
class CaseMaterial:
    """One checklist line of a case (材料清单条目)."""

    code: str
    name: str
    required: bool
    tolerable: bool
    status: str
    status_label: str
    note: str = ""


@dataclass(frozen=True)
class TimelineEntry:
    """流转记录: when, who, what, why."""

    seq: int
    action: str
    action_label: str
    from_state: str
    to_state: str
    who: str
    at: datetime
    why: str
    details: dict[str, str]

    @classmethod
    def from_json(cls, d: Json) -> TimelineEntry:
        return cls(
            seq=int(d["seq"]),
            action=str(d["action"]),
            action_label=str(d.get("action_label") or d["action"]),
            from_state=str(d.get("from_state", "")),
            to_state=str(d.get("to_state", "")),
            who=str(d.get("who", "")),
            at=datetime.fromisoformat(str(d["at"])),
            why=str(d.get("why") or ""),
            details={str(k): str(v) for k, v in (d.get("details") or {}).items()},
        )


@dataclass(frozen=True)
class LegalAction:
    action: str
    label: str


@dataclass(frozen=True)
class CaseApplicant:
    """申请人 (and 代理人, if any) as entered at intake."""

    kind: str
    name: str
    id_number: str
    phone: str
    agent: dict[str, str] | None = None

    @property
    def kind_label(self) -> str:
        return "法人或其他组织" if self.kind == "organisation" else "个人"


@dataclass(frozen=True)
class CaseDetail:
    """One case with its checklist, deadline, timeline and the legal next actions."""

    case_number: str
    item_code: str
    item_name: str
    state: str
    state_label: str
    channel: str
    applicant: CaseApplicant
    materials: list[CaseMaterial]
    received_on: str
    accepted_on: str | None
    due_on: str | None
    due_provisional: bool
    ticket_id: str | None
    timeline: list[TimelineEntry] = field(default_factory=list)
    legal_actions: list[LegalAction] = field(default_factory=list)
    applicant_flags: list[str] = field(default_factory=list)  # 容缺失信 records
    other_place: str = ""  # 异地办件, e.g. "代收（郑州市金水区）"

    @classmethod
    def from_json(cls, d: Json) -> CaseDetail:
        other = d.get("other_place") or None
        a = d.get("applicant") or {}
        agent = a.get("agent")
        return cls(
            case_number=str(d["case_number"]),
            item_code=str(d.get("item_code", "")),
            item_name=str(d.get("item_name", "")),
            state=str(d["state"]),
            state_label=str(d.get("state_label") or state_label(str(d["state"]))),
            channel=str(d.get("channel", "")),
            applicant=CaseApplicant(
                str(a.get("kind") or "person"),
                str(a.get("name") or ""),
                str(a.get("id_number") or ""),
                str(a.get("phone") or ""),
                {str(k): str(v or "") for k, v in agent.items()} if agent else None,
            ),
            materials=[
                CaseMaterial(
                    str(m["code"]),
                    str(m["name"]),
                    bool(m.get("required", True)),
                    bool(m.get("tolerable")),
                    str(m["status"]),
                    str(m.get("status_label") or m["status"]),
                    str(m.get("note") or ""),
                )
                for m in d.get("materials", [])
            ],
            received_on=str(d.get("received_on") or ""),
            accepted_on=d.get("accepted_on"),
            due_on=d.get("due_on"),
            due_provisional=bool(d.get("due_provisional")),
            ticket_id=d.get("ticket_id"),
            timeline=[TimelineEntry.from_json(t) for t in d.get("timeline", [])],
            legal_actions=[
                LegalAction(str(x["action"]), str(x["label"])) for x in d.get("legal_actions", [])
            ],
            applicant_flags=[str(x) for x in d.get("applicant_flags") or []],
            other_place=f"{other.get('label', '')}（{other.get('place', '')}）" if other else "",
        )

    @property
    def due_text(self) -> str:
        if not self.due_on:
            return "未计时"
        return f"{self.due_on}（暂定）" if self.due_provisional else self.due_on


@dataclass(frozen=True)
class CaseSummary:
    """A row of 我的办件: phone already masked by the server."""

    case_number: str
    item_name: str
    state: str
    state_label: str
    applicant_name: str
    phone: str
    due_on: str | None
    due_provisional: bool
    due_status_label: str = ""
    working_days_left: int | None = None
    urgency: str = ""

    @classmethod
    def from_json(cls, d: Json) -> CaseSummary:
        left = d.get("working_days_left")
        return cls(
            case_number=str(d["case_number"]),
            item_name=str(d.get("item_name", "")),
            state=str(d["state"]),
            state_label=str(d.get("state_label") or d["state"]),
            applicant_name=str(d.get("applicant_name") or ""),
            phone=str(d.get("phone") or ""),
            due_on=d.get("due_on"),
            due_provisional=bool(d.get("due_provisional")),
            due_status_label=str(d.get("due_status_label") or ""),
            working_days_left=None if left is None else int(left),
            urgency=str(d.get("urgency") or ""),
        )


PRINT_STATUS_LABELS = {
    "pending": "待打印",
    "printing": "打印中",
    "done": "已打印",
    "cancelled": "已取消",
    "error": "打印出错",
}


@dataclass(frozen=True)
class CaseNotice:
    """A notice kept with the case (受理通知书, 补正通知书 …) and its latest print job."""

    id: str
    title: str
    print_status: str
    kind: str = ""
    created_at: datetime | None = None
    print_job_id: str | None = None

    @classmethod
    def from_json(cls, d: Json) -> CaseNotice:
        created = d.get("created_at")
        return cls(
            str(d["id"]),
            str(d.get("title") or notice_label(str(d.get("kind", "")))),
            str(d.get("print_status") or ""),
            str(d.get("kind") or ""),
            datetime.fromisoformat(str(created)) if created else None,
            None if d.get("print_job_id") is None else str(d["print_job_id"]),
        )

    @property
    def status_label(self) -> str:
        """打印状态 in Chinese (无打印任务 when the notice never had a job)."""
        if not self.print_status:
            return "无打印任务"
        return PRINT_STATUS_LABELS.get(self.print_status, self.print_status)


@dataclass(frozen=True)
class StepResult:
    """What one decision did: the case after it, notices sent to print, SMS or not."""

    case: CaseDetail
    notices: list[str]
    print_job_ids: list[str]
    sms_queued: bool

    @classmethod
    def from_json(cls, d: Json) -> StepResult:
        return cls(
            CaseDetail.from_json(d["case"]),
            [str(n) for n in d.get("notices", [])],
            [str(j) for j in d.get("print_job_ids", [])],
            bool(d.get("sms_queued")),
        )

    @property
    def message(self) -> str:
        """E.g. 受理通知书已送打印（一式二份）；已发短信通知申请人."""
        parts = []
        if self.notices:
            names = "、".join(notice_label(n) for n in self.notices)
            parts.append(f"{names}已送打印（一式二份）")
        else:
            parts.append("本步骤无通知书")
        parts.append("已发短信通知申请人" if self.sms_queued else "本步骤未发短信")
        return "；".join(parts)
