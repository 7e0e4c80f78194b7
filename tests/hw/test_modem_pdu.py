"""Our SMS PDU encoder and decoder (R-Q3: "前面还有 N 人" / "请到 2 号窗口" by SMS).

Every SMS-SUBMIT we build is cross-checked with the independent ``smspdudecoder``: the text
round-trips exactly and the number is right. Its UCS2 decoder is strict, so a surrogate pair
cut between two parts would make it raise.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from io import StringIO
from typing import Any

import pytest
from smspdudecoder.easy import read_incoming_sms
from smspdudecoder.fields import SMSSubmit

from hw.modem.deliver import deliver_pdu, deliver_pdus, tpdu_length
from hw.modem.pdu import (
    PART_UNITS,
    Concat,
    InvalidNumber,
    MessageTooLong,
    PduError,
    PhoneNumber,
    decode_deliver,
    encode_submit,
    parse_number,
    split_units,
    utf16_units,
)

PHONE = "13812345678"
WAITING = "【示范村便民服务站】您的号码 A023，前面还有 3 人，请留意叫号。"
CALLING = "【示范村便民服务站】请 A023 号到 2 号窗口办理。"
RARE = "𠀾"  # a rare name character outside the BMP: two UTF-16 units


def check_submit(pdus: list[str], recipient: str, text: str) -> list[dict[str, Any]]:
    """Decode our PDUs with smspdudecoder; assert number, UCS2, UDH and the whole text."""
    parts = [SMSSubmit.decode(StringIO(p)) for p in pdus]
    for seq, part in enumerate(parts, start=1):
        assert part["smsc"]["length"] == 0  # the SIM's service centre
        assert part["header"]["mti"] == "submit"
        assert part["recipient"]["number"] == recipient.lstrip("+")
        expected_ton = "international" if recipient.startswith("+") else "unknown"
        assert part["recipient"]["toa"]["ton"] == expected_ton
        assert part["dcs"]["encoding"] == "ucs2"
        assert part["validity-days"] == 4  # TP-VP 0xAA
        header = part["user_data"]["header"]
        if len(parts) == 1:
            assert not part["header"]["udhi"] and header is None
            assert utf16_units(part["user_data"]["data"]) <= 70
        else:
            assert part["header"]["udhi"]
            (element,) = header["elements"]
            assert element["iei"] == 0x00
            info = element["data"]
            assert (info["parts_count"], info["part_number"]) == (len(parts), seq)
            assert (
                info["reference"]
                == parts[0]["user_data"]["header"]["elements"][0]["data"]["reference"]
            )
            assert utf16_units(part["user_data"]["data"]) <= PART_UNITS
    assert "".join(p["user_data"]["data"] for p in parts) == text
    return parts


def test_short_chinese_sms_is_one_pdu_r_q3() -> None:
    """R-Q3 "前面还有 N 人": one UCS2 PDU, SMSC 00, first octet 0x11, +86 international."""
    (pdu,) = encode_submit(PHONE, "前面还有 3 人")
    body = "前面还有 3 人".encode("utf-16-be")
    head = "0011000D91683118325476F80008AA"
    assert pdu.hex == head + f"{len(body):02X}" + body.hex().upper()
    assert pdu.tpdu_length == len(pdu.hex) // 2 - 1
    check_submit([pdu.hex], "+8613812345678", "前面还有 3 人")


def test_full_notice_fits_one_message_up_to_70_units_r_q3() -> None:
    """R-Q3: 70 units is still a single message; 71 makes two parts with first octet 0x51."""
    assert len(encode_submit(PHONE, "号" * 70)) == 1
    parts = encode_submit(PHONE, "号" * 71, reference=9)
    assert [p.hex[2:4] for p in parts] == ["51", "51"]
    check_submit([p.hex for p in parts], "+8613812345678", "号" * 71)
    check_submit([p.hex for p in encode_submit(PHONE, WAITING)], "+8613812345678", WAITING)


def test_long_message_parts_of_67_units_with_one_reference_r_q3() -> None:
    """R-Q3 "请到 2 号窗口" repeated past 70 units: parts of ≤67 units, same ref, seq 1..n."""
    text = CALLING * 4
    pdus = encode_submit(PHONE, text, reference=0x2A)
    parts = check_submit([p.hex for p in pdus], "+8613812345678", text)
    assert len(pdus) == -(-utf16_units(text) // 67)
    for pdu, part in zip(pdus, parts, strict=True):
        assert pdu.hex[2:4] == "51"
        assert part["user_data"]["header"]["elements"][0]["data"]["reference"] == 0x2A
        assert pdu.tpdu_length == len(pdu.hex) // 2 - 1
        assert len(bytes.fromhex(pdu.hex)) - 1 - 15 <= 140  # header + UD within one SMS
    assert [utf16_units(p["user_data"]["data"]) for p in parts[:-1]] == [67] * (len(parts) - 1)


def test_rare_character_at_the_67_unit_boundary_is_not_split_r_q3() -> None:
    """R-Q3: a name character like 𠀾 on the boundary moves whole into the next part."""
    text = "请" * 66 + RARE + "到 2 号窗口办理"
    pdus = encode_submit(PHONE, text)
    parts = check_submit([p.hex for p in pdus], "+8613812345678", text)
    assert len(parts) == 2
    assert parts[0]["user_data"]["data"] == "请" * 66  # 66 units: the pair did not fit
    assert parts[1]["user_data"]["data"].startswith(RARE)
    first_ud = bytes.fromhex(pdus[0].hex)[-132:]
    assert not 0xD800 <= int.from_bytes(first_ud[-2:], "big") <= 0xDBFF  # no dangling high half


def test_emoji_survive_single_and_concatenated_r_q3() -> None:
    """R-Q3: emoji (surrogate pairs) round-trip in one message and across part boundaries."""
    short = "请到 2 号窗口 🙂"
    check_submit([p.hex for p in encode_submit(PHONE, short)], "+8613812345678", short)
    long = "🙂" * 40  # 80 units: pairs at every boundary
    pdus = encode_submit(PHONE, long)
    parts = check_submit([p.hex for p in pdus], "+8613812345678", long)
    assert [utf16_units(p["user_data"]["data"]) for p in parts] == [66, 14]


@pytest.mark.parametrize(
    ("phone", "digits", "toa"),
    [
        ("13812345678", "8613812345678", 0x91),
        ("138 1234 5678", "8613812345678", 0x91),
        ("+86 138-1234-5678", "8613812345678", 0x91),
        ("008613812345678", "8613812345678", 0x91),
        ("8613812345678", "8613812345678", 0x91),
        ("１３８１２３４５６７８", "8613812345678", 0x91),  # full-width digits from a form
        ("+441632960123", "441632960123", 0x91),
        ("10086", "10086", 0x81),
        ("01012345678", "01012345678", 0x81),
    ],
)
def test_number_formats(phone: str, digits: str, toa: int) -> None:
    number = parse_number(phone)
    assert (number.digits, number.toa) == (digits, toa)
    (pdu,) = encode_submit(phone, "前面还有 1 人")
    recipient = f"+{digits}" if toa == 0x91 else digits
    check_submit([pdu.hex], recipient, "前面还有 1 人")


@pytest.mark.parametrize("phone", ["", "abc", "+", "12", "138-1234-567x", "1" * 21, "+" + "1" * 16])
def test_invalid_numbers_are_refused(phone: str) -> None:
    with pytest.raises(InvalidNumber):
        encode_submit(phone, "你好")


def test_local_form_of_a_chinese_mobile() -> None:
    assert parse_number("+8613812345678").local == "13812345678"
    assert parse_number("+441632960123").local == "+441632960123"
    assert parse_number("10086").local == "10086"


def test_limits_and_options() -> None:
    with pytest.raises(MessageTooLong):
        encode_submit(PHONE, "号" * (67 * 255 + 1))
    assert len(encode_submit(PHONE, "号" * (67 * 255))) == 255
    with pytest.raises(PduError):
        encode_submit(PHONE, "bad \ud800 surrogate")
    (plain,) = encode_submit(PHONE, "你好", validity=None)
    assert plain.hex.startswith("0001000D91") and "0008" + "04" in plain.hex
    long = encode_submit(PHONE, "号" * 80, reference=300, validity=None)
    assert long[0].hex.startswith("0041") and "0500032C0201" in long[0].hex
    assert encode_submit(PHONE, "")[0].hex.endswith("AA00")


def test_split_units_never_cuts_a_pair() -> None:
    text = ("a" * 66 + RARE) * 3
    chunks = split_units(text)
    assert "".join(chunks) == text
    assert all(utf16_units(c) <= 67 for c in chunks)
    assert split_units("") == [""]


# ---- SMS-DELIVER --------------------------------------------------------------------------


def test_decode_ucs2_reply_cross_checked() -> None:
    """A visitor's reply "1" in UCS2, from a +86 sender, with the +08:00 time stamp."""
    when = datetime(2026, 11, 23, 9, 30, 5, tzinfo=timezone(timedelta(hours=8)))
    pdu = deliver_pdu("+8613812345678", "1 满意", when=when)
    ours = decode_deliver(pdu)
    theirs = read_incoming_sms(pdu)
    assert ours.text == theirs["content"] == "1 满意"
    assert str(ours.sender) == theirs["sender"] == "+8613812345678"
    assert ours.phone == "13812345678"
    assert ours.timestamp == "2026-11-23T09:30:05+08:00"
    assert datetime.fromisoformat(ours.timestamp) == theirs["date"]
    assert (ours.encoding, ours.concat) == ("ucs2", None)


