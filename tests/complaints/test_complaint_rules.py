"""Pure rules of complaints (R-P2, R-I3): the order of steps, who reads a confidential one,
how the complainant is kept out of texts."""

from __future__ import annotations

import pytest

from appliance.complaints.rules import (
    ALLOWED,
    PROMISES,
    WITHHELD,
    AnswerVia,
    State,
    Step,
    check_answer_via,
    check_readable,
    complainant_shown,
    may_read,
    next_state,
    scrub,
    secrets_of,
)
from appliance.core.errors import Conflict, Invalid, NotAllowed
from appliance.core.roles import Role


def test_the_road_from_verify_to_closed_r_p2() -> None:
    state = State.VERIFY
    for step in (Step.VERIFY, Step.TRANSFER, Step.FOLLOW, Step.FOLLOW, Step.RESULT, Step.ANSWER):
        state = next_state(state, step)
    assert state is State.ANSWERED
    assert next_state(state, Step.CLOSE) is State.CLOSED
    assert next_state(next_state(State.HANDLE, Step.HANDLE), Step.ANSWER) is State.ANSWERED


@pytest.mark.parametrize("step", sorted(PROMISES))
def test_no_promise_before_verify_r_p2(step: Step) -> None:
    with pytest.raises(Conflict, match="不得作出承诺"):
        next_state(State.VERIFY, step)


def test_no_close_without_an_answer_and_nothing_after_closing_r_p2() -> None:
    for state in (State.HANDLE, State.TRANSFERRED, State.ANSWER):
        with pytest.raises(Conflict, match="尚未答复投诉人"):
            next_state(state, Step.CLOSE)
    with pytest.raises(Conflict, match="已办结"):
        next_state(State.CLOSED, Step.FOLLOW)
    assert ALLOWED[State.CLOSED] == ()


def test_only_the_complaints_role_and_the_head_read_a_confidential_one_r_i3() -> None:
    readers = {role for role in Role if may_read(role, True)}
    assert readers == {Role.COMPLAINTS, Role.MANAGER}
    assert all(may_read(role, False) for role in Role)
    with pytest.raises(NotAllowed, match="保密投诉"):
        check_readable(Role.WINDOW, True, "TS-1")


def test_scrub_takes_the_complainant_out_of_a_text_r_i3() -> None:
    secrets = secrets_of("欧阳秀兰", "13712345678", "a@b.cn")
    text = "我欧阳秀兰（秀兰）电话13712345678，邮箱a@b.cn"
    withheld = scrub(text, secrets, True)
    assert "秀兰" not in withheld and "1371234" not in withheld and "a@b.cn" not in withheld
    masked = scrub(text, secrets, False)
    assert "欧**兰" in masked and "137****5678" in masked and "欧阳秀兰" not in masked
    assert complainant_shown("欧阳秀兰", True) == WITHHELD
    assert complainant_shown("", False) == "匿名"


def test_answer_channels_r_p2() -> None:
    check_answer_via(AnswerVia.SMS, True, False)
    check_answer_via(AnswerVia.POSTED, False, False)
    with pytest.raises(Invalid, match="手机号码"):
        check_answer_via(AnswerVia.SMS, False, True)
    with pytest.raises(Invalid, match="直接答复"):
        check_answer_via(AnswerVia.POSTED, False, True)
