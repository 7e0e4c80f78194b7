"""Decision rules of the case machine (R-K2, R-K4, R-K5, R-K8): materials, correction,
refusal, 容缺受理, 告知承诺, forwarding, outcome, and a full case."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from appliance.cases.rules import commands as c
from appliance.cases.rules.case import AcceptMode, mark_materials
from appliance.cases.rules.machine import legal_actions, perform
from appliance.cases.rules.materials import (
    ItemKind,
    SpecialProcedure,
    correction_list,
    main_materials_complete,
    missing_required,
)
from appliance.cases.rules.records import (
    RIGHTS_TEXT,
    NotifyCommitment,
    OtherPlace,
    OtherPlaceKind,
    PickupDelivery,
)
from appliance.cases.rules.states import Action, CaseState
from appliance.cases.rules.table import Notice
from appliance.core.errors import Conflict, Invalid
from tests.cases.machine_support import (
    ALL_RECEIVED,
    COMMITMENT,
    D0,
    INCOME_MISSING,
    ITEM,
    D,
    M,
    R,
    accepted,
    ctx,
    forward_cmd,
    new_case,
    run,
    tolerant,
)


def refused_with(case: object, cmd: c.Command, code: str, days: int = 0) -> str:
    """Perform, expect a refusal with ``code``; the case stays as it was. Returns the message."""
    before = dataclasses.replace(case)  # type: ignore[type-var]
    with pytest.raises((Conflict, Invalid)) as err:
        perform(case, cmd, ctx(days))  # type: ignore[arg-type]
    assert err.value.code == code, err.value.message
    assert case == before
    return err.value.message


# --- 受理 and the checklist (R-K1, R-K2) ---------------------------------------------


def test_accept_needs_every_required_material() -> None:
    case = new_case({"id": (R, ""), "form": (D, "未签名"), "income": (M, "")})
    msg = refused_with(case, c.Accept(), "materials_incomplete")
    assert "低保申请书" in msg and "家庭收入证明" in msg and "“收件”" in msg
    assert Action.ACCEPT not in legal_actions(case)
    step = perform(mark_materials(case, {"form": (R, ""), "income": (R, "")}), c.Accept(), ctx())
    assert step.case.state is CaseState.ACCEPTED and step.case.accepted_on == D0
    assert step.notices == (Notice.ACCEPTANCE,) and step.sms


def test_optional_material_missing_does_not_block_acceptance() -> None:
    marks = dict(ALL_RECEIVED, photo=(M, ""))
    assert run(new_case(marks), c.Accept()).state is CaseState.ACCEPTED


def test_checklist_helpers() -> None:
    case = new_case({"id": (R, ""), "form": (D, "未签名"), "income": (M, ""), "photo": (D, "模糊")})
    assert [m.rule.code for m in missing_required(case.materials)] == ["form", "income"]
    assert not main_materials_complete(case.materials)  # 申请书 is main and defective
    assert [line.code for line in correction_list(case.materials)] == ["form", "income", "photo"]


def test_checklist_rejects_unknown_material_and_defect_without_note() -> None:
    case = new_case()
    with pytest.raises(Invalid, match="没有这些材料"):
        mark_materials(case, {"nope": (R, "")})
    with pytest.raises(Invalid, match="须注明问题"):
        mark_materials(case, {"form": (D, " ")})


def test_checklist_locked_after_intake() -> None:
    with pytest.raises(Conflict, match="只能在收件时修改"):
        mark_materials(accepted(), {"photo": (R, "")})


# --- 补正 (R-K2: every item, in writing, with a deadline) ------------------------------


def test_correction_lists_every_missing_or_defective_material() -> None:
    case = new_case({"id": (D, "已过期"), "form": (M, ""), "income": (M, ""), "photo": (D, "模糊")})
    step = perform(case, c.RequestCorrection(deadline=D0 + timedelta(days=5)), ctx())
    corr = step.case.correction
    # Sat 28 given: lands on the next working day, Mon 30 (issue 16, item 4)
    assert corr is not None and corr.deadline == D0 + timedelta(days=7)
    assert corr.lines == (
        "更正：申请人身份证（已过期）",
        "补交：低保申请书",
        "补交：家庭收入证明",
        "更正：家庭成员照片（模糊）",
    )
    assert step.transition.details["items"] == "；".join(corr.lines)
    assert step.notices == (Notice.CORRECTION,) and step.sms


def test_correction_needs_something_to_correct_and_a_future_deadline() -> None:
    refused_with(new_case(ALL_RECEIVED), c.RequestCorrection(deadline=D0), "nothing_to_correct")
    refused_with(new_case(), c.RequestCorrection(deadline=D0 - timedelta(days=1)), "bad_deadline")


def test_applicant_returns_and_the_case_continues() -> None:
    case = run(new_case(), c.RequestCorrection(deadline=D0 + timedelta(days=3)))
    case = run(case, c.Resubmit(marks={"income": (R, "")}), days=2)
    assert case.state is CaseState.RECEIVED
    case = run(case, c.Accept(), days=2)
    assert case.state is CaseState.ACCEPTED and case.accepted_on == D0 + timedelta(days=2)


def test_close_only_after_the_correction_deadline() -> None:
    case = run(new_case(), c.RequestCorrection(deadline=D0 + timedelta(days=3)))
    msg = refused_with(case, c.Close(reason="逾期"), "correction_period_running", days=3)
    assert "2026-11-26" in msg
    closed = perform(case, c.Close(reason="逾期未补正"), ctx(4)).case
    assert closed.state is CaseState.CLOSED and legal_actions(closed) == []


# --- 不予受理 (R-K2: reason + 行政复议 / 行政诉讼) ---------------------------------------------


def test_refusal_needs_a_reason_and_carries_the_rights() -> None:
    refused_with(new_case(), c.Refuse(reason="  "), "reason_required")
    step = perform(new_case(), c.Refuse(reason="不属于本站受理范围"), ctx())
    refusal = step.case.refusal
    assert refusal is not None and refusal.reason == "不属于本站受理范围"
    assert "行政复议" in refusal.rights and "行政诉讼" in refusal.rights
    assert step.transition.details["rights"] == RIGHTS_TEXT
    assert step.notices == (Notice.REFUSAL,)


# --- 容缺受理 (R-K2) ------------------------------------------------------------------------


def test_tolerant_refused_when_a_main_material_is_missing() -> None:
    case = new_case({"id": (R, ""), "form": (M, ""), "income": (M, "")})
    msg = refused_with(
        case,
        c.AcceptTolerant(deadline=D0 + timedelta(days=5), signed_by="张三"),
        "main_materials_incomplete",
    )
    assert "低保申请书" in msg
    assert Action.ACCEPT_TOLERANT not in legal_actions(case)


def test_barred_action_is_refused_and_not_offered() -> None:
    """R-K2: facts outside the case (a 容缺失信 record) bar 容缺受理; the rest stays open."""
    case = new_case(INCOME_MISSING)
    why = "申请人有容缺承诺逾期未补齐的记录"
    barred = {Action.ACCEPT_TOLERANT: why}
    cmd = c.AcceptTolerant(deadline=D0 + timedelta(days=5), signed_by="张三")
    with pytest.raises(Conflict) as err:
        perform(case, cmd, dataclasses.replace(ctx(), barred=barred))
    assert err.value.code == "barred" and why in err.value.message
    assert "容缺受理" not in err.value.message.split("可进行的操作：")[1]
    offered = legal_actions(case, barred=barred)
    assert Action.ACCEPT_TOLERANT not in offered and Action.REQUEST_CORRECTION in offered
    assert Action.ACCEPT_TOLERANT in legal_actions(case)  # without the record it is open
    assert perform(case, cmd, ctx()).case.state is CaseState.TOLERANT_ACCEPTED


def test_tolerant_refused_when_item_does_not_allow_it_or_nothing_is_owed() -> None:
    item = dataclasses.replace(ITEM, allows_tolerant=False)
    cmd = c.AcceptTolerant(deadline=D0 + timedelta(days=5), signed_by="张三")
    assert "不适用容缺受理" in refused_with(new_case(item=item), cmd, "tolerant_not_allowed")
    refused_with(new_case(ALL_RECEIVED), cmd, "nothing_owed")


def test_tolerant_acceptance_records_commitment_and_supply_completes_it() -> None:
    step = perform(
        new_case(), c.AcceptTolerant(deadline=D0 + timedelta(days=5), signed_by="张三"), ctx()
    )
    case = step.case
    assert case.state is CaseState.TOLERANT_ACCEPTED and case.accept_mode == AcceptMode.TOLERANT
    assert case.tolerant is not None and case.tolerant.owed == ("income",)
    assert step.notices == (Notice.TOLERANT, Notice.ACCEPTANCE)
    assert Action.APPROVE not in legal_actions(case)
    refused_with(case, c.Supply(marks={"photo": (R, "")}), "materials_incomplete")
    done = run(case, c.Supply(marks={"income": (R, "")}), days=3)
    assert done.state is CaseState.ACCEPTED and done.tolerant is not None
    assert done.tolerant.fulfilled_on == D0 + timedelta(days=3)


def test_tolerant_lapse_blocks_approval_and_flags_the_applicant() -> None:
    case = tolerant()  # Sat 28 given: the deadline lands on Mon 30 (issue 16)
    refused_with(case, c.Lapse(), "tolerant_deadline_running", days=7)
    refused_with(case, c.Supply(marks={"income": (R, "")}), "tolerant_deadline_passed", days=8)
    lapsed = perform(case, c.Lapse(), ctx(8)).case
    assert lapsed.state is CaseState.TOLERANT_LAPSED and lapsed.applicant_flagged
    assert legal_actions(lapsed) == [Action.REJECT]
    with pytest.raises(Conflict, match="不能准予办结"):
        perform(lapsed, c.Approve(decided_by="镇民政办"), ctx(8))
    rejected = run(
        lapsed,
        c.Reject(decided_by="镇民政办", reason="逾期未补齐容缺材料", contact="0731-1"),
        days=8,
    )
    assert rejected.outcome is not None and not rejected.outcome.approved


# --- 告知承诺 (R-K2, XC a–d) ------------------------------------------------------------------


def test_commitment_refused_when_item_does_not_allow_it() -> None:
    item = dataclasses.replace(ITEM, allows_commitment=False)
    msg = refused_with(
        new_case(item=item), c.AcceptCommitment(commitment=COMMITMENT), "commitment_not_allowed"
    )
    assert "不适用告知承诺" in msg and "最低生活保障申请" in msg


@pytest.mark.parametrize(
    "field", ["legal_basis", "conditions", "services", "verification", "signed_by"]
)
def test_commitment_letter_must_cover_a_to_d(field: str) -> None:
    values = dataclasses.asdict(COMMITMENT) | {field: ""}
    with pytest.raises(Invalid, match="缺少必填项"):
        NotifyCommitment(**values)


def test_commitment_accepts_with_materials_outstanding() -> None:
    step = perform(new_case({"id": (R, "")}), c.AcceptCommitment(commitment=COMMITMENT), ctx())
    assert step.case.state is CaseState.COMMITMENT_ACCEPTED
    assert step.case.commitment == COMMITMENT
    assert step.notices == (Notice.COMMITMENT, Notice.ACCEPTANCE)


# --- 上报流转, 通办/代收 and outcome (R-K4, R-K5, R-K8) ------------------------------------------


def test_forwarding_requires_a_complete_handover_record() -> None:
    refused_with(accepted(), dataclasses.replace(forward_cmd(), received_by=""), "field_required")
    refused_with(
        accepted(),
        dataclasses.replace(forward_cmd(), materials=(" ",)),
        "handover_materials_required",
    )
    case = run(accepted(), forward_cmd())
    h = case.handovers[0]
    assert (h.to_body, h.handed_by, h.received_by, h.on) == ("县民政局", "李四", "王五", D0)
    onward = run(case, dataclasses.replace(forward_cmd(), to_body="市民政局"))
    assert onward.state is CaseState.FORWARDED and len(onward.handovers) == 2


@pytest.mark.parametrize(
    "kwargs",
    [
        {"item": dataclasses.replace(ITEM, kind=ItemKind.FORWARDED)},
        {"other_place": OtherPlace(OtherPlaceKind.CROSS_REGION, "广东省深圳市龙岗区")},
        {"other_place": OtherPlace(OtherPlaceKind.COLLECT, "县人社局")},
    ],
    ids=["上报件", "通办", "代收"],
)
def test_cases_decided_elsewhere_are_forwarded_and_followed(kwargs: dict[str, object]) -> None:
    case = run(new_case(ALL_RECEIVED, **kwargs), c.Accept())  # type: ignore[arg-type]
    assert Action.APPROVE not in legal_actions(case)
    refused_with(case, c.Approve(decided_by="镇民政办"), "must_forward")
    step = perform(case, forward_cmd(), ctx())
    if case.other_place is not None:
        assert step.transition.details["other_place"].endswith(case.other_place.place)
    done = run(step.case, c.Approve(decided_by="县民政局"), days=3)
    assert done.state is CaseState.APPROVED and done.needs_forwarding and done.forwarded


def test_rejection_needs_reason_and_contact_and_carries_rights() -> None:
    refused_with(
        accepted(), c.Reject(decided_by="镇民政办", reason="", contact="x"), "reason_required"
    )
    refused_with(
        accepted(), c.Reject(decided_by="镇民政办", reason="收入超标", contact=""), "field_required"
    )
    case = run(accepted(), c.Reject(decided_by="镇民政办", reason="收入超标", contact="0731-1"))
    assert case.outcome is not None and case.outcome.rights == RIGHTS_TEXT


def test_special_procedure_must_be_one_of_the_item() -> None:
    cmd = c.StartSpecial(procedure=SpecialProcedure.EXPERT_REVIEW, reason="评审")
    assert "专家评审" in refused_with(accepted(), cmd, "special_not_allowed")
    item = dataclasses.replace(ITEM, special_procedures=frozenset())
    case = run(new_case(ALL_RECEIVED, item=item), c.Accept())
    assert Action.START_SPECIAL not in legal_actions(case)


def test_special_procedure_resumes_where_it_stopped() -> None:
    case = run(accepted(), forward_cmd())
    hearing = c.StartSpecial(procedure=SpecialProcedure.HEARING, reason="听证")
    stopped = run(case, hearing, days=1)
    assert stopped.state is CaseState.SPECIAL_PROCEDURE and legal_actions(stopped) == [
        Action.END_SPECIAL
    ]
    resumed = run(stopped, c.EndSpecial(), days=8)
    assert resumed.state is CaseState.FORWARDED and resumed.resume_state is None
    assert resumed.stops[0].start == D0 + timedelta(days=1)
    assert resumed.stops[0].end == D0 + timedelta(days=8)


# --- a whole case, every step recorded ---------------------------------------------------


def test_full_case_history_records_who_when_why() -> None:
    case = new_case()
    steps = [
        (c.RequestCorrection(deadline=D0 + timedelta(days=3), reason="缺收入证明"), 0),
        (c.Resubmit(marks={"income": (R, "")}), 1),
        (c.Accept(), 1),
        (forward_cmd(), 1),
        (c.Extend(days=2, reason="需入户核查"), 2),
        (c.Approve(decided_by="县民政局", document_no="民〔2026〕1号"), 5),
        (c.NotifyPickup(arrived_on=D0 + timedelta(days=5)), 5),
        (c.Deliver(delivery=PickupDelivery("张三", "110101199003071234", "SIG-0001")), 7),
    ]
    for i, (cmd, day) in enumerate(steps):
        case = perform(case, cmd, ctx(day, actor=f"staff{i}")).case
    assert case.state is CaseState.DELIVERED
    assert [t.actor for t in case.history] == [f"staff{i}" for i in range(len(steps))]
    assert [t.action for t in case.history] == [cmd.ACTION for cmd, _ in steps]
    assert all(t.at.tzinfo is not None for t in case.history)
    assert case.history[0].reason == "缺收入证明"
    assert legal_actions(case) == []  # a signed pickup cannot come back
