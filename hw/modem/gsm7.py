"""The GSM 7-bit default alphabet (GSM 03.38 / 3GPP TS 23.038) and septet packing.

Inbound SMS from phones that only send ASCII-like text (a reply such as "1") usually arrive
in this alphabet rather than UCS2, so the decoder needs it. We never *send* in it: every
outbound message is UCS2 (see :mod:`hw.modem.pdu`).
"""

from __future__ import annotations

from collections.abc import Sequence

ESCAPE = 0x1B

DEFAULT_ALPHABET = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
assert len(DEFAULT_ALPHABET) == 128

EXTENSION: dict[int, str] = {
    0x0A: "\f",
    0x14: "^",
    0x28: "{",
    0x29: "}",
    0x2F: "\\",
    0x3C: "[",
    0x3D: "~",
    0x3E: "]",
    0x40: "|",
    0x65: "€",
}

_BASIC_INDEX = {ch: i for i, ch in enumerate(DEFAULT_ALPHABET) if i != ESCAPE}
_EXTENSION_INDEX = {ch: code for code, ch in EXTENSION.items()}


def unpack_septets(data: bytes, count: int) -> list[int]:
    """The first ``count`` septets packed little-endian into ``data`` (TS 23.038 §6.1.2.1)."""
    value = int.from_bytes(data, "little")
    available = len(data) * 8 // 7
    if count > available:
        raise ValueError(f"{count} septets need more than {len(data)} octets")
    return [(value >> (7 * i)) & 0x7F for i in range(count)]


def pack_septets(septets: Sequence[int], prefix: bytes = b"") -> bytes:
    """Pack septets after ``prefix`` octets (a user data header), with fill bits between.

    The septets start on the next septet boundary after the prefix, as TS 23.040 §9.2.3.24
    requires when a UDH precedes 7-bit text.
    """
    prefix_bits = len(prefix) * 8
    start = -(-prefix_bits // 7) * 7  # round up to a septet boundary
    value = int.from_bytes(prefix, "little")
    for i, septet in enumerate(septets):
        value |= (septet & 0x7F) << (start + 7 * i)
    total_bits = start + 7 * len(septets)
    return value.to_bytes(-(-total_bits // 8), "little")


def decode(septets: Sequence[int]) -> str:
    """Text of a septet sequence; an unknown escape code decodes as a space (TS 23.038)."""
    out: list[str] = []
    escaped = False
    for code in septets:
        if escaped:
            out.append(EXTENSION.get(code, " "))
            escaped = False
        elif code == ESCAPE:
            escaped = True
        else:
            out.append(DEFAULT_ALPHABET[code])
    return "".join(out)


def encode(text: str) -> list[int]:
    """Septets of ``text``; raises ValueError for a character outside the alphabet."""
    out: list[int] = []
    for ch in text:
        if ch in _BASIC_INDEX:
            out.append(_BASIC_INDEX[ch])
        elif ch in _EXTENSION_INDEX:
            out.extend((ESCAPE, _EXTENSION_INDEX[ch]))
        else:
            raise ValueError(f"{ch!r} is not in the GSM 7-bit default alphabet")
    return out


def septets_for_octets(octets: int) -> int:
    """How many septets ``octets`` of user data header occupy, fill bits included."""
    return -(-octets * 8 // 7)