def test_decode_gsm7_reference_pdu() -> None:
    """The textbook GSM 7-bit example decodes as smspdudecoder decodes it."""
    pdu = "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37"
    ours = decode_deliver(pdu)
    assert (ours.text, ours.phone, ours.encoding) == ("hellohello", "27838890001", "gsm7")
    assert ours.timestamp == "2099-03-29T15:16:59+02:00"
    assert read_incoming_sms(pdu)["content"] == ours.text


def test_decode_gsm7_with_header_and_extension_characters() -> None:
    text = "Reply 1 [ok] {€} " * 12  # long: two GSM 7-bit parts with a UDH and fill bits
    pdus = deliver_pdus("13812345678", text, gsm=True, reference=7)
    assert len(pdus) == 2
    decoded = [decode_deliver(p) for p in pdus]
    assert "".join(d.text for d in decoded) == text
    assert [d.concat for d in decoded] == [Concat(7, 2, 1), Concat(7, 2, 2)]
    assert [read_incoming_sms(p)["content"] for p in pdus] == [d.text for d in decoded]


def test_decode_concatenated_ucs2_parts() -> None:
    text = "满意，谢谢工作人员的耐心讲解。" * 6
    pdus = deliver_pdus("13812345678", text, reference=0x42)
    decoded = [decode_deliver(p) for p in pdus]
    assert "".join(d.text for d in decoded) == text
    assert all(d.concat is not None and d.concat.reference == 0x42 for d in decoded)
    for pdu, d in zip(pdus, decoded, strict=True):
        assert read_incoming_sms(pdu)["content"] == d.text
        assert tpdu_length(pdu) == len(pdu) // 2 - 1 - int(pdu[:2], 16)


