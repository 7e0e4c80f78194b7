"""Constrained text and number types shared by every request body (R-I3): one definition.

Each ``…In`` struct in a feature's ``schemas.py`` types its text fields with these, so
msgspec refuses an over-long or control-character text with a 400 before any handler runs
(``appliance.http.guards`` turns the refusal into Chinese naming the field and the limit).
The limits are what the notices, receipts and screens can lay out (see
``tests/cases/test_case_limits.py``).

Single-line texts refuse every control character (C0, DEL, C1: NUL, tab, newline …), the
Unicode line and paragraph separators and the bidirectional overrides (which can make a
printed name read differently from what is stored). Multi-line texts allow tab, newline and
carriage return and nothing else of those. ``$(?!\\n)`` ends each pattern because Python's
``$`` alone also matches before a final newline.

Pure: stdlib and msgspec only.
"""

from __future__ import annotations

import re
from typing import Annotated

import msgspec

_CONTROL = "\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069"
_CONTROL_MULTILINE = (
    "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069"
)
LINE_PATTERN = f"^[^{_CONTROL}]*$(?!\\n)"
MULTILINE_PATTERN = f"^[^{_CONTROL_MULTILINE}]*$(?!\\n)"
ID_PATTERN = "^[0-9A-Za-z()\\-]*$(?!\\n)"
NO_PHONE = "无"  # the applicant has no phone (the case cannot be queried online)
MOBILE_PATTERN = f"^(1[0-9]{{10}}|{NO_PHONE})?$(?!\\n)"
DIGITS4_PATTERN = "^[0-9]{0,4}$(?!\\n)"

# Chinese hints for a text that does not match its pattern (used by the validation handler).
PATTERN_HINTS = {
    LINE_PATTERN: "不能含有换行、制表符、NUL 等控制字符",
    MULTILINE_PATTERN: "不能含有 NUL 等控制字符",
    ID_PATTERN: "只能含有字母、数字、括号和连字符",
    MOBILE_PATTERN: f"应为 11 位手机号码，以 1 开头；没有手机的填“{NO_PHONE}”",
    DIGITS4_PATTERN: "应为 4 位数字",
}

NAME_MAX = 50  # 姓名 / 单位名称
CODE_MAX = 64  # ids and codes (事项编码, 工号, 号票 id …)
ID_NUMBER_MAX = 32  # 证件号码 of any kind
PHONE_MAX = 20
SHORT_MAX = 100  # one line: 办理地, 接收单位, 决定文号, 快递单号, 去向 …
TEXT_MAX = 300  # a paragraph: 理由, 说明, 材料问题说明 …
LONG_MAX = 800  # 告知承诺书 a)–d), a short message template

Name = Annotated[str, msgspec.Meta(max_length=NAME_MAX, pattern=LINE_PATTERN)]
"""A person's or an organisation's name."""
Code = Annotated[str, msgspec.Meta(max_length=CODE_MAX, pattern=LINE_PATTERN)]
"""An identifier or code: an id, 事项编码, 工号, a category letter, a material code."""
IdNumber = Annotated[str, msgspec.Meta(max_length=ID_NUMBER_MAX, pattern=ID_PATTERN)]
"""证件号码 (checked per document type by ``appliance.core.identity``)."""
Mobile = Annotated[str, msgspec.Meta(max_length=PHONE_MAX, pattern=MOBILE_PATTERN)]
"""A mobile number (11 digits, starting with 1), ``无`` for none, or empty where optional."""
PhoneText = Annotated[str, msgspec.Meta(max_length=PHONE_MAX, pattern=LINE_PATTERN)]
"""A phone number the service checks itself (e.g. ticket issuing trims spaces first)."""
ShortText = Annotated[str, msgspec.Meta(max_length=SHORT_MAX, pattern=LINE_PATTERN)]
"""One line of text."""
Text = Annotated[str, msgspec.Meta(max_length=TEXT_MAX, pattern=MULTILINE_PATTERN)]
"""A paragraph (line breaks allowed)."""
LongText = Annotated[str, msgspec.Meta(max_length=LONG_MAX, pattern=MULTILINE_PATTERN)]
"""A longer paragraph (line breaks allowed)."""

# ---- numbers ------------------------------------------------------------------------------
SQLITE_INT_MAX = 2**63 - 1
LEASE_MIN_S = 1.0
LEASE_MAX_S = 3600.0
LeaseSeconds = Annotated[float, msgspec.Meta(ge=LEASE_MIN_S, le=LEASE_MAX_S)]
"""How long the hardware service holds a leased job (seconds): 1 s to 1 hour."""
Seq = Annotated[int, msgspec.Meta(ge=0, le=SQLITE_INT_MAX)]
"""A position in the event log (fits SQLite's 64-bit integer)."""


def has_control(text: str, multiline: bool = False) -> bool:
    """Whether ``text`` holds a character the text types above refuse."""
    allowed = "\t\n\r" if multiline else ""
    for ch in text:
        code = ord(ch)
        if ch in allowed:
            continue
        if code < 0x20 or 0x7F <= code <= 0x9F or ch in "\u2028\u2029":
            return True
        if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            return True
    return False


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_JSON_BRACKETS = re.compile(rb"[\[\]{}]")


def json_depth(data: bytes) -> int:
    """How deep arrays and objects nest in ``data`` (JSON text), without parsing it.

    Strings are skipped first, so brackets inside them do not count; malformed text gives
    some number and the parser refuses it later. Used to refuse a hostile body before the
    decoder recurses into it.
    """
    depth = deepest = 0
    for bracket in _JSON_BRACKETS.findall(_JSON_STRING.sub(b"", data)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest
