"""Station codes that read unambiguously on paper (站点编码, pure rules).

"DEMO01" printed at 60 dpi reads "DEM001": the letter O and the digit 0 (and I and 1) look
alike. New codes use :data:`CODE_ALPHABET` — digits and the capital letters without I and O —
checked by :func:`station_code_problem` (the demo station is YZ0001). Existing codes with I or O
stay valid for case numbers; notices print the Latin part of numbers in DejaVu Sans Mono, whose
zero carries a dot (:func:`appliance.documents.pdf.mono_markup`), so even those read right.
"""

from __future__ import annotations

LOOKALIKES = {"O": "0", "I": "1"}
CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MIN_LENGTH, MAX_LENGTH = 2, 16


def station_code_problem(code: str) -> str | None:
    """Why ``code`` cannot be a new station code (a message a county admin can act on), or None."""
    if not MIN_LENGTH <= len(code) <= MAX_LENGTH:
        return f"站点编码“{code}”应为 {MIN_LENGTH}–{MAX_LENGTH} 位"
    confusable = sorted({c for c in code if c in LOOKALIKES})
    if confusable:
        pairs = "、".join(f"字母 {c} 与数字 {LOOKALIKES[c]}" for c in confusable)
        return f"站点编码“{code}”含易混字符（{pairs}难以区分）：新编码请不要使用字母 I 和 O"
    bad = sorted({c for c in code if c not in CODE_ALPHABET})
    if bad:
        return f"站点编码“{code}”含不允许的字符 {' '.join(bad)}：只能用数字和大写字母"
    return None


def is_new_station_code(code: str) -> bool:
    return station_code_problem(code) is None
