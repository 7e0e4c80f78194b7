"""Working-day calendar (R-K3): golden dates against the State Council holiday notices.

2025 (国办发明电〔2024〕12号): 春节 1月28日–2月4日放假，1月26日（周日）、2月8日（周六）上班；
国庆、中秋 10月1日–8日放假，9月28日（周日）、10月11日（周六）上班.
2026 (国办发明电〔2025〕7号): 春节 2月15日–23日放假，2月14日（周六）、2月28日（周六）上班；
中秋 9月25日–27日；国庆 10月1日–7日放假，9月20日（周日）、10月10日（周六）上班.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from appliance.calendar.rules import CalendarEntry, WorkingCalendar, weekends_only
from appliance.calendar.service import CalendarService, package_entries, seed_calendar_from_package
from appliance.catalogue.service.importer import calendar_import_main
from appliance.core.clock import FrozenClock
from appliance.core.errors import Invalid
from appliance.db.database import Database
from appliance.db.migrate import upgrade

D = date
CLOCK = FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))


def package_calendar() -> WorkingCalendar:
    return WorkingCalendar.from_entries(package_entries(range(2024, 2027)), range(2024, 2027))


@pytest.fixture
def db(tmp_path: Path) -> Database:
    url = f"sqlite:///{tmp_path / 'cal.db'}"
    upgrade(url)
    return Database(url)


@pytest.fixture(params=["package", "migration"])
def cal(request: pytest.FixtureRequest, tmp_path: Path) -> WorkingCalendar:
    """The same golden dates hold for the package and for the migration's seed rows."""
    if request.param == "package":
        return package_calendar()
    url = f"sqlite:///{tmp_path / 'seeded.db'}"
    upgrade(url)
    db = Database(url)
    try:
        return CalendarService(db, CLOCK).calendar()
    finally:
        db.dispose()


GOLDEN = [
    # 2025 春节
    (D(2025, 1, 24), 5, D(2025, 2, 7)),  # 1/26 Sunday counts, 1/28–2/4 do not
    (D(2025, 1, 24), 1, D(2025, 1, 26)),  # the make-up Sunday
    (D(2025, 1, 27), 1, D(2025, 2, 5)),
    (D(2025, 2, 7), 1, D(2025, 2, 8)),  # the make-up Saturday
    (D(2025, 2, 8), 1, D(2025, 2, 10)),
    # 2025 国庆、中秋
    (D(2025, 9, 26), 3, D(2025, 9, 30)),  # 9/28 Sunday counts
    (D(2025, 9, 30), 1, D(2025, 10, 9)),
    (D(2025, 9, 30), 3, D(2025, 10, 11)),  # 10/11 Saturday counts
    (D(2025, 10, 10), 1, D(2025, 10, 11)),
    # 2026 春节
    (D(2026, 2, 12), 3, D(2026, 2, 24)),  # 2/14 Saturday counts, 2/15–23 do not
    (D(2026, 2, 13), 1, D(2026, 2, 14)),
    (D(2026, 2, 24), 4, D(2026, 2, 28)),  # 2/28 Saturday counts
    # 2026 中秋、国庆
    (D(2026, 9, 24), 1, D(2026, 9, 28)),  # 9/25 Friday is 中秋
    (D(2026, 9, 18), 2, D(2026, 9, 21)),  # 9/20 Sunday counts
    (D(2026, 9, 30), 3, D(2026, 10, 10)),  # 10/1–7 off, 10/10 Saturday counts
    # 2026 元旦: 1/1–3 off, 1/4 Sunday works
    (D(2025, 12, 31), 1, D(2026, 1, 4)),
]


@pytest.mark.parametrize(("accepted", "days", "due"), GOLDEN)
def test_golden_deadlines_r_k3(cal: WorkingCalendar, accepted: date, days: int, due: date) -> None:
    deadline = cal.add_working_days(accepted, days)
    assert deadline.date == due
    assert deadline.provisional is False and deadline.reason == ""


def test_workdays_and_holidays_of_the_notices(cal: WorkingCalendar) -> None:
    for d in (
        D(2025, 1, 26),
        D(2025, 2, 8),
        D(2025, 9, 28),
        D(2025, 10, 11),
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ):
        assert cal.is_workday(d), d
    for d in (
        D(2025, 1, 28),
        D(2025, 2, 4),
        D(2025, 10, 8),
        D(2026, 2, 16),
        D(2026, 2, 23),
        D(2026, 10, 7),
        D(2026, 9, 25),
        D(2026, 5, 5),
    ):
        assert not cal.is_workday(d), d
    assert cal.is_workday(D(2026, 11, 23)) and not cal.is_workday(D(2026, 11, 22))


def test_immediate_items_are_due_the_same_day(cal: WorkingCalendar) -> None:
    assert cal.add_working_days(D(2025, 10, 3), 0).date == D(2025, 10, 3)
    assert cal.add_working_days(D(2026, 11, 23), 0).date == D(2026, 11, 23)


