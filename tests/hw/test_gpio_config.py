"""GPIO settings: typed defaults, read from ``gpio_*`` station settings (R-Q1, R-E2)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any

import pytest

from appliance.settings import Settings
from hw.gpio import GpioConfig, make_button, make_buzzer
from hw.gpio.config import parse_chip, parse_pins, settings_fields


def test_defaults_r_q1() -> None:
    """R-Q1: 30 ms debounce, 3 s interval, 2 s long press, 10 s stuck, pull-up wiring."""
    config = GpioConfig()
    assert (config.debounce_ms, config.button_min_interval_s) == (30, 3.0)
    assert (config.long_press_s, config.stuck_after_s, config.button_pull_up) == (2.0, 10.0, True)
    assert config.keypad_layout == {5: 5, 6: 4, 13: 3, 19: 2, 26: 1}
    assert config.backend == "fake"


def test_from_settings_reads_gpio_prefixed_strings_r_e2() -> None:
    """R-E2: settings hold text and numbers; pins arrive as "4,17,27,22,23"."""
    settings = SimpleNamespace(
        gpio_backend="rpi",
        gpio_chip="/dev/gpiochip4",
        gpio_button_pin="21",
        gpio_button_pull_up="false",
        gpio_long_press_s="2.5",
        gpio_keypad_pins="4, 17,27,22,23",
        gpio_keypad_levels="1,2,3,4,5",
        gpio_keypad_window=3,
        unrelated="x",
    )
    config = GpioConfig.from_settings(settings)
    assert config.backend == "rpi" and config.chip == 4
    assert (config.button_pin, config.button_pull_up, config.long_press_s) == (21, False, 2.5)
    assert config.keypad_layout == {4: 1, 17: 2, 27: 3, 22: 4, 23: 5}
    assert config.keypad_window == 3
    assert config.stuck_after_s == 10.0  # missing: default


def test_station_settings_agree_with_gpio_defaults_r_q1() -> None:
    """R-Q1: the station Settings give the same config; any gpio_ field there has our default."""
    assert GpioConfig.from_settings(Settings()) == GpioConfig()
    station = {f.name: f for f in dataclasses.fields(Settings)}
    for name, default, help_text in settings_fields():
        assert name.startswith("gpio_") and help_text
        if name in station:
            assert station[name].default == default, name


@pytest.mark.parametrize(
    "overrides",
    [
        {"backend": "pigpio"},
        {"keypad_levels": (5, 4, 3)},
        {"long_press_s": 12.0},
        {"buzzer_pin": 17},
        {"debounce_ms": -1},
    ],
)
def test_bad_configs_are_rejected_r_q1(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        GpioConfig(**overrides)


def test_parsers_r_q1() -> None:
    assert parse_pins("5;6 13") == (5, 6, 13)
    assert parse_pins([1, 2]) == (1, 2)
    assert [parse_chip(v) for v in ("", "0", "gpiochip4", "/dev/gpiochip0", 2)] == [-1, 0, 4, 0, 2]


def test_factory_uses_config_r_q1() -> None:
    from hw.gpio import FakePins, ManualScheduler

    sched = ManualScheduler()
    pins = FakePins(sched.clock)
    config = GpioConfig(button_pin=21, long_press_s=1.5, stuck_after_s=8.0, buzzer_pin=12)
    button = make_button(config, pins, clock=sched.clock, scheduler=sched)
    assert (button.pin, button.long_press_s, button.stuck_after_s) == (21, 1.5, 8.0)
    assert make_buzzer(config, pins).pin == 12
