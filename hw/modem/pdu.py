"""SMS PDUs (短信 PDU): our own UCS2 SMS-SUBMIT encoder and an SMS-DELIVER decoder.

Outbound, one PDU per part for ``AT+CMGS`` in PDU mode (3GPP TS 23.040 §9.2.2.2)::

    00                  SMSC field: length 0, use the service centre stored on the SIM
    11 | 51             first octet: SMS-SUBMIT (0x01) + TP-VPF relative (0x10),
                        0x51 also sets TP-UDHI (0x40) for the parts of a long message
    00                  TP-MR: the modem assigns the reference (returned by +CMGS)
    0D 91 683118325476F8  TP-DA: 13 digits, international/ISDN (0x91), swapped BCD
    00                  TP-PID
    08                  TP-DCS: UCS2 (UTF-16BE on the wire)
    AA                  TP-VP: relative, 0xAA = 4 days
    nn                  TP-UDL: user data octets, header included
    05 00 03 rr tt ss   concatenation UDH (8-bit reference rr, tt parts, this is part ss)
    ...                 the text

We always send a validity period, so the first octet is 0x11 for a single message and 0x51
for a part (PITFALLS.md: "first octet 0x51"). ``validity=None`` omits the VP (0x01 / 0x41).

A single message holds 70 UTF-16 code units; a longer one is cut into parts of at most 67
units (140 octets minus the 6-octet header). A character outside the BMP (a rare name
character such as 𠀾, or an emoji) takes two units, a surrogate pair, and is never cut
between two parts: phones that decode each part on its own would show garbage.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal, NamedTuple

from hw.modem import gsm7

SINGLE_UNITS = 70
PART_UNITS = 67
MAX_PARTS = 255
VALIDITY_4_DAYS = 0xAA

DCS_UCS2 = 0x08
TOA_INTERNATIONAL = 0x91  # type of number international, numbering plan ISDN/E.164
TOA_UNKNOWN = 0x81  # type of number unknown (as dialled), numbering plan ISDN
TOA_ALPHANUMERIC = 0xD0

_SUBMIT = 0x01
_VPF_RELATIVE = 0x10
_UDHI = 0x40
_IEI_CONCAT_8 = 0x00
_IEI_CONCAT_16 = 0x08

CHINA_CODE = "86"
_CN_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_DIGITS = re.compile(r"[0-9]+")
_SEPARATORS = re.compile(r"[\s\-().]")
_BCD_DIGITS = "0123456789*#abc"

Encoding = Literal["gsm7", "8bit", "ucs2"]


class PduError(ValueError):
    """A PDU cannot be built or parsed."""


class InvalidNumber(PduError):
    """The phone number cannot be addressed (permanent: retrying cannot help)."""


class MessageTooLong(PduError):
    """The text needs more than 255 parts."""


@dataclass(frozen=True)
class PhoneNumber:
    """A destination or sender address: its digits and type of address (TOA)."""

    digits: str
    toa: int

    @property
    def international(self) -> bool:
        return (self.toa >> 4) & 0x07 == 0x01

    def __str__(self) -> str:
        return f"+{self.digits}" if self.international else self.digits

    @property
    def local(self) -> str:
        """The number as a visitor writes it: ``13812345678`` for a Chinese mobile."""
        rest = self.digits[len(CHINA_CODE) :]
        if self.international and self.digits.startswith(CHINA_CODE) and _CN_MOBILE.fullmatch(rest):
            return rest
        return str(self)

    @property
    def masked(self) -> str:
        """The local number for logs on disk, only its first 3 and last 4 digits shown (R-I3)."""
        local = self.local
        return (
            local[:3] + "*" * (len(local) - 7) + local[-4:] if len(local) >= 7 else "*" * len(local)
        )


def parse_number(phone: str) -> PhoneNumber:
    """Normalise a phone number for TP-DA.

    - a Chinese mobile ``13812345678`` (also ``138 1234 5678``, full-width digits,
      ``+86…``, ``0086…``, ``86…``) becomes ``8613812345678``, international (0x91);
    - any other ``+…`` or ``00…`` number is international (0x91), up to 15 digits;
    - other digit strings (short codes such as 10086, landlines with their 0 prefix) are
      sent as dialled, type unknown (0x81), up to 20 digits.

    Raises :class:`InvalidNumber` for anything else.
    """
    cleaned = _SEPARATORS.sub("", unicodedata.normalize("NFKC", phone))
    international = False
    if cleaned.startswith("+"):
        cleaned, international = cleaned[1:], True
    elif cleaned.startswith("00"):
        cleaned, international = cleaned[2:], True
    if not _DIGITS.fullmatch(cleaned):
        raise InvalidNumber(f"号码无效：“{phone}”")
    if not international and _CN_MOBILE.fullmatch(cleaned):
        cleaned, international = CHINA_CODE + cleaned, True
    elif not international and cleaned.startswith(CHINA_CODE) and _CN_MOBILE.fullmatch(cleaned[2:]):
        international = True
    if not 3 <= len(cleaned) <= (15 if international else 20):
        raise InvalidNumber(f"号码长度无效：“{phone}”")
    return PhoneNumber(cleaned, TOA_INTERNATIONAL if international else TOA_UNKNOWN)


def encode_address(number: PhoneNumber) -> bytes:
    """TP-DA / TP-OA: digit count, TOA, then swapped BCD padded with F."""
    padded = number.digits + ("F" if len(number.digits) % 2 else "")
    bcd = bytes(int(padded[i + 1] + padded[i], 16) for i in range(0, len(padded), 2))
    return bytes([len(number.digits), number.toa]) + bcd


def utf16_units(text: str) -> int:
    """UTF-16 code units of ``text``: a character outside the BMP counts two."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def split_units(text: str, limit: int = PART_UNITS) -> list[str]:
    """Cut ``text`` into chunks of at most ``limit`` UTF-16 units, never inside a pair."""
    parts: list[str] = []
    current: list[str] = []
    units = 0
    for ch in text:
        width = 2 if ord(ch) > 0xFFFF else 1
        if units + width > limit:
            parts.append("".join(current))
            current, units = [], 0
        current.append(ch)
        units += width
    if current or not parts:
        parts.append("".join(current))
    return parts


