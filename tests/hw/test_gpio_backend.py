"""The pin backend over RPi.GPIO, and the fake ``RPi.GPIO`` module itself (R-Q1, R-E2).

The backend imports ``RPi.GPIO`` lazily; with the fake in ``sys.modules`` that import gets
the fake, so these tests run the real backend code. Off a Pi the import fails and becomes
:class:`GpioUnavailable`, a "not ready" state, never a crash at import time.
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest

from hw.gpio import (
    FakeGpio,
    FakePins,
    GpioUnavailable,
    ManualClock,
    PinBackend,
    RpiGpioBackend,
    install,
    make_backend,
)


def test_backend_imports_rpi_gpio_lazily_and_uses_bcm_r_q1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R-Q1: nothing imports RPi.GPIO until a backend is made; then BCM, warnings off."""
    gpio = install(monkeypatch, FakeGpio())
    assert gpio.mode is None
    backend = RpiGpioBackend()
    assert isinstance(backend, PinBackend)
    assert gpio.mode == FakeGpio.BCM and gpio.warnings is False


def test_lg_wd_is_set_to_a_temp_dir_when_unset_r_q1(monkeypatch: pytest.MonkeyPatch) -> None:
    """R-Q1: lgpio drops a FIFO in LG_WD (else the cwd): we point it at a private temp dir."""
    install(monkeypatch, FakeGpio())
    monkeypatch.delenv("LG_WD", raising=False)
    monkeypatch.delenv("RPI_LGPIO_CHIP", raising=False)
    RpiGpioBackend(chip=4)
    workdir = Path(os.environ["LG_WD"])
    assert workdir.is_dir() and workdir != Path.cwd()
    assert os.environ["RPI_LGPIO_CHIP"] == "4"


def test_lg_wd_already_set_is_kept_r_q1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    install(monkeypatch, FakeGpio())
    monkeypatch.setenv("LG_WD", str(tmp_path))
    RpiGpioBackend()
    assert os.environ["LG_WD"] == str(tmp_path)


def test_import_that_changes_directory_is_undone_r_q1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """R-Q1: importing lgpio chdir()s into LG_WD; the backend restores the working dir."""
    package = tmp_path / "lib" / "RPi"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "GPIO.py").write_text(
        "import os, sys\n"
        "os.chdir(os.environ['LG_WD'])  # what lgpio's import does\n"
        "from hw.gpio.fake_rpi_gpio import FakeGpio\n"
        "sys.modules[__name__] = FakeGpio()\n",
        encoding="utf-8",
    )
    workdir, home = tmp_path / "lgwd", tmp_path / "home"
    workdir.mkdir()
    home.mkdir()
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    monkeypatch.setenv("LG_WD", str(workdir))
    monkeypatch.chdir(home)
    saved: dict[str, types.ModuleType] = {
        name: sys.modules.pop(name) for name in ("RPi", "RPi.GPIO") if name in sys.modules
    }
    try:
        backend = RpiGpioBackend()
        assert Path.cwd() == home
        assert isinstance(sys.modules["RPi.GPIO"], FakeGpio)
        backend.setup_output(18)
    finally:
        sys.modules.pop("RPi.GPIO", None)
        sys.modules.pop("RPi", None)
        sys.modules.update(saved)


def test_no_rpi_gpio_means_gpio_unavailable_r_q1(monkeypatch: pytest.MonkeyPatch) -> None:
    """R-Q1: off a Pi the import fails; that becomes GpioUnavailable with a Chinese reason."""
    monkeypatch.setitem(sys.modules, "RPi", None)
    monkeypatch.setitem(sys.modules, "RPi.GPIO", None)
    with pytest.raises(GpioUnavailable) as info:
        make_backend("rpi")
    assert "无法加载 GPIO 库" in info.value.reason


def test_chip_that_cannot_open_means_gpio_unavailable_r_q1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R-Q1: rpi-lgpio's setmode fails with "can not open gpiochip" where no chip exists."""
    gpio = install(monkeypatch, FakeGpio())

    def setmode(mode: int) -> None:
        raise RuntimeError("can not open gpiochip")

    monkeypatch.setattr(gpio, "setmode", setmode)
    with pytest.raises(GpioUnavailable, match="gpiochip"):
        RpiGpioBackend()


def test_edges_reach_every_callback_with_the_level_r_q1(monkeypatch: pytest.MonkeyPatch) -> None:
    """R-Q1: one add_event_detect(BOTH) per pin; each edge calls back (pin, level)."""
    clock = ManualClock()
    gpio = install(monkeypatch, FakeGpio(clock))
    backend = RpiGpioBackend()
    backend.setup_input(17, pull_up=True)
    assert backend.read(17) == 1
    seen: list[tuple[str, int, int]] = []
    backend.add_edge_callback(17, lambda pin, level: seen.append(("a", pin, level)))
    backend.add_edge_callback(17, lambda pin, level: seen.append(("b", pin, level)))
    gpio.drive(17, 0)
    gpio.drive(17, 0)  # no change, no edge
    gpio.drive(17, 1)
    assert seen == [("a", 17, 0), ("b", 17, 0), ("a", 17, 1), ("b", 17, 1)]
    backend.cleanup()
    assert not gpio.detecting(17) and gpio.cleaned == 1


def test_outputs_are_recorded_with_the_clock_r_q1(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = ManualClock(5.0)
    gpio = install(monkeypatch, FakeGpio(clock))
    backend = RpiGpioBackend()
    backend.setup_output(18)
    backend.write(18, 1)
    clock.advance(0.25)
    backend.write(18, 0)
    assert gpio.outputs_for(18) == [(5.0, 1), (5.25, 0)]
    assert backend.read(18) == 0


def test_fake_module_behaves_like_rpi_gpio_r_q1() -> None:
    """R-Q1: the fake refuses what the real library refuses."""
    gpio = FakeGpio()
    with pytest.raises(RuntimeError, match="setmode"):
        gpio.setup(17, gpio.IN)
    gpio.setmode(gpio.BCM)
    with pytest.raises(ValueError):
        gpio.setmode(gpio.BOARD)
    with pytest.raises(RuntimeError, match="setup"):
        gpio.input(17)
    gpio.setup(17, gpio.IN, pull_up_down=gpio.PUD_DOWN)
    assert gpio.input(17) == 0
    with pytest.raises(RuntimeError, match="OUTPUT"):
        gpio.output(17, 1)
    gpio.add_event_detect(17, gpio.FALLING)
    with pytest.raises(RuntimeError, match="Conflicting"):
        gpio.add_event_detect(17, gpio.BOTH)
    falls: list[int] = []
    gpio.add_event_callback(17, falls.append)
    gpio.drive(17, 1)
    gpio.drive(17, 0)
    assert falls == [17]
    gpio.setup(18, gpio.OUT)
    with pytest.raises(ValueError):
        gpio.drive(18, 1)


def test_install_into_a_plain_mapping_r_q1() -> None:
    modules: dict[str, types.ModuleType] = {}
    fake = install(modules)
    assert modules["RPi.GPIO"] is fake
    assert modules["RPi"].GPIO is fake


def test_make_backend_kinds_r_q1() -> None:
    fake = make_backend("fake")
    assert isinstance(fake, FakePins) and isinstance(fake, PinBackend)
    fake.setup_input(17, pull_up=True)
    fake.drive(17, 0)
    assert fake.read(17) == 0
    with pytest.raises(ValueError):
        make_backend("pigpio")
