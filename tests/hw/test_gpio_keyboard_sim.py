"""The keyboard simulation for ``make run``: keys drive fake pins under the real devices.

Space is a short press, ``l`` a long press, ``s`` holds the button (stuck alert), ``1``–``5``
are rating keys (R-Q1, R-E2).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest

from hw.gpio import (
    FakePins,
    GpioConfig,
    KeyboardSim,
    ManualScheduler,
    make_button,
    make_keypad,
    run_keyboard_sim,
)
from hw.protocols import PressKind


@dataclass
class Station:
    sim: KeyboardSim
    sched: ManualScheduler
    presses: list[PressKind] = field(default_factory=list)
    stuck: list[bool] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)


@pytest.fixture
def station() -> Station:
    sched = ManualScheduler()
    pins = FakePins(sched.clock)
    config = GpioConfig()
    button = make_button(config, pins, clock=sched.clock, scheduler=sched)
    keypad = make_keypad(config, pins, clock=sched.clock, scheduler=sched)
    st = Station(KeyboardSim(pins, config, sched), sched)
    button.on_press(st.presses.append)
    button.on_stuck(st.stuck.append)
    keypad.on_rating(st.ratings.append)
    button.start()
    keypad.start()
    return st


def test_space_is_a_short_press_and_l_a_long_one_r_q1(station: Station) -> None:
    """R-Q1: the simulated keys go through debounce and the press rules."""
    assert station.sim.handle(" ") == "短按取号按钮"
    station.sched.advance(4.0)
    assert station.sim.handle("l") == "长按取号按钮 2.5 秒"
    station.sched.advance(4.0)
    assert station.presses == ["short", "long"]


def test_s_holds_the_button_until_stuck_r_q1(station: Station) -> None:
    """R-Q1: holding the button past the limit raises the stuck alert and clears it."""
    assert "再按 s 松开" in (station.sim.handle("s") or "")
    station.sched.advance(11.0)
    assert station.stuck == [True]
    assert station.sim.handle("S") == "松开取号按钮"
    station.sched.advance(1.0)
    assert station.stuck == [True, False] and station.presses == []


def test_digits_are_rating_keys_r_e2(station: Station) -> None:
    """R-E2: 5 is the 非常满意 key, 1 the 非常不满意 key."""
    for key in "513":
        station.sim.handle(key)
        station.sched.advance(2.0)
    assert station.ratings == [5, 1, 3]


def test_unknown_key_and_overlap_r_q1(station: Station) -> None:
    assert "无法识别" in (station.sim.handle("x") or "")
    assert station.sim.handle("\n") is None
    station.sim.handle(" ")
    assert station.sim.handle(" ") == "该按键正被按住"


def test_run_reads_keys_until_q_r_q1(station: Station) -> None:
    out = io.StringIO()
    assert run_keyboard_sim(station.sim, io.StringIO(" \n4q5"), out) == 0
    station.sched.advance(3.0)
    assert station.presses == ["short"] and station.ratings == [4]
    text = out.getvalue()
    assert (
        "短按取号按钮" in text
        and "按下评价键 4" in text
        and text.endswith("已退出模拟 GPIO 设备\n")
    )