class SubmitPdu(NamedTuple):
    """One SMS-SUBMIT ready for ``AT+CMGS=<tpdu_length>``."""

    hex: str
    """The whole PDU in hex, starting with the SMSC field ``00``."""
    tpdu_length: int
    """Octets after the SMSC field: the argument of ``AT+CMGS``."""


def encode_submit(
    phone: str, text: str, *, reference: int = 0, validity: int | None = VALIDITY_4_DAYS
) -> list[SubmitPdu]:
    """Encode ``text`` to ``phone`` as UCS2 SMS-SUBMIT PDUs, one per part.

    ``reference`` is the 8-bit concatenation reference shared by the parts of one long
    message (pick a new one per message). Raises :class:`InvalidNumber`,
    :class:`MessageTooLong` or :class:`PduError` (text that is not valid Unicode).
    """
    number = parse_number(phone)
    try:
        text.encode("utf-16-be")
    except UnicodeEncodeError as exc:
        raise PduError("短信内容含无效字符") from exc
    if validity is not None and not 0 <= validity <= 0xFF:
        raise ValueError(f"validity period {validity} is not one octet")
    concat = utf16_units(text) > SINGLE_UNITS
    chunks = split_units(text) if concat else [text]
    if len(chunks) > MAX_PARTS:
        raise MessageTooLong(f"短信太长：需要 {len(chunks)} 条，最多 {MAX_PARTS} 条")
    first = _SUBMIT | (_VPF_RELATIVE if validity is not None else 0) | (_UDHI if concat else 0)
    head = bytes([first, 0x00]) + encode_address(number) + bytes([0x00, DCS_UCS2])
    if validity is not None:
        head += bytes([validity])
    out: list[SubmitPdu] = []
    for seq, chunk in enumerate(chunks, start=1):
        user_data = chunk.encode("utf-16-be")
        if concat:
            udh = bytes([5, _IEI_CONCAT_8, 3, reference & 0xFF, len(chunks), seq])
            user_data = udh + user_data
        tpdu = head + bytes([len(user_data)]) + user_data
        out.append(SubmitPdu("00" + tpdu.hex().upper(), len(tpdu)))
    return out


# ---- SMS-DELIVER (inbound) --------------------------------------------------------------


@dataclass(frozen=True)
class Concat:
    """A concatenation information element: part ``seq`` of ``total`` of message ``reference``."""

    reference: int
    total: int
    seq: int


@dataclass(frozen=True)
class DeliverPdu:
    """One received SMS-DELIVER.

    ``text`` may end or start with a lone surrogate when the sender cut a pair between two
    parts; :mod:`hw.modem.inbound` joins the parts before cleaning the text up.
    """

    sender: PhoneNumber | str  # str for an alphanumeric sender
    text: str
    timestamp: str | None  # service centre time stamp, ISO 8601 with offset
    concat: Concat | None
    encoding: Encoding

    @property
    def phone(self) -> str:
        return self.sender if isinstance(self.sender, str) else self.sender.local


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise PduError("PDU 不完整")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def octet(self) -> int:
        return self.take(1)[0]

    def rest(self) -> bytes:
        chunk = self.data[self.pos :]
        self.pos = len(self.data)
        return chunk


