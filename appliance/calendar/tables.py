"""Tables of the working-day calendar (工作日历): one row per special day, one per covered year."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from appliance.db.types import UtcDateTime


class CalendarDay(SQLModel, table=True):
    """节假日安排: a holiday (放假) or a make-up workday (调休上班) on a given date."""

    __tablename__ = "calendar_day"
    day: str = Field(primary_key=True)  # YYYY-MM-DD
    kind: str  # holiday | workday
    name: str = ""
    source: str  # chinesecalendar | import | county


class CalendarYear(SQLModel, table=True):
    """A year whose holiday arrangement is known; deadlines in other years are provisional."""

    __tablename__ = "calendar_year"
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    source: str
    updated_at: datetime = Field(sa_type=UtcDateTime)
