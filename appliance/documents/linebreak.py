"""CJK line breaking with 避头尾 (kinsoku): where a notice's lines may end (pure rules).

Chinese text may break between any two characters, except that

- no line begins with closing punctuation (行首禁则: ，。、；：？！）」』】》 …),
- no line ends with opening punctuation (行尾禁则: （「『【《 …),
- a run of Latin letters or digits (a case number, a date such as 2026) stays whole when the
  line has room for it elsewhere, and ``——`` / ``……`` are never split.

A break that would violate a rule moves back (推出: the last characters go down to the next
line) until it is allowed. reportlab's own CJK wrapping knows only part of the Japanese set
(no ``，`` ``；`` ``：`` ``》``) and never checks the line end, which printed "…法定形式 /
，本站决定予以受理"; :mod:`appliance.documents.pdf` lays out every paragraph with
:func:`line_ends` instead.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

CANNOT_START = frozenset(
    "，。、；：？！）」』】》〉〕］｝〗〙’”…‥·・々〜～％‰℃°"  # full width
    ",.;:?!)]}%"  # half width
)
CANNOT_END = frozenset("（「『【《〈〔［｛〖〘‘“([{￥$")
INSEPARABLE = frozenset("—…")  # 破折号 —— and 省略号 …… are one mark of two halves
FUZZ = 1e-6


def _narrow(char: str) -> bool:
    """A Latin letter, digit or symbol (not a space, not a CJK character)."""
    return bool(char) and ord(char[0]) < 0x2E80 and not char.isspace() and char not in INSEPARABLE


def may_break_before(chars: Sequence[str], k: int) -> bool:
    """Whether a line may end just before ``chars[k]`` (``0 < k < len(chars)``)."""
    before, after = chars[k - 1], chars[k]
    if after in CANNOT_START or before in CANNOT_END:
        return False
    if before == after and before in INSEPARABLE:
        return False
    return not (_narrow(before) and _narrow(after))


def _break_at(chars: Sequence[str], start: int, overflow: int) -> int:
    """Where the line that starts at ``start`` ends, when ``chars[overflow]`` does not fit."""
    end = overflow
    while end > start + 1 and not may_break_before(chars, end):
        end -= 1
    # Nothing allowed on the whole line (a URL longer than the line): break where it overflows.
    return end if may_break_before(chars, end) else overflow


def line_ends(
    chars: Sequence[str],
    widths: Sequence[float],
    max_widths: Sequence[float],
    forced: Collection[int] = (),
) -> list[int]:
    """The end index (exclusive) of each line when ``chars`` fill lines of ``max_widths``.

    ``widths[i]`` is the width of ``chars[i]``; line *n* may be ``max_widths[n]`` wide (the
    last entry holds for every later line); a line always ends after an index in ``forced``
    (a hard line break). Every line holds at least one character, so the layout always ends.
    """
    ends: list[int] = []
    start, used, i = 0, 0.0, 0
    while i < len(chars):
        limit = max_widths[min(len(ends), len(max_widths) - 1)]
        used += widths[i]
        if used > limit + FUZZ and i > start:
            i = _break_at(chars, start, i)
            ends.append(i)
            start, used = i, 0.0
            continue
        i += 1
        if i - 1 in forced:
            ends.append(i)
            start, used = i, 0.0
    if start < len(chars):
        ends.append(len(chars))
    return ends


def wrap(text: str, width: float) -> list[str]:
    """``text`` in lines of at most ``width`` full-width characters (half-width count ½).

    The same rules as :func:`line_ends`, for plain text (tests, receipts, previews).
    """
    chars = list(text)
    widths = [0.5 if ord(c) < 0x2E80 else 1.0 for c in chars]
    lines, start = [], 0
    for end in line_ends(chars, widths, [width]):
        lines.append(text[start:end])
        start = end
    return lines
