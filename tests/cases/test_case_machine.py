"""Every transition of the case state machine, legal and illegal (R-K2–R-K6).

For each state × action: a legal pair succeeds with the table's target and a full
transition record (who, when, why); an illegal pair raises ``Conflict`` with a Chinese
message naming the current state and the legal next actions, and the case is unchanged.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest

from appliance.cases.rules import commands as c
from appliance.cases.rules.handlers import HANDLERS
from appliance.cases.rules.machine import legal_actions, perform
from appliance.cases.rules.states import ACTION_LABELS, STATE_LABELS, Action, CaseState
from appliance.cases.rules.table import TRANSITIONS, rows_from
from appliance.core.errors import Conflict
from tests.cases.machine_support import (
    LATE_ACTIONS,
    LATER_DAYS,
    case_in,
    command_for,
    ctx,
)
from tests.test_architecture import contracts

PAIRS = list(itertools.product(CaseState, Action))
LEGAL = [p for p in PAIRS if p in TRANSITIONS]
ILLEGAL = [p for p in PAIRS if p not in TRANSITIONS]


def _id(pair: tuple[CaseState, Action]) -> str:
    return f"{pair[0].value}-{pair[1].value}"


@pytest.mark.parametrize("pair", LEGAL, ids=_id)
def test_legal_transition(pair: tuple[CaseState, Action]) -> None:
    state, action = pair
    case = case_in(state, action)
    before = dataclasses.replace(case)
    assert case.state is state
    assert action in legal_actions(case, include_system=True)
    context = ctx(LATER_DAYS if action in LATE_ACTIONS else 0, actor="赵六")
    cmd = command_for(action, context.today)
    step = perform(case, cmd, context)
    row = TRANSITIONS[pair]
    expected = row.to if row.to is not None else before.resume_state
    assert step.case.state is expected
    t = step.transition
    assert (t.action, t.from_state, t.to_state) == (action, state, expected)
    assert t.actor == "赵六" and t.at == context.at and t.reason == cmd.reason
    assert step.case.history == (*case.history, t)
    assert step.notices == row.notices and step.sms == row.sms
    assert case == before  # the input case is untouched


@pytest.mark.parametrize("pair", ILLEGAL, ids=_id)
def test_illegal_transition(pair: tuple[CaseState, Action]) -> None:
    state, action = pair
    case = case_in(state)
    before = dataclasses.replace(case)
    context = ctx(LATER_DAYS if action in LATE_ACTIONS else 0)
    with pytest.raises(Conflict) as err:
        perform(case, command_for(action, context.today), context)
    e = err.value
    assert e.status == 409 and e.code == "illegal_transition"
    assert f"当前状态为“{STATE_LABELS[state]}”" in e.message
    assert f"不能{ACTION_LABELS[action]}" in e.message
    legal = legal_actions(case)
    if legal:
        assert "可进行的操作：" in e.message
        for a in legal:
            assert ACTION_LABELS[a] in e.message
    else:
        assert "已终结" in e.message
    assert case == before


def test_table_covers_every_non_terminal_state() -> None:
    terminal = {s for s in CaseState if not rows_from(s)}
    assert terminal == {CaseState.REFUSED, CaseState.CLOSED}
    assert {a for _, a in TRANSITIONS} == set(Action)


def test_every_action_has_a_command_and_a_handler() -> None:
    assert set(c.COMMANDS) == set(Action)
    assert set(HANDLERS) == set(c.COMMANDS.values())


@pytest.mark.parametrize("state", list(CaseState), ids=lambda s: s.value)
def test_legal_actions_come_from_the_table(state: CaseState) -> None:
    case = case_in(state)
    assert set(legal_actions(case, include_system=True)) <= {r.action for r in rows_from(state)}


def test_only_end_special_returns_to_the_previous_state() -> None:
    assert [k for k, r in TRANSITIONS.items() if r.to is None] == [
        (CaseState.SPECIAL_PROCEDURE, Action.END_SPECIAL)
    ]


def test_cases_package_is_pure() -> None:
    pkg = Path(__file__).resolve().parents[2] / "appliance" / "cases" / "rules"
    files = list(pkg.glob("*.py"))
    assert len(files) >= 8
    # the layer contract that keeps every feature's rules free of storage and I/O covers them
    assert "appliance.*.rules" in contracts()["pure-rules"]["source_modules"]  # type: ignore[operator]
    for f in files:
        assert "import sqlmodel" not in f.read_text(encoding="utf-8"), f.name
        assert len(f.read_text(encoding="utf-8").splitlines()) < 400, f.name
