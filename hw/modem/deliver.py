"""Build SMS-DELIVER PDUs as the network hands them to a modem (短信下行 PDU).

Only the fake modem (:mod:`hw.modem.fake_device`) and tests need this: it lets them store
inbound messages, such as a visitor replying "1", exactly as a real SIM would list them.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hw.modem import gsm7
from hw.modem.pdu import SINGLE_UNITS, encode_address, parse_number, split_units, utf16_units

CHINA_TZ = timezone(timedelta(hours=8))
_DELIVER = 0x00
_UDHI = 0x40
_MMS = 0x04  # TP-MMS set: no more messages waiting
_GSM7_SINGLE = 160
_GSM7_PART = 153


def encode_timestamp(when: datetime) -> bytes:
    """TP-SCTS: swapped-BCD local time and the offset in quarter hours."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=CHINA_TZ)
    offset = when.utcoffset() or timedelta(0)
    quarters = int(abs(offset.total_seconds()) // 900)

    def bcd(value: int) -> int:
        return (value % 10) << 4 | (value // 10) % 10

    fields = [when.year % 100, when.month, when.day, when.hour, when.minute, when.second]
    tz = bcd(quarters) | (0x08 if offset < timedelta(0) else 0)
    return bytes([bcd(v) for v in fields] + [tz])


def deliver_pdu(
    sender: str,
    text: str,
    *,
    when: datetime | None = None,
    gsm: bool = False,
    concat: tuple[int, int, int] | None = None,
    smsc: str = "8613800100500",
) -> str:
    """One SMS-DELIVER PDU in hex (SMSC field first, as ``AT+CMGL`` lists it).

    ``gsm`` picks the GSM 7-bit default alphabet instead of UCS2; ``concat`` is
    ``(reference, total, seq)`` for one part of a long message.
    """
    when = when or datetime(2026, 11, 23, 9, 5, 0, tzinfo=CHINA_TZ)
    smsc_address = encode_address(parse_number(smsc))[1:]  # SMSC length counts octets
    smsc_field = bytes([len(smsc_address)]) + smsc_address
    udh = b"" if concat is None else bytes([5, 0x00, 3, *concat])
    first = _DELIVER | _MMS | (_UDHI if udh else 0)
    if gsm:
        septets = gsm7.encode(text)
        user_data = gsm7.pack_septets(septets, udh)
        udl = gsm7.septets_for_octets(len(udh)) + len(septets)
        dcs = 0x00
    else:
        user_data = udh + text.encode("utf-16-be", "surrogatepass")
        udl = len(user_data)
        dcs = 0x08
    tpdu = (
        bytes([first])
        + encode_address(parse_number(sender))
        + bytes([0x00, dcs])
        + encode_timestamp(when)
        + bytes([udl])
        + user_data
    )
    return (smsc_field + tpdu).hex().upper()


def deliver_pdus(
    sender: str,
    text: str,
    *,
    reference: int = 0x42,
    when: datetime | None = None,
    gsm: bool = False,
) -> list[str]:
    """All PDUs of one inbound message, concatenated when it is long."""
    if gsm:
        septets = len(gsm7.encode(text))
        if septets <= _GSM7_SINGLE:
            return [deliver_pdu(sender, text, when=when, gsm=True)]
        chunks = _gsm_chunks(text)
    elif utf16_units(text) <= SINGLE_UNITS:
        return [deliver_pdu(sender, text, when=when)]
    else:
        chunks = split_units(text)
    total = len(chunks)
    return [
        deliver_pdu(sender, chunk, when=when, gsm=gsm, concat=(reference, total, seq))
        for seq, chunk in enumerate(chunks, start=1)
    ]


def _gsm_chunks(text: str) -> list[str]:
    chunks: list[str] = [""]
    used = 0
    for ch in text:
        width = len(gsm7.encode(ch))  # an extension character takes two septets
        if used + width > _GSM7_PART:
            chunks.append("")
            used = 0
        chunks[-1] += ch
        used += width
    return chunks


def tpdu_length(pdu_hex: str) -> int:
    """Octets after the SMSC field (the ``<length>`` of ``+CMGL`` and ``AT+CMGS``)."""
    smsc_octets = int(pdu_hex[:2], 16)
    return len(pdu_hex) // 2 - 1 - smsc_octets
