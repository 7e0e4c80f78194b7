"""Inbound SMS (短信回复) read from the SIM over a pty (R-Q3: visitors who got "前面还有 N 人"
or "请到 2 号窗口" may reply, e.g. "1"; the ratings issue turns that into a rating).

Messages are deleted from the SIM (AT+CMGD) only after they were decoded and handed over.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hw.modem.deliver import deliver_pdu
from hw.modem.fake_device import FakeGsmDevice
from hw.modem.gsm_modem import GsmModem
from hw.modem.inbound import MISSING_PART, Reassembler, StoredPdu
from hw.modem.pdu import decode_deliver, encode_submit
from hw.protocols import InboundSms

LONG_REPLY = "满意。工作人员很耐心，告诉我到 2 号窗口办理，材料一次就齐了，谢谢！" * 3


@pytest.fixture
def device(tmp_path: Path) -> Iterator[FakeGsmDevice]:
    with FakeGsmDevice(link=tmp_path / "ttyGSM") as dev:
        yield dev


@pytest.fixture
def modem(device: FakeGsmDevice) -> Iterator[GsmModem]:
    gsm = GsmModem(device.path, timeout=0.3, send_timeout=0.5)
    yield gsm
    gsm.close()


def cmgd(device: FakeGsmDevice) -> list[str]:
    return [c for c in device.commands if c.startswith("AT+CMGD")]


def test_reply_and_long_message_are_read_then_deleted_r_q3(
    device: FakeGsmDevice, modem: GsmModem
) -> None:
    """R-Q3: a UCS2 reply "1" and a concatenated reply come back whole, then leave the SIM."""
    device.store_message("+8613812345678", "1")
    long_indexes = device.store_message("13900001111", LONG_REPLY, reference=0x42)
    assert len(long_indexes) >= 2
    seen: list[list[InboundSms]] = []
    deletes_at_handover: list[list[str]] = []

    def handover(messages: list[InboundSms]) -> None:
        seen.append(messages)
        deletes_at_handover.append(cmgd(device))

    messages = modem.read_inbound(handover)
    assert messages == [
        InboundSms("13812345678", "1", "2026-11-23T09:05:00+08:00"),
        InboundSms("13900001111", LONG_REPLY, "2026-11-23T09:05:00+08:00"),
    ]
    assert seen == [messages]
    assert deletes_at_handover == [[]]  # nothing deleted before the handover returned
    assert sorted(device.deleted) == [1, *long_indexes]
    assert device.inbox == {}
    assert modem.read_inbound() == []


def test_without_handover_deleted_after_decoding(device: FakeGsmDevice, modem: GsmModem) -> None:
    device.store_message("13812345678", "1", gsm=True)  # most phones send "1" in GSM 7-bit
    assert modem.read_inbound() == [InboundSms("13812345678", "1", "2026-11-23T09:05:00+08:00")]
    assert device.deleted == [1]


def test_failed_handover_deletes_nothing(device: FakeGsmDevice, modem: GsmModem) -> None:
    device.store_message("13812345678", "2")

    def broken(messages: list[InboundSms]) -> None:
        raise RuntimeError("server unreachable")

    with pytest.raises(RuntimeError):
        modem.read_inbound(broken)
    assert cmgd(device) == [] and list(device.inbox) == [1]
    assert [m.body for m in modem.read_inbound()] == ["2"]  # read again, then deleted
    assert device.deleted == [1]


def test_incomplete_long_message_waits_on_the_sim(device: FakeGsmDevice, modem: GsmModem) -> None:
    from hw.modem.deliver import deliver_pdus

    first, second = deliver_pdus("13812345678", "号" * 100, reference=5)
    device.store(first)
    assert modem.read_inbound() == []
    assert cmgd(device) == [] and len(device.inbox) == 1
    device.store(second)
    (message,) = modem.read_inbound()
    assert message.body == "号" * 100
    assert sorted(device.deleted) == [1, 2]


def test_stale_incomplete_message_is_handed_over_with_a_gap(device: FakeGsmDevice) -> None:
    from hw.modem.deliver import deliver_pdus

    modem = GsmModem(device.path, timeout=0.3, stale_after=0.0)
    _, second = deliver_pdus("13812345678", "号" * 100, reference=5)
    device.store(second)
    (message,) = modem.read_inbound()
    assert message.body == MISSING_PART + "号" * 33
    assert device.deleted == [1]
    modem.close()


def test_undecodable_and_outgoing_entries_stay_on_the_sim(
    device: FakeGsmDevice, modem: GsmModem
) -> None:
    bad = device.store("0004FFFF")  # truncated
    submit = device.store(encode_submit("13812345678", "已发送")[0].hex, stat=3)  # stored sent
    good = device.store(deliver_pdu("13812345678", "1"))
    assert [m.body for m in modem.read_inbound()] == ["1"]
    assert device.deleted == [good]
    assert sorted(device.inbox) == [bad, submit]


def test_reads_nothing_while_the_sim_is_missing(device: FakeGsmDevice, modem: GsmModem) -> None:
    device.store_message("13812345678", "1")
    device.sim = "absent"
    assert modem.read_inbound() == []
    assert cmgd(device) == []


def test_surrogate_pair_cut_between_inbound_parts_is_rejoined() -> None:
    """Some phones cut 𠀾 between parts; reassembly puts the two halves back together."""
    halves = "𠀾".encode("utf-16-be")
    high = halves[:2].decode("utf-16-be", "surrogatepass")
    low = halves[2:].decode("utf-16-be", "surrogatepass")
    parts = [
        deliver_pdu("13812345678", "王" + high, concat=(9, 2, 1)),
        deliver_pdu("13812345678", low + "先生", concat=(9, 2, 2)),
    ]
    stored = [StoredPdu(i, decode_deliver(p)) for i, p in enumerate(reversed(parts), start=3)]
    (whole,) = Reassembler().assemble(stored, "2026-11-23T10:00:00+08:00")
    assert whole.sms.body == "王𠀾先生"
    assert whole.indexes == (3, 4) and whole.complete


def test_lone_half_becomes_replacement_character() -> None:
    half = "𠀾".encode("utf-16-be")[:2].decode("utf-16-be", "surrogatepass")
    stored = [StoredPdu(1, decode_deliver(deliver_pdu("13812345678", "王" + half)))]
    (only,) = Reassembler().assemble(stored, "2026-11-23T10:00:00+08:00")
    assert only.sms.body == "王\ufffd"


def test_same_reference_from_two_senders_is_two_messages() -> None:
    pdus = [
        deliver_pdu("13812345678", "甲" * 3, concat=(1, 2, 1)),
        deliver_pdu("13900001111", "乙" * 3, concat=(1, 2, 1)),
        deliver_pdu("13812345678", "甲", concat=(1, 2, 2)),
        deliver_pdu("13900001111", "乙", concat=(1, 2, 2)),
        deliver_pdu("13900001111", "乙", concat=(1, 2, 2)),  # a duplicate part
    ]
    stored = [StoredPdu(i, decode_deliver(p)) for i, p in enumerate(pdus, start=1)]
    got = Reassembler().assemble(stored, "2026-11-23T10:00:00+08:00")
    assert [(a.sms.phone, a.sms.body, a.indexes) for a in got] == [
        ("13812345678", "甲甲甲甲", (1, 3)),
        ("13900001111", "乙乙乙乙", (2, 4, 5)),
    ]


def test_stale_timer_uses_the_clock() -> None:
    now = [100.0]
    assembler = Reassembler(stale_after=60, clock=lambda: now[0])
    stored = [StoredPdu(1, decode_deliver(deliver_pdu("13812345678", "半", concat=(4, 2, 2))))]
    assert assembler.assemble(stored, "t") == []
    now[0] = 159.0
    assert assembler.assemble(stored, "t") == []
    now[0] = 160.0
    (late,) = assembler.assemble(stored, "t")
    assert late.sms.body == MISSING_PART + "半" and not late.complete
