"""首问负责 rules (R-C1): who is responsible when two answer, and what each outcome needs."""

from __future__ import annotations

import pytest

from appliance.contacts.rules import (
    ROLE_RANK,
    Outcome,
    Responder,
    check_outcome,
    clean_matter,
    parse_channel,
    parse_outcome,
    responsible,
)
from appliance.core.errors import Invalid
from appliance.core.roles import Role


def who(role: Role, name: str = "") -> Responder:
    return Responder(f"id-{role.value}-{name}", f"c-{name}", name or role.value, role)


def test_every_role_has_a_rank_and_the_head_outranks_everyone_r_c1() -> None:
    assert set(ROLE_RANK) == set(Role)
    assert all(ROLE_RANK[Role.MANAGER] > ROLE_RANK[r] for r in Role if r is not Role.MANAGER)
    assert ROLE_RANK[Role.WINDOW] > ROLE_RANK[Role.GUIDE]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (Role.GUIDE, Role.MANAGER, "second"),  # GD 5.1.2: the higher-ranked one
        (Role.MANAGER, Role.GUIDE, "first"),
        (Role.GUIDE, Role.WINDOW, "second"),
        (Role.WINDOW, Role.HELPER, "first"),  # equal rank: the one asked first stays
        (Role.HELPER, Role.COMPLAINTS, "first"),
        (Role.GUIDE, Role.GUIDE, "first"),
    ],
)
def test_the_higher_ranked_of_two_is_responsible_r_c1(
    first: Role, second: Role, expected: str
) -> None:
    a, b = who(first, "a"), who(second, "b")
    assert responsible(a, [b]) == (b if expected == "second" else a)


def test_alone_the_first_responder_is_responsible_r_c1() -> None:
    a = who(Role.GUIDE)
    assert responsible(a) == a


def test_each_outcome_asks_for_what_it_needs_r_c1() -> None:
    with pytest.raises(Invalid, match="写明去向"):
        check_outcome(Outcome.REFERRED, referred_to="  ")
    with pytest.raises(Invalid, match="业务类别"):
        check_outcome(Outcome.GUIDED)
    with pytest.raises(Invalid, match="只能选一项"):
        check_outcome(Outcome.GUIDED, category="A", ticket="A001")
    guided = check_outcome(Outcome.GUIDED, category=" a ", answer="dropped")
    assert (guided.category, guided.ticket, guided.answer) == ("A", None, "")
    referred = check_outcome(Outcome.REFERRED, referred_to="  县不动产登记中心  ", answer="x")
    assert (referred.referred_to, referred.answer) == ("县不动产登记中心", "")
    assert check_outcome(Outcome.ANSWERED, answer=" 带身份证 ").answer == "带身份证"


def test_bad_channel_outcome_and_empty_matter_are_refused_in_chinese_r_c1() -> None:
    with pytest.raises(Invalid, match="接待渠道"):
        parse_channel("fax")
    with pytest.raises(Invalid, match="处理结果"):
        parse_outcome("lost")
    with pytest.raises(Invalid, match="处理结果"):
        parse_outcome("case")  # a case is linked by its own step
    with pytest.raises(Invalid, match="事项"):
        clean_matter(" \n ")
    assert clean_matter(" 高龄津贴  怎么办 ") == "高龄津贴 怎么办"
