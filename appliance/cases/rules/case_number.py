"""Case numbers (办件编号, R-K1): station code + date + daily sequence.

``YZ0001-20261123-0007`` is the seventh case of 23 November 2026 at station YZ0001.
The same number later serves as the archive number and the progress-query key (R-K7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from appliance.core.errors import Invalid

_STATION = re.compile(r"[A-Z0-9]{2,16}")
_NUMBER = re.compile(r"([A-Z0-9]{2,16})-(\d{8})-(\d{4,6})")


@dataclass(frozen=True)
class CaseNumber:
    """办件编号 parts."""

    station: str
    day: date
    seq: int

    def __str__(self) -> str:
        return format_case_number(self.station, self.day, self.seq)


def format_case_number(station: str, day: date, seq: int) -> str:
    """``STATION-YYYYMMDD-NNNN`` (the sequence widens past 9999, never wraps)."""
    code = station.strip().upper()
    if not _STATION.fullmatch(code):
        raise Invalid(f"站点编码“{station}”不合规：应为 2–16 位大写字母或数字", "bad_station_code")
    if not 1 <= seq <= 999_999:
        raise Invalid(f"当日序号 {seq} 超出范围（1–999999）", "bad_case_seq")
    return f"{code}-{day:%Y%m%d}-{seq:04d}"


def parse_case_number(text: str) -> CaseNumber:
    """Parse a case number typed by staff or an applicant (spaces and case forgiven)."""
    raw = text.strip().upper().replace(" ", "")
    m = _NUMBER.fullmatch(raw)
    if not m:
        raise Invalid(f"办件编号“{text}”格式不正确，应形如 YZ0001-20261123-0007", "bad_case_number")
    station, ymd, seq = m.groups()
    try:
        day = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
    except ValueError:
        raise Invalid(f"办件编号“{text}”中的日期无效", "bad_case_number") from None
    number = int(seq)
    if number < 1:
        raise Invalid(f"办件编号“{text}”中的序号无效", "bad_case_number")
    return CaseNumber(station, day, number)
