"""Notices issued on a case (办件通知书, R-K2–R-K6): the domain case → ``appliance.documents.notices`` content.

For every ``table.Notice`` a step issues, :func:`notices_for_step` fills the matching
``appliance.documents.notices`` data type (HN-3 6.5.4 / XC 附录 E–G elements: item, applicant with the ID
masked, receiver, materials with 原件/复印件 and count, deadlines, reasons, rights, date,
case number, seal area, QR code to ``{public_url}/cases/{case_number}``) and builds the
printed ``Notice``. :func:`receipt_on_open` is the 收件凭证 of intake (transition 0).

A deadline in a year without holiday data carries the provisional mark (暂定).
Nothing here writes: the caller renders, stores and prints (``case_notice_store``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.deadlines import acceptance_deadline, case_deadline
from appliance.cases.rules.machine import Step
from appliance.cases.rules.materials import (
    SPECIAL_PROCEDURE_LABELS,
    ItemKind,
    MaterialMark,
    MaterialRule,
    MaterialStatus,
    correction_list,
)
from appliance.cases.rules.records import ApplicantKind
from appliance.cases.rules.states import Action
from appliance.cases.rules.table import Notice
from appliance.cases.rules.working_days import WorkingDays, provisional
from appliance.catalogue.rules import MATERIAL_FORMS
from appliance.catalogue.service.catalogue import ItemDetail
from appliance.catalogue.tables import CatalogueMaterial
from appliance.documents import pdf as notice_pdf
from appliance.documents.notices import (
    NOTICE_KINDS,
    AcceptanceData,
    Applicant,
    CaseInfo,
    CorrectionData,
    Deadline,
    ExtensionData,
    HandoverData,
    InformCommitmentData,
    Material,
    PickupData,
    ReceiptData,
    Receiver,
    RefusalData,
    SpecialProcedure,
    TolerantCommitmentData,
)
from appliance.queue.tables import ServiceWindow
from appliance.settings import Settings
from appliance.staff.tables import Staff

KIND_OF: dict[Notice, str] = {
    Notice.ACCEPTANCE: "acceptance",
    Notice.RECEIPT: "receipt",
    Notice.CORRECTION: "correction",
    Notice.REFUSAL: "refusal",
    Notice.TOLERANT: "tolerant_commitment",
    Notice.COMMITMENT: "inform_commitment",
    Notice.HANDOVER: "handover",
    Notice.EXTENSION: "extension",
    Notice.PICKUP: "pickup",
}
"""``table.Notice`` → ``appliance.documents.notices.NOTICE_KINDS`` key (also the kept file's name)."""


@dataclass(frozen=True)
class NoticeContext:
    """What a notice needs besides the case: the station, the receiver (受理人), the
    catalogue's material forms (code → name, 原件/复印件, count), the calendar and today."""

    settings: Settings
    receiver: Receiver
    today: date
    calendar: WorkingDays
    forms: Mapping[str, tuple[str, str, int]]


@dataclass(frozen=True)
class IssuedNotice:
    """One notice to render and keep: its kind (file name), title and content."""

    kind: str
    title: str
    notice: notice_pdf.Notice


def receiver_for(
    s: Session, code: str = "", staff_id: str = "", fallback_staff_id: str = ""
) -> Receiver:
    """受理人: the staff member (by code or id) with their window (``1号窗口``).

    A decision taken by the system (视为受理, 容缺逾期) names the staff member who opened
    the case (``fallback_staff_id``).
    """
    staff = None
    if staff_id:
        staff = s.get(Staff, staff_id)
    elif code:
        staff = s.exec(select(Staff).where(Staff.code == code)).first()
    if staff is None and fallback_staff_id:
        staff = s.get(Staff, fallback_staff_id)
    if staff is None:
        return Receiver(code or "本站")
    window = s.get(ServiceWindow, staff.window_id) if staff.window_id else None
    if window is None:
        window = s.exec(select(ServiceWindow).where(ServiceWindow.staff_id == staff.id)).first()
    return Receiver(staff.name, f"{window.number}号窗口" if window else "")


def catalogue_forms(detail: ItemDetail | None) -> dict[str, tuple[str, str, int]]:
    """Material code (``M1`` …, catalogue order as in ``item_view``) → (name, form, count)."""
    if detail is None:
        return {}
    return {f"M{i}": (m.name, m.form_label, m.count) for i, m in enumerate(detail.materials, 1)}


def item_forms(s: Session, item_code: str) -> dict[str, tuple[str, str, int]]:
    """The same, read straight from the catalogue's material rows (one query)."""
    rows = s.exec(
        select(CatalogueMaterial)
        .where(CatalogueMaterial.item_code == item_code)
        .order_by(col(CatalogueMaterial.seq))
    ).all()
    return {
        f"M{i}": (m.name, MATERIAL_FORMS.get(m.form, m.form), m.count)
        for i, m in enumerate(rows, 1)
    }


# ---- mapping helpers -------------------------------------------------------------------------
def _applicant(case: CaseFile) -> Applicant:
    a = case.applicant
    agent = a.agent
    return Applicant(
        a.name,
        a.id_number,
        phone=a.phone,
        kind="organisation" if a.kind is ApplicantKind.ORGANISATION else "person",
        agent_name=agent.name if agent else "",
        agent_id_number=agent.id_number if agent else "",
    )


def case_info(ctx: NoticeContext, case: CaseFile, received_on: date | None = None) -> CaseInfo:
    st = ctx.settings
    return CaseInfo(
        case_number=case.number,
        station_name=st.station_name,
        station_code=st.station_code,
        issued_on=ctx.today,
        item_name=case.item.name,
        applicant=_applicant(case),
        receiver=ctx.receiver,
        public_url=st.visitor_url,
        received_on=received_on or case.received_on,
        station_phone=st.station_phone,
        special_procedures=[
            SpecialProcedure(SPECIAL_PROCEDURE_LABELS[p])
            for p in sorted(case.item.special_procedures)
        ],
    )


def _material(ctx: NoticeContext, rule: MaterialRule, note: str = "") -> Material:
    name, form, count = ctx.forms.get(rule.code, ("", "", 0))
    if name != rule.name:  # the catalogue changed since: fall back to the case's own rules
        form, count = ("原件" if rule.original else "复印件"), rule.count
    return Material(
        rule.name, form, count, note=note, required=rule.required, tolerable=rule.may_be_missing
    )


def _materials(ctx: NoticeContext, marks: Sequence[MaterialMark]) -> list[Material]:
    return [_material(ctx, m.rule, m.note) for m in marks]


def _received(ctx: NoticeContext, case: CaseFile) -> list[Material]:
    return _materials(ctx, [m for m in case.materials if m.ok])


def _deadline(ctx: NoticeContext, day: date) -> Deadline:
    return Deadline(day, provisional(ctx.calendar, day))


def _due(ctx: NoticeContext, case: CaseFile) -> Deadline | None:
    due = case_deadline(case, ctx.calendar)
    if due is None or due.due is None:
        return None
    return Deadline(due.due, due.provisional)


def _limit_days(case: CaseFile) -> int:
    return case.item.promised_days + sum(e.days for e in case.extensions)


def _time_limit(case: CaseFile, due: Deadline | None) -> str:
    if due is None:
        return "自受理之日起计算（特别程序期间暂停计时）"
    if case.item.kind is ItemKind.IMMEDIATE and not case.extensions:
        return "即办件，当日办结"
    return f"{_limit_days(case)}个工作日，{due.text()}办结"


def _owed(ctx: NoticeContext, case: CaseFile) -> list[Material]:
    """Every missing or defective material (the 补正 / 容缺 list), with what is wrong."""
    lines = correction_list(case.materials)
    return [_material(ctx, case.item.material(line.code), line.note) for line in lines]


def _forward_body(case: CaseFile) -> str:
    if case.other_place is not None:
        return case.other_place.place
    return case.item.deciding_body or "决定机关"


# ---- one builder per notice ------------------------------------------------------------------
Builder = Callable[[NoticeContext, CaseFile, CaseFile], object]  # (ctx, before, after) → data


def _acceptance(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> AcceptanceData:
    due = _due(ctx, case) or _deadline(ctx, ctx.today)
    immediate = case.item.kind is ItemKind.IMMEDIATE and not case.extensions
    return AcceptanceData(
        case=case_info(ctx, case),
        materials_received=_received(ctx, case),
        deadline=due,
        time_limit_days=_limit_days(case),
        immediate=immediate,
    )


def receipt_data(ctx: NoticeContext, before: CaseFile | None, case: CaseFile) -> ReceiptData:
    """收件凭证: at intake (``before`` None), after 补正 (resubmit), after 容缺 supplied."""
    last = case.last.action if before is not None and case.last is not None else None
    if last is Action.SUPPLY:
        owed = case.tolerant.owed if case.tolerant else ()
        supplied = [m for m in case.materials if m.rule.code in owed] or list(case.materials)
        return ReceiptData(
            case=case_info(ctx, case, ctx.today),
            materials_received=_materials(ctx, supplied),
            expected_result=_due(ctx, case),
            proof_only=False,
            notes=["容缺材料已全部补齐，本事项按受理时承诺的时限继续办理。"],
        )
    if last is Action.RESUBMIT:
        return ReceiptData(
            case=case_info(ctx, case, ctx.today),
            materials_received=_received(ctx, case),
            notes=["补正材料已收到，本站将重新审查，并书面告知是否受理。"],
        )
    notes = []
    missing = [m.rule.name for m in case.materials if m.rule.required and not m.ok]
    if missing:
        notes.append(f"尚缺或需补正的材料：{'、'.join(missing)}。")
    if case.needs_forwarding:
        body = _forward_body(case)
        notes.append(f"本事项由{body}审批，受理后本站将申请材料报送{body}。")
    return ReceiptData(
        case=case_info(ctx, case),
        materials_received=_received(ctx, case),
        decide_by=_deadline(ctx, acceptance_deadline(ctx.calendar, case.received_on)),
        notes=notes,
    )


def _receipt(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> ReceiptData:
    return receipt_data(ctx, before, case)


def _correction(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> CorrectionData:
    assert case.correction is not None
    owed = correction_list(case.materials)
    missing = [
        _material(ctx, case.item.material(x.code))
        for x in owed
        if x.status is MaterialStatus.MISSING
    ]
    defective = [
        _material(ctx, case.item.material(x.code), x.note)
        for x in owed
        if x.status is MaterialStatus.DEFECTIVE
    ]
    return CorrectionData(
        case=case_info(ctx, case),
        missing=missing,
        defective=defective,
        deadline=_deadline(ctx, case.correction.deadline),
        materials_received=_received(ctx, case),
    )


def _refusal(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> RefusalData:
    assert case.refusal is not None
    return RefusalData(case=case_info(ctx, case), reason=case.refusal.reason)


def _tolerant(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> TolerantCommitmentData:
    assert case.tolerant is not None
    return TolerantCommitmentData(
        case=case_info(ctx, case),
        main_materials=_received(ctx, case),
        missing=_owed(ctx, case),
        deadline=_deadline(ctx, case.tolerant.deadline),
        time_limit=_time_limit(case, _due(ctx, case)),
    )


def _commitment(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> InformCommitmentData:
    c = case.commitment
    assert c is not None
    return InformCommitmentData(
        case=case_info(ctx, case),
        legal_basis=[c.legal_basis],
        conditions=[c.conditions],
        time_limit=_time_limit(case, _due(ctx, case)),
        materials=[_material(ctx, rule) for rule in case.item.materials],
        services=c.services,
        breach_procedure=c.verification,
    )


def _handover_material(ctx: NoticeContext, case: CaseFile, text: str) -> Material:
    for m in case.materials:
        if text in (m.rule.code, m.rule.name):
            return _material(ctx, m.rule)
    return Material(text, "材料", 1)


def _handover(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> HandoverData:
    h = case.handovers[-1]
    return HandoverData(
        case=case_info(ctx, case),
        to_body=h.to_body,
        handed_by=ctx.receiver.describe(),
        received_by=h.received_by,
        materials=[_handover_material(ctx, case, x) for x in h.materials],
        on=h.on,
        note=h.note,
        other_place=case.other_place.place if case.other_place else "",
        expected_result=_due(ctx, case),
    )


def _extension(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> ExtensionData:
    ext = case.extensions[-1]
    new = _due(ctx, case)
    assert new is not None, "an extension needs a running time limit"
    return ExtensionData(
        case=case_info(ctx, case),
        reason=ext.reason,
        days=ext.days,
        new_deadline=new,
        old_deadline=_due(ctx, before),
    )


def _pickup(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> PickupData:
    out = case.outcome
    assert out is not None
    result = f"{out.decided_by}决定" + (f"（文书编号{out.document_no}）" if out.document_no else "")
    if not out.approved:
        result += f"，理由：{out.reason}；咨询：{out.contact}"
    arrived = case.result_arrived_on
    return PickupData(
        case=case_info(ctx, case),
        result=result,
        approved=out.approved,
        arrived_on=Deadline(arrived) if arrived else None,
    )


BUILDERS: dict[Notice, Builder] = {
    Notice.ACCEPTANCE: _acceptance,
    Notice.RECEIPT: _receipt,
    Notice.CORRECTION: _correction,
    Notice.REFUSAL: _refusal,
    Notice.TOLERANT: _tolerant,
    Notice.COMMITMENT: _commitment,
    Notice.HANDOVER: _handover,
    Notice.EXTENSION: _extension,
    Notice.PICKUP: _pickup,
}


def _issue(kind: str, data: object) -> IssuedNotice:
    spec = NOTICE_KINDS[kind]
    return IssuedNotice(kind, spec.title, spec.build(data))


def notices_for_step(ctx: NoticeContext, before: CaseFile, step: Step) -> list[IssuedNotice]:
    """The notices one decision issues, in the table's order."""
    return [_issue(KIND_OF[n], BUILDERS[n](ctx, before, step.case)) for n in step.notices]


def receipt_on_open(ctx: NoticeContext, case: CaseFile) -> IssuedNotice:
    """收件凭证 of intake (R-K1, R-K2): materials received, what is missing, 受理期限."""
    return _issue("receipt", receipt_data(ctx, None, case))
