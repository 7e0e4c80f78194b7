"""Pinyin initials (拼音首字母) for catalogue search, from pypinyin's single-character table.

Search matches ``gljt`` against 高龄津贴申请's stored initials, which are computed when a
catalogue is imported, never at search time. Importing ``pypinyin`` itself loads its phrase
dictionary (about 55 MB resident), too much for a 512 MB station, so this module reads only
the package's single-character table (``pinyin_dict.json``), on first use, into one compact
string of first letters, and lets the table go. A character with several readings takes
its first reading for :func:`initials`; :func:`alternative_initials` gives the spelling
with every such character read its second way (长寿补贴: ``zsbt``, and ``csbt``), which the
catalogue stores with the keywords' initials so that either finds the item.
"""

from __future__ import annotations

import importlib.util
import json
import threading
import unicodedata
from pathlib import Path

FIRST, LAST = 0x3400, 0x9FFF  # CJK Extension A and the unified ideographs
_letters: tuple[str, str] | None = None  # (first reading, second reading or " ") per char
_lock = threading.Lock()


def _table_path() -> Path:
    spec = importlib.util.find_spec("pypinyin")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pypinyin is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"


def _letter(reading: str) -> str:
    plain = unicodedata.normalize("NFD", reading)
    return next((c for c in plain.lower() if "a" <= c <= "z"), " ")


def _two_letters(readings: str) -> tuple[str, str]:
    letters = list(dict.fromkeys(_letter(r) for r in readings.split(",")))
    return letters[0], (letters[1] if len(letters) > 1 else " ")


def _load() -> tuple[str, str]:
    global _letters
    with _lock:
        if _letters is None:
            table: dict[str, str] = json.loads(_table_path().read_text(encoding="utf-8"))
            first, second = [" "] * (LAST - FIRST + 1), [" "] * (LAST - FIRST + 1)
            for key, readings in table.items():
                point = int(key)
                if FIRST <= point <= LAST:
                    first[point - FIRST], second[point - FIRST] = _two_letters(readings)
            _letters = ("".join(first), "".join(second))
        return _letters


def _spell(text: str, alternative: bool) -> str:
    first, second = _load()
    out = []
    for ch in text:
        point = ord(ch)
        if FIRST <= point <= LAST:
            letter = first[point - FIRST]
            if alternative and second[point - FIRST] != " ":
                letter = second[point - FIRST]
            if letter != " ":
                out.append(letter)
        elif ch.isascii() and ch.isalnum():
            out.append(ch.lower())
    return "".join(out)


def initials(text: str) -> str:
    """Pinyin initials of the Chinese in ``text`` (养老保险 → ylbx); Latin letters and digits
    kept, everything else dropped."""
    return _spell(text, alternative=False)


def alternative_initials(text: str) -> str:
    """The initials with each character of two readings read its second way ("" when none)."""
    other = _spell(text, alternative=True)
    return "" if other == initials(text) else other
