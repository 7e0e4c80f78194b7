"""The case machine plugs into the catalogue (R-S1) and the working-day calendar (R-K3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from appliance.calendar.rules import HOLIDAY, WORKDAY, CalendarEntry, WorkingCalendar
from appliance.cases.rules.deadlines import compute_due
from appliance.cases.rules.item_view import item_kind, rules_from_item, special_procedure
from appliance.cases.rules.materials import ItemKind, SpecialProcedure
from appliance.cases.rules.working_days import ByDateCoverage, Stop, WorkingDays
from appliance.catalogue.rules import ItemSpec, MaterialSpec
from appliance.core.errors import Invalid


def _spec(**kw: object) -> ItemSpec:
    values: dict[str, object] = dict(
        code="LB-001",
        name="最低生活保障申请",
        type="行政给付",
        legal_basis="《社会救助暂行办法》",
        conditions="家庭人均收入低于当地低保标准",
        legal_days=30,
        promised_days=20,
        kind="承诺件",
        allows_tolerant=True,
        allows_notify_commit=False,
        special_procedures=("听证",),
        department="县民政局",
        materials=(
            MaterialSpec("身份证", form="both"),
            MaterialSpec("收入证明", tolerable=True),
            MaterialSpec("照片", form="copy", required=False),
        ),
    )
    values.update(kw)
    return ItemSpec(**values)  # type: ignore[arg-type]


def test_catalogue_item_maps_onto_item_rules() -> None:
    rules = rules_from_item(_spec())
    assert (rules.kind, rules.promised_days, rules.deciding_body) == (
        ItemKind.PROMISED,
        20,
        "县民政局",
    )
    assert rules.allows_tolerant and not rules.allows_commitment
    assert rules.special_procedures == frozenset({SpecialProcedure.HEARING})
    assert [(m.code, m.name, m.is_main, m.original) for m in rules.materials] == [
        ("M1", "身份证", True, True),
        ("M2", "收入证明", False, True),
        ("M3", "照片", False, False),
    ]


def test_labels_and_values_both_parse() -> None:
    assert (
        item_kind("即办件") is ItemKind.IMMEDIATE and item_kind("forwarded") is ItemKind.FORWARDED
    )
    assert special_procedure("专家评审") is SpecialProcedure.EXPERT_REVIEW
    with pytest.raises(Invalid, match="办件类型"):
        item_kind("急件")
    with pytest.raises(Invalid, match="特别程序"):
        special_procedure("公示")


def test_the_station_calendar_plugs_in() -> None:
    # Synthetic entries: Tue 1 Dec 2026 off, Sat 28 Nov 2026 worked.
    cal = WorkingCalendar.from_entries(
        [CalendarEntry(date(2026, 12, 1), HOLIDAY), CalendarEntry(date(2026, 11, 28), WORKDAY)],
        [2026],
    )
    days: WorkingDays = ByDateCoverage(cal)
    assert days.covered(2026) and not days.covered(2027)
    fri = date(2026, 11, 27)
    mine = compute_due(days, fri, ItemKind.PROMISED, 3)
    assert mine.due == date(2026, 12, 2) and not mine.provisional
    assert cal.add_working_days(fri, 3).date == mine.due
    # A stop [start, end) is the calendar's inclusive pause (start, end - 1 day).
    start, end = date(2026, 11, 30), date(2026, 12, 3)
    stop = Stop(start, end)
    theirs = cal.deadline_with_pauses(fri, 3, [(start, end - timedelta(days=1))])
    assert compute_due(days, fri, ItemKind.PROMISED, 3, (stop,)).due == theirs.date
