"""Modem backends picked by settings: the simulated one for ``make run`` writes the R-Q3
notices ("前面还有 N 人", "请到 2 号窗口") to DATA_DIR/sms/outbox.log; the fake one drives
tests of the SMS queue.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appliance.settings import Settings, load_settings
from hw.modem import FakeModem, SimulatedModem
from hw.modem.gsm_modem import GsmModem
from hw.protocols import InboundSms, Modem, SmsFailed
from hwservice.devices import make_modem
from tests.hw.test_modem_pdu import CALLING, WAITING


def test_simulated_modem_writes_the_outbox_r_q3(tmp_path: Path) -> None:
    """R-Q3: on the demo station each notice is one JSON line in outbox.log."""
    modem = SimulatedModem(tmp_path / "sms")
    assert isinstance(modem, Modem)
    assert modem.status().state == "ready"
    assert modem.send("13812345678", WAITING) == [0]
    assert modem.send("+86 139 0000 1111", CALLING * 3) == [1, 2]
    lines = (tmp_path / "sms" / "outbox.log").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["phone"], r["text"], r["parts"]) for r in records] == [
        ("138****5678", WAITING, 1),  # masked on disk (R-I3)
        ("139****1111", CALLING * 3, 2),
    ]
    assert "前面还有 3 人" in lines[0]  # readable Chinese, not \\u escapes
    with pytest.raises(SmsFailed) as caught:
        modem.send("not a phone", WAITING)
    assert caught.value.permanent


def test_simulated_modem_reads_typed_replies(tmp_path: Path) -> None:
    modem = SimulatedModem(tmp_path)
    assert modem.read_inbound() == []
    (tmp_path / "inbox.txt").write_text("13812345678 1\n\n13900001111 很满意 谢谢\n", "utf-8")
    handed: list[list[InboundSms]] = []
    messages = modem.read_inbound(handed.append)
    assert [(m.phone, m.body) for m in messages] == [
        ("13812345678", "1"),
        ("13900001111", "很满意 谢谢"),
    ]
    assert handed == [messages]
    assert (tmp_path / "inbox.txt").read_text("utf-8") == ""
    assert modem.read_inbound() == []


def test_simulated_modem_offline_when_directory_unwritable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    modem = SimulatedModem(blocker / "sms")
    with pytest.raises(SmsFailed) as caught:
        modem.send("13812345678", WAITING)
    assert not caught.value.permanent


def test_fake_modem_records_and_can_be_driven_r_q3() -> None:
    """R-Q3: the SMS queue's tests drive the fake: no signal, failures, replies."""
    modem = FakeModem()
    assert isinstance(modem, Modem)
    assert modem.send("13812345678", WAITING) == [1]
    assert modem.send("13812345678", "号" * 100) == [2, 3]
    assert [(s.text, s.parts) for s in modem.sent] == [(WAITING, 1), ("号" * 100, 2)]
    modem.lose_signal()
    with pytest.raises(SmsFailed) as caught:
        modem.send("13812345678", CALLING)
    assert not caught.value.permanent and "无信号" in caught.value.reason
    assert modem.status().state == "no-signal" and modem.status().signal is None
    modem.restore()
    modem.fail_next("号码不存在", permanent=True)
    with pytest.raises(SmsFailed) as caught:
        modem.send("13812345678", CALLING)
    assert caught.value.permanent
    with pytest.raises(SmsFailed) as caught:
        modem.send("12", CALLING)
    assert caught.value.permanent
    assert modem.send("13812345678", CALLING) == [4]
    assert modem.attempts == 6 and len(modem.sent) == 3


def test_fake_modem_inbound() -> None:
    modem = FakeModem()
    modem.queue_inbound("13812345678", "1")
    modem.unplug()
    assert modem.read_inbound() == [] and modem.status().state == "offline"
    modem.restore()
    assert [m.body for m in modem.read_inbound()] == ["1"]
    assert modem.read_inbound() == []


def test_make_modem_defaults_to_simulated(tmp_path: Path) -> None:
    settings = load_settings(env={}, data_dir=str(tmp_path))
    modem = make_modem(settings)
    assert isinstance(modem, SimulatedModem)
    assert modem.outbox == tmp_path / "sms" / "outbox.log"


def test_make_modem_picks_by_setting(tmp_path: Path) -> None:
    def settings(**fields: object) -> Settings:
        return load_settings(env={}, data_dir=str(tmp_path), **fields)

    assert make_modem(settings(modem_backend="none")) is None
    gsm = make_modem(settings(modem_backend="GSM", modem_port="/dev/ttyUSB9", modem_baud=9600))
    assert isinstance(gsm, GsmModem) and gsm.port == "/dev/ttyUSB9"
    assert gsm.status().state == "offline"  # no such port here: not ready, no crash
    with pytest.raises(ValueError, match="未知的短信猫类型"):
        make_modem(settings(modem_backend="carrier-pigeon"))