def test_pauses_stop_the_clock(cal: WorkingCalendar) -> None:
    # 检验 on Monday 1/27: that working day does not count; the make-up 2/8 does
    got = cal.deadline_with_pauses(D(2025, 1, 24), 5, [(D(2025, 1, 27), D(2025, 1, 27))])
    assert got.date == D(2025, 2, 8)
    # a 听证 spanning the holiday costs only its working days (1/26, 1/27, 2/5)
    got = cal.deadline_with_pauses(D(2025, 1, 24), 5, [(D(2025, 1, 25), D(2025, 2, 5))])
    assert got.date == D(2025, 2, 11)
    # two pauses add up
    got = cal.deadline_with_pauses(
        D(2026, 11, 23), 2, [(D(2026, 11, 24), D(2026, 11, 24)), (D(2026, 11, 26), D(2026, 11, 27))]
    )
    assert got.date == D(2026, 11, 30)
    with pytest.raises(ValueError):
        cal.deadline_with_pauses(D(2026, 11, 23), 2, [(D(2026, 11, 25), D(2026, 11, 24))])


def test_year_without_data_is_provisional_and_never_blocks(cal: WorkingCalendar) -> None:
    inside = cal.add_working_days(D(2026, 12, 1), 3)
    assert inside.date == D(2026, 12, 4) and not inside.provisional
    crossing = cal.add_working_days(D(2026, 12, 28), 5)
    assert crossing.date == D(2027, 1, 4)  # 2027-01-01 counted: weekends only
    assert crossing.provisional is True
    assert "2027 年节假日安排尚未发布" in crossing.reason
    later = cal.add_working_days(D(2027, 3, 1), 1)
    assert later.date == D(2027, 3, 2) and later.provisional
    assert cal.add_working_days(D(2027, 3, 1), 0).provisional


def test_weekends_only_and_working_days_between() -> None:
    cal = weekends_only()
    assert cal.add_working_days(D(2026, 11, 20), 1) == cal.add_working_days(D(2026, 11, 21), 1)
    assert package_calendar().working_days_between(D(2025, 1, 24), D(2025, 2, 7)) == 5
    assert package_calendar().working_days_between(D(2025, 2, 7), D(2025, 1, 24)) == -5
    with pytest.raises(ValueError):
        WorkingCalendar.from_entries([CalendarEntry(D(2026, 1, 1), "party")], [2026])


def test_package_knows_2004_to_2026_only() -> None:
    assert package_entries([2027]) == []
    assert any(e.day == D(2004, 1, 1) for e in package_entries([2004]))


def test_seed_fills_missing_years_without_overwriting(db: Database) -> None:
    svc = CalendarService(db, CLOCK)
    assert svc.calendar().covered_years == frozenset({2024, 2025, 2026})
    added = seed_calendar_from_package(db, CLOCK)
    assert added == list(range(2004, 2024))
    assert seed_calendar_from_package(db, CLOCK) == []
    cal = svc.calendar()
    assert 2015 in cal.covered_years and not cal.is_workday(D(2015, 9, 3))  # 抗战胜利纪念日


def test_import_extends_to_2027_and_removes_the_provisional_mark(
    db: Database, tmp_path: Path
) -> None:
    svc = CalendarService(db, CLOCK)
    assert svc.deadline(D(2026, 12, 28), 5).provisional
    f = tmp_path / "2027.json"
    f.write_text(
        json.dumps(
            [
                {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
                {"date": "2027-01-02", "kind": "holiday", "name": "元旦"},
                {"date": "2027-01-03", "kind": "holiday", "name": "元旦"},
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    settings = type("S", (), {"sqlalchemy_url": db.url})()
    assert calendar_import_main(settings, f) == 0  # type: ignore[arg-type]
    after = svc.deadline(D(2026, 12, 28), 5)
    assert after.date == D(2027, 1, 5) and not after.provisional


def test_malformed_calendar_file_changes_nothing(db: Database, tmp_path: Path) -> None:
    svc = CalendarService(db, CLOCK)
    before = svc.calendar()
    bad = [
        [{"date": "2027-01-01", "kind": "holiday"}, {"date": "2027-13-01", "kind": "holiday"}],
        [{"date": "2027-01-04", "kind": "workday", "name": "x"}],  # a Monday
        [{"date": "2027-01-01", "kind": "party"}],
        [{"date": "2027-01-01", "kind": "holiday"}, {"date": "2027-01-01", "kind": "holiday"}],
        {"years": ["x"], "days": []},
        [],
    ]
    messages = []
    for i, doc in enumerate(bad):
        f = tmp_path / f"bad{i}.json"
        f.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(Invalid) as exc:
            svc.import_file(f)
        messages.append(exc.value.message)
    assert messages[0] == "节假日安排第 2 项：日期“2027-13-01”不是 YYYY-MM-DD 格式"
    assert "不是周末" in messages[1]
    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    settings = type("S", (), {"sqlalchemy_url": db.url})()
    assert calendar_import_main(settings, tmp_path / "broken.json") == 1  # type: ignore[arg-type]
    assert svc.calendar() == before