def decode_deliver(pdu_hex: str) -> DeliverPdu:
    """Decode an SMS-DELIVER PDU as listed by ``AT+CMGL`` (SMSC field first).

    Handles the GSM 7-bit default alphabet, 8-bit data and UCS2, with or without a user data
    header. Raises :class:`PduError` when the PDU is malformed or not an SMS-DELIVER.
    """
    try:
        reader = _Reader(bytes.fromhex(pdu_hex.strip()))
    except ValueError as exc:
        raise PduError("PDU 不是十六进制") from exc
    reader.take(reader.octet())  # SMSC
    first = reader.octet()
    if first & 0x03 != 0x00:
        raise PduError(f"不是 SMS-DELIVER（首字节 {first:02X}）")
    digits = reader.octet()
    toa = reader.octet()
    sender = _decode_address(digits, toa, reader.take((digits + 1) // 2))
    reader.octet()  # TP-PID
    encoding = _encoding(reader.octet())
    timestamp = _timestamp(reader.take(7))
    udl = reader.octet()
    text, concat = _user_data(encoding, udl, reader.rest(), bool(first & _UDHI))
    return DeliverPdu(sender, text, timestamp, concat, encoding)


def _decode_address(digits: int, toa: int, raw: bytes) -> PhoneNumber | str:
    if (toa >> 4) & 0x07 == 0x05:  # alphanumeric, GSM 7-bit packed
        return gsm7.decode(gsm7.unpack_septets(raw, digits * 4 // 7))
    nibbles: list[str] = []
    for octet in raw:
        for nibble in (octet & 0x0F, octet >> 4):
            if nibble != 0x0F:
                nibbles.append(_BCD_DIGITS[nibble])
    return PhoneNumber("".join(nibbles[:digits]), toa)


def _encoding(dcs: int) -> Encoding:
    """The alphabet a TP-DCS names (TS 23.038 §4); reserved values read as GSM 7-bit."""
    group = dcs >> 4
    if group <= 0x07:
        if dcs & 0x20:
            raise PduError("不支持压缩短信")
        return ("gsm7", "8bit", "ucs2", "gsm7")[(dcs >> 2) & 0x03]
    if group == 0x0E:
        return "ucs2"
    if group == 0x0F:
        return "8bit" if dcs & 0x04 else "gsm7"
    return "gsm7"


def _user_data(encoding: Encoding, udl: int, data: bytes, udhi: bool) -> tuple[str, Concat | None]:
    header_octets = 0
    concat: Concat | None = None
    if udhi:
        if not data:
            raise PduError("缺少用户数据头")
        header_octets = data[0] + 1
        concat = _concat_element(data[1:header_octets])
    if encoding == "gsm7":
        count = min(udl, len(data) * 8 // 7)  # lenient with a truncated PDU
        septets = gsm7.unpack_septets(data, count)
        return gsm7.decode(septets[gsm7.septets_for_octets(header_octets) :]), concat
    body = data[header_octets:udl]
    if encoding == "8bit":
        return body.decode("latin-1"), concat
    body = body[: len(body) // 2 * 2]
    return body.decode("utf-16-be", "surrogatepass"), concat


def _concat_element(header: bytes) -> Concat | None:
    found: Concat | None = None
    i = 0
    while i + 2 <= len(header):
        iei, length = header[i], header[i + 1]
        value = header[i + 2 : i + 2 + length]
        i += 2 + length
        if len(value) < length:
            break
        if iei == _IEI_CONCAT_8 and length == 3:
            found = Concat(value[0], value[1], value[2])
        elif iei == _IEI_CONCAT_16 and length == 4:
            found = Concat(value[0] << 8 | value[1], value[2], value[3])
    if found and not 1 <= found.seq <= found.total:
        return None  # TS 23.040 §9.2.3.24.1: ignore an invalid element
    return found


def _timestamp(raw: bytes) -> str | None:
    def bcd(octet: int) -> int:
        return (octet & 0x0F) * 10 + (octet >> 4)

    year, month, day, hour, minute, second = (bcd(b) for b in raw[:6])
    tz = raw[6]
    quarters = (tz & 0x07) * 10 + (tz >> 4)
    offset = timedelta(minutes=15 * quarters * (-1 if tz & 0x08 else 1))
    try:
        stamp = datetime(2000 + year, month, day, hour, minute, second, tzinfo=timezone(offset))
    except ValueError:
        return None
    return stamp.isoformat()
