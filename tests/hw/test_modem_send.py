"""Sending SMS through real pyserial to the fake modem on a pty (R-Q3: "前面还有 N 人",
"请到 2 号窗口" for visitors who left a phone number).

Each PDU the modem receives is cross-checked with smspdudecoder.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hw.modem.fake_device import FakeGsmDevice
from hw.modem.gsm_modem import GsmModem
from hw.protocols import Modem
from tests.hw.test_modem_pdu import CALLING, RARE, WAITING, check_submit

INTL = "+8613812345678"


@pytest.fixture
def device(tmp_path: Path) -> Iterator[FakeGsmDevice]:
    with FakeGsmDevice(link=tmp_path / "ttyGSM") as dev:
        yield dev


@pytest.fixture
def modem(device: FakeGsmDevice) -> Iterator[GsmModem]:
    gsm = GsmModem(device.path, timeout=0.3, send_timeout=0.5)
    yield gsm
    gsm.close()


def cmgs_lengths(device: FakeGsmDevice) -> list[int]:
    return [int(m.group(1)) for c in device.commands if (m := re.match(r"AT\+CMGS=(\d+)", c))]


def test_gsm_modem_is_a_modem(modem: GsmModem) -> None:
    assert isinstance(modem, Modem)


def test_short_chinese_sms_is_one_pdu_r_q3(device: FakeGsmDevice, modem: GsmModem) -> None:
    """R-Q3 "前面还有 N 人": init sequence, PDU mode, one AT+CMGS with the right length."""
    refs = modem.send("13812345678", WAITING)
    assert refs == [1]
    assert device.commands[:3] == ["AT", "ATE0", "AT+CMEE=1"]
    assert "AT+CMGF=0" in device.commands
    (pdu,) = device.received_pdus
    assert cmgs_lengths(device) == [len(pdu) // 2 - 1]
    check_submit([pdu], INTL, WAITING)
    assert modem.status().state == "ready"


def test_long_sms_is_concatenated_r_q3(device: FakeGsmDevice, modem: GsmModem) -> None:
    """R-Q3 "请到 2 号窗口" made long: parts of ≤67 units, one reference, seq 1..n."""
    text = CALLING * 3 + "过号请重新取号。"
    refs = modem.send("13812345678", text)
    assert len(refs) == len(device.received_pdus) >= 2
    assert refs == sorted(set(refs))
    parts = check_submit(device.received_pdus, INTL, text)
    assert all(p["header"]["udhi"] for p in parts)
    assert [len(p) // 2 - 1 for p in device.received_pdus] == cmgs_lengths(device)


def test_rare_character_at_the_boundary_survives_r_q3(
    device: FakeGsmDevice, modem: GsmModem
) -> None:
    """R-Q3: a visitor named with 𠀾 at unit 67 gets it whole in part 2."""
    text = "请" * 66 + RARE + "先生到 2 号窗口办理"
    modem.send("13812345678", text)
    parts = check_submit(device.received_pdus, INTL, text)
    assert parts[1]["user_data"]["data"].startswith(RARE)


def test_emoji_survive_r_q3(device: FakeGsmDevice, modem: GsmModem) -> None:
    """R-Q3: an emoji in a short and in a long message reaches the modem intact."""
    modem.send("13812345678", "请到 2 号窗口 🙂")
    modem.send("13812345678", "👍" * 35 + "谢谢")
    check_submit(device.received_pdus[:1], INTL, "请到 2 号窗口 🙂")
    check_submit(device.received_pdus[1:], INTL, "👍" * 35 + "谢谢")


def test_each_message_gets_a_new_concatenation_reference(
    device: FakeGsmDevice, modem: GsmModem
) -> None:
    modem.send("13812345678", "号" * 80)
    modem.send("13812345678", "号" * 80)
    refs = {
        p["user_data"]["header"]["elements"][0]["data"]["reference"]
        for p in check_submit(device.received_pdus[:2], INTL, "号" * 80)
        + check_submit(device.received_pdus[2:], INTL, "号" * 80)
    }
    assert len(refs) == 2


def test_chatty_modem_echo_urcs_and_fragments(tmp_path: Path) -> None:
    """Echo left on, a +CMTI URC before every reply, replies in 3-byte pieces: still fine."""
    with FakeGsmDevice(link=tmp_path / "tty", fragment=True) as device:
        device.urc_before_reply = '+CMTI: "SM",7'
        modem = GsmModem(device.path, timeout=0.5, send_timeout=0.5)
        assert modem.send("13812345678", CALLING) == [1]
        check_submit(device.received_pdus, INTL, CALLING)
        status = modem.status()
        assert (status.state, status.signal) == ("ready", 20)
        modem.close()


def test_port_opens_lazily(tmp_path: Path) -> None:
    """Constructing the backend never touches the port; a missing one is just offline."""
    modem = GsmModem(str(tmp_path / "nothing"), timeout=0.2)
    status = modem.status()
    assert status.state == "offline" and "不可用" in status.detail
    assert modem.read_inbound() == []


def test_status_answers_from_memory_while_a_send_holds_the_modem(modem: GsmModem) -> None:
    """The status bar never waits behind a slow send: it gets the last known status."""
    assert modem.status().state == "ready"
    with modem._lock:  # as during a send waiting for the network
        started = time.monotonic()
        assert modem.status() == modem.last_status
        assert time.monotonic() - started < 1.0
