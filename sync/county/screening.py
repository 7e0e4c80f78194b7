"""Screening of a station's events at the county (R-N3, R-I3): text with control characters.

The station refuses control characters in every text field (``appliance.core.text``), so
an event carrying one comes from a station that does not, or from a tampered stick. The
inbox rejects such an event into quarantine with a clear reason instead of storing and
projecting it. PostgreSQL cannot keep NUL in text or JSON at all, so the quarantined copy
has every control character written out as ``\\uXXXX`` (``escaped``).
"""

from __future__ import annotations

from typing import Any

from appliance.core.text import has_control
from sync.protocol import WireEvent

MAX_DEPTH = 64


def _texts(value: Any, depth: int = 0) -> list[str]:
    """Every string in a JSON value (keys too), to ``MAX_DEPTH`` levels."""
    if depth > MAX_DEPTH:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            out += [str(k), *_texts(v, depth + 1)]
        return out
    if isinstance(value, list):
        return [t for v in value for t in _texts(v, depth + 1)]
    return []


def control_problem(e: WireEvent) -> bool:
    """Whether the event's identifiers or its payload's texts hold a control character
    (the payload may hold line breaks and tabs, as multi-line texts do)."""
    single = (e.id, e.type, e.entity, e.entity_id, e.occurred_at)
    if any(has_control(t) for t in single if isinstance(t, str)):
        return True
    return any(has_control(t, multiline=True) for t in _texts(e.payload))


def _escape(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if has_control(c, multiline=True) else c for c in text)


def escaped(value: Any, depth: int = 0) -> Any:
    """A JSON value with the control characters of its strings (and keys) written out."""
    if depth > MAX_DEPTH:
        return "…"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, dict):
        return {_escape(str(k)): escaped(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [escaped(v, depth + 1) for v in value]
    return value