def test_decode_16_bit_reference_alphanumeric_sender_and_negative_offset() -> None:
    # SMSC 00, first octet 0x40 (UDHI, DELIVER), alphanumeric sender "Bank", UCS2,
    # SCTS 2026-01-02 03:04:05 at -05:00 (20 quarters: 0x02 with the sign bit 0x08 -> 0x0A),
    # UDH 06 08 04 12 34 02 01 (16-bit reference 0x1234, part 1 of 2), then "你".
    sender = "07D0C2B07B0D"  # 7 semi-octets: "Bank" packed in GSM 7-bit (alphanumeric)
    pdu = "0040" + sender + "0008" + "6210203040500A" + "09" + "06080412340201" + "4F60"
    got = decode_deliver(pdu)
    assert got.sender == "Bank" and got.phone == "Bank"
    assert got.concat == Concat(0x1234, 2, 1)
    assert got.text == "你"
    assert got.timestamp == "2026-01-02T03:04:05-05:00"


@pytest.mark.parametrize(
    "pdu",
    [
        "zz",  # not hex
        "00040B",  # truncated
        "0011000D91683118325476F80008AA0200",  # an SMS-SUBMIT, not a DELIVER
        "",
    ],
)
def test_malformed_deliver_pdus_raise(pdu: str) -> None:
    with pytest.raises(PduError):
        decode_deliver(pdu)


def test_phone_number_str() -> None:
    assert str(PhoneNumber("8613812345678", 0x91)) == "+8613812345678"
    assert str(PhoneNumber("10086", 0x81)) == "10086"
