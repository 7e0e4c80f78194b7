"""When an SMS cannot go out (R-Q3 "前面还有 N 人" / "请到 2 号窗口" notices): no signal,
no SIM, error replies, an unplugged or silent modem. Temporary failures are retried by the
SMS queue; permanent ones are shown to staff. Real pyserial against the fake pty modem.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hw.modem.errors import cms_info
from hw.modem.fake_device import FakeGsmDevice
from hw.modem.gsm_modem import GsmModem
from hw.protocols import SmsFailed
from tests.hw.test_modem_pdu import CALLING, WAITING, check_submit

TIMEOUT = 0.3


@pytest.fixture
def device(tmp_path: Path) -> Iterator[FakeGsmDevice]:
    with FakeGsmDevice(link=tmp_path / "ttyGSM") as dev:
        yield dev


@pytest.fixture
def modem(device: FakeGsmDevice) -> Iterator[GsmModem]:
    gsm = GsmModem(device.path, timeout=TIMEOUT, send_timeout=0.5)
    yield gsm
    gsm.close()


def send_fails(modem: GsmModem, text: str = WAITING, phone: str = "13812345678") -> SmsFailed:
    with pytest.raises(SmsFailed) as caught:
        modem.send(phone, text)
    return caught.value


def test_no_signal_is_temporary_and_nothing_is_sent_r_q3(
    device: FakeGsmDevice, modem: GsmModem
) -> None:
    """R-Q3: with rssi 99 the notice waits (temporary) and no AT+CMGS is tried."""
    device.signal = 99
    failure = send_fails(modem)
    assert not failure.permanent and "无信号" in failure.reason
    assert not any(c.startswith("AT+CMGS") for c in device.commands)
    status = modem.status()
    assert (status.state, status.signal) == ("no-signal", None)
    device.signal = 18
    assert modem.send("13812345678", WAITING) == [1]
    assert modem.status().signal == 18


def test_not_registered_is_no_signal(device: FakeGsmDevice, modem: GsmModem) -> None:
    device.registered = False
    assert not send_fails(modem).permanent
    assert modem.status().state == "no-signal"


@pytest.mark.parametrize(
    ("sim", "detail"), [("absent", "未插 SIM 卡"), ("SIM PIN", "PIN"), ("SIM PUK", "PUK")]
)
def test_sim_missing_or_locked_is_no_sim(
    device: FakeGsmDevice, modem: GsmModem, sim: str, detail: str
) -> None:
    device.sim = sim  # type: ignore[assignment]
    failure = send_fails(modem)
    assert not failure.permanent and "未插卡" in failure.reason
    status = modem.status()
    assert status.state == "no-sim" and detail in status.detail


@pytest.mark.parametrize(
    ("code", "permanent"),
    [
        (1, True),
        (21, True),
        (28, True),
        (30, True),
        (195, True),
        (304, True),
        (150, True),
        (8, False),
        (27, False),
        (38, False),
        (42, False),
        (322, False),
        (331, False),
        (500, False),
        (999, False),
    ],
)
def test_cms_error_mapping_r_q3(
    device: FakeGsmDevice, modem: GsmModem, code: int, permanent: bool
) -> None:
    """R-Q3: a refused number fails for good; network trouble is retried later."""
    device.cms_errors.append(code)
    failure = send_fails(modem)
    assert failure.permanent is permanent
    assert f"+CMS ERROR: {code}" in failure.reason
    assert cms_info(code).meaning in failure.reason
    assert len(device.received_pdus) == 1
    assert modem.send("13812345678", WAITING) == [1]  # the modem itself is fine


def test_network_loss_reported_by_cms_331_sets_no_signal(
    device: FakeGsmDevice, modem: GsmModem
) -> None:
    device.cms_errors.append(331)
    assert not send_fails(modem).permanent
    assert modem.last_status.state == "no-signal"


def test_invalid_number_is_permanent_without_touching_the_modem(
    device: FakeGsmDevice, modem: GsmModem
) -> None:
    failure = send_fails(modem, phone="138-1234-567x")
    assert failure.permanent and "号码无效" in failure.reason
    assert device.commands == []


def test_unplugged_mid_send_then_replugged_r_q3(device: FakeGsmDevice, modem: GsmModem) -> None:
    """R-Q3: the modem is pulled out while a call notice goes out: temporary failure,
    status offline, and the next call after the replug (a new pty) just works."""
    modem.send("13812345678", WAITING)
    device.unplug_on_send = True
    failure = send_fails(modem, CALLING)
    assert not failure.permanent and "未连接" in failure.reason
    assert modem.last_status.state == "offline"
    assert modem.status().state == "offline"  # still gone: not ready, retry later
    assert modem.read_inbound() == []
    device.replug()  # a new pty; the by-id style link follows it
    before = len(device.commands)
    assert modem.send("13812345678", CALLING) == [2]
    check_submit(device.received_pdus[-1:], "+8613812345678", CALLING)
    assert device.commands[before : before + 2] == ["AT", "ATE0"]  # re-initialised
    assert modem.status().state == "ready"


def test_unplugged_between_parts_of_a_long_message(device: FakeGsmDevice, modem: GsmModem) -> None:
    """Pulled out after part 1 of 3: temporary; the retry sends all parts again."""
    text = "请到 2 号窗口办理" * 20
    device.unplug_at_pdu = 2
    assert not send_fails(modem, text).permanent
    assert len(device.received_pdus) == 2
    device.replug()
    assert len(modem.send("13812345678", text)) == 3
    check_submit(device.received_pdus[2:], "+8613812345678", text)


def test_a_new_modem_at_a_new_path(tmp_path: Path) -> None:
    """A replacement modem on another port: a new backend for the new path works."""
    with FakeGsmDevice() as first:
        gsm = GsmModem(first.path, timeout=TIMEOUT)
        first.unplug_on_send = True
        assert not send_fails(gsm).permanent
    with FakeGsmDevice() as second:
        gsm = GsmModem(second.path, timeout=TIMEOUT)
        assert gsm.send("13812345678", WAITING) == [1]
        gsm.close()


def test_silent_modem_times_out_then_recovers(device: FakeGsmDevice, modem: GsmModem) -> None:
    """A modem that stops answering: a clear temporary failure within the timeout."""
    assert modem.status().state == "ready"
    device.silent = True
    started = time.monotonic()
    failure = send_fails(modem)
    assert time.monotonic() - started < 1.5
    assert not failure.permanent and "无响应" in failure.reason
    assert modem.status().state == "offline"
    device.silent = False
    assert modem.send("13812345678", WAITING) == [1]


def test_silent_from_the_start(device: FakeGsmDevice) -> None:
    device.silent = True
    modem = GsmModem(device.path, timeout=0.1)
    started = time.monotonic()
    status = modem.status()
    assert status.state == "offline" and status.detail == "短信猫无响应"
    assert time.monotonic() - started < 2.0
    modem.close()


def test_no_answer_after_ctrl_z_is_temporary(device: FakeGsmDevice, modem: GsmModem) -> None:
    device.hang_on_send = True
    started = time.monotonic()
    failure = send_fails(modem)
    assert not failure.permanent and "无响应" in failure.reason
    assert 0.5 <= time.monotonic() - started < 2.0  # send_timeout, not the command timeout
    assert len(device.received_pdus) == 1
