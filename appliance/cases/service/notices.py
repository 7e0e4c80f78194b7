"""Notices issued on a case (办件通知书, R-K2–R-K6): the domain case → ``appliance.documents.notices`` content.

For every ``table.Notice`` a step issues, :func:`notices_for_step` fills the matching
``appliance.documents.notices`` data type (HN-3 6.5.4 / XC 附录 E–G elements: item, applicant with the ID
masked, receiver, materials with 原件/复印件 and count, deadlines, reasons, rights, date,
case number, seal area, QR code to ``{public_url}/cases/{case_number}``) and builds the
printed ``Notice``. :func:`receipt_on_open` is the 收件凭证 of intake (transition 0).
The context and the helpers shared by the builders are in ``notice_context``.

A deadline in a year without holiday data carries the provisional mark (暂定).
Nothing here writes: the caller renders, stores and prints (``notice_store``).
"""

from __future__ import annotations

from collections.abc import Callable

from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.deadlines import acceptance_deadline
from appliance.cases.rules.machine import Step
from appliance.cases.rules.materials import ItemKind, MaterialStatus, correction_list
from appliance.cases.rules.states import Action
from appliance.cases.rules.table import Notice
from appliance.cases.service.notice_context import (
    IssuedNotice,
    NoticeContext,
    case_due,
    case_info,
    deadline_of,
    forward_body,
    limit_days,
    material_of,
    materials_of,
    owed_materials,
    received_materials,
    time_limit_text,
)
from appliance.documents.notices import (
    NOTICE_KINDS,
    AcceptanceData,
    CorrectionData,
    Deadline,
    ExtensionData,
    HandoverData,
    InformCommitmentData,
    Material,
    PickupData,
    ReceiptData,
    RefusalData,
    TolerantCommitmentData,
)

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


# ---- one builder per notice ------------------------------------------------------------------
Builder = Callable[[NoticeContext, CaseFile, CaseFile], object]  # (ctx, before, after) → data


def _acceptance(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> AcceptanceData:
    due = case_due(ctx, case) or deadline_of(ctx, ctx.today)
    immediate = case.item.kind is ItemKind.IMMEDIATE and not case.extensions
    return AcceptanceData(
        case=case_info(ctx, case),
        materials_received=received_materials(ctx, case),
        deadline=due,
        time_limit_days=limit_days(case),
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
            materials_received=materials_of(ctx, supplied),
            expected_result=case_due(ctx, case),
            proof_only=False,
            notes=["容缺材料已全部补齐，本事项按受理时承诺的时限继续办理。"],
        )
    if last is Action.RESUBMIT:
        return ReceiptData(
            case=case_info(ctx, case, ctx.today),
            materials_received=received_materials(ctx, case),
            notes=["补正材料已收到，本站将重新审查，并书面告知是否受理。"],
        )
    notes = []
    missing = [m.rule.name for m in case.materials if m.rule.required and not m.ok]
    if missing:
        notes.append(f"尚缺或需补正的材料：{'、'.join(missing)}。")
    if case.needs_forwarding:
        body = forward_body(case)
        notes.append(f"本事项由{body}审批，受理后本站将申请材料报送{body}。")
    return ReceiptData(
        case=case_info(ctx, case),
        materials_received=received_materials(ctx, case),
        decide_by=deadline_of(ctx, acceptance_deadline(ctx.calendar, case.received_on)),
        notes=notes,
    )


def _receipt(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> ReceiptData:
    return receipt_data(ctx, before, case)


def _correction(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> CorrectionData:
    assert case.correction is not None
    owed = correction_list(case.materials)
    missing = [
        material_of(ctx, case.item.material(x.code))
        for x in owed
        if x.status is MaterialStatus.MISSING
    ]
    defective = [
        material_of(ctx, case.item.material(x.code), x.note)
        for x in owed
        if x.status is MaterialStatus.DEFECTIVE
    ]
    return CorrectionData(
        case=case_info(ctx, case),
        missing=missing,
        defective=defective,
        deadline=deadline_of(ctx, case.correction.deadline),
        materials_received=received_materials(ctx, case),
    )


def _refusal(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> RefusalData:
    assert case.refusal is not None
    return RefusalData(case=case_info(ctx, case), reason=case.refusal.reason)


def _tolerant(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> TolerantCommitmentData:
    assert case.tolerant is not None
    return TolerantCommitmentData(
        case=case_info(ctx, case),
        main_materials=received_materials(ctx, case),
        missing=owed_materials(ctx, case),
        deadline=deadline_of(ctx, case.tolerant.deadline),
        time_limit=time_limit_text(case, case_due(ctx, case)),
    )


def _commitment(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> InformCommitmentData:
    c = case.commitment
    assert c is not None
    return InformCommitmentData(
        case=case_info(ctx, case),
        legal_basis=[c.legal_basis],
        conditions=[c.conditions],
        time_limit=time_limit_text(case, case_due(ctx, case)),
        materials=[material_of(ctx, rule) for rule in case.item.materials],
        services=c.services,
        breach_procedure=c.verification,
    )


def _handover_material(ctx: NoticeContext, case: CaseFile, text: str) -> Material:
    for m in case.materials:
        if text in (m.rule.code, m.rule.name):
            return material_of(ctx, m.rule)
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
        expected_result=case_due(ctx, case),
    )


def _extension(ctx: NoticeContext, before: CaseFile, case: CaseFile) -> ExtensionData:
    ext = case.extensions[-1]
    new = case_due(ctx, case)
    assert new is not None, "an extension needs a running time limit"
    return ExtensionData(
        case=case_info(ctx, case),
        reason=ext.reason,
        days=ext.days,
        new_deadline=new,
        old_deadline=case_due(ctx, before),
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
