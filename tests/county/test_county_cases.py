"""Cases at the county (电子监察, R-M1–R-M3): the stations' case events projected into
``case_fact``, the overdue panel per station and the case figures with their exports.

The county's today is Monday 2026-11-23 (``T0``); the figures period is the 14 days up to it.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from typing import Any

import openpyxl

from sync.county.apply import StoredEvent
from sync.county.case_handlers import case_facts
from sync.county.dashboard.common import PREFIX
from sync.protocol import WireEvent
from tests.county.dashboard_support import login
from tests.support.county import T0, County, FakeStation

ITEM = {"item_code": "410122-MZ-001", "item_name": "高龄津贴申请"}


def day(d: int, hour: int = 9) -> datetime:
    """2026-11-<d> at ``hour`` Beijing time."""
    return T0 + timedelta(days=d - 23, hours=hour - 9)


def ev(st: FakeStation, type_: str, number: str, at: datetime, **payload: Any) -> WireEvent:
    body = {"case_number": number, "item_code": ITEM["item_code"], "staff_id": "s1", **payload}
    return st.event(type_, body, entity="case", entity_id=f"id-{number}", at=at)


def accepted(st: FakeStation, number: str, received: int, due: str) -> list[WireEvent]:
    """收件 then 受理 on day ``received``: the station's two events."""
    return [
        ev(
            st,
            "case.opened",
            number,
            day(received),
            state="received",
            phone="138****1234",
            received_on=f"2026-11-{received}",
            due_on=f"2026-11-{received + 5}",
            **ITEM,
        ),
        ev(
            st,
            "case.accept",
            number,
            day(received, 10),
            **{"from": "received", "to": "accepted"},
            due_on=due,
        ),
    ]


def facts(c: County, station: str = "ST01") -> dict[str, tuple[Any, ...]]:
    rows = c.rows(
        "SELECT case_number, state, due_on::text, overdue, due_soon, decided_on::text, "
        "item_name FROM case_fact WHERE station_id=%s ORDER BY case_number",
        station,
    )
    return {r[0]: tuple(r[1:]) for r in rows}


def cells(page: str, marker: str) -> list[str]:
    """The cell texts of the table row marked ``marker`` (e.g. ``data-station="ST01"``)."""
    row = page.split(marker)[1].split("</tr>")[0]
    return [
        re.sub(r"<[^>]+>", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def busy_week(c: County) -> tuple[FakeStation, FakeStation]:
    """ST01: A overdue, B due soon, C done on time, D done late, E just received.
    ST02: F past its 办结期限 with no word from the station (it went quiet)."""
    st = c.enrol("ST01", "东坡村便民服务站")
    events = [
        *accepted(st, "A", 16, "2026-11-20"),
        *accepted(st, "B", 17, "2026-11-24"),
        *accepted(st, "C", 18, "2026-11-25"),
        *accepted(st, "D", 12, "2026-11-17"),
        ev(st, "case.overdue", "D", day(18), state="accepted", due_on="2026-11-17"),
        ev(
            st,
            "case.approve",
            "D",
            day(19),
            **{"from": "accepted", "to": "approved"},
            due_on="2026-11-17",
        ),
        ev(
            st,
            "case.approve",
            "C",
            day(20),
            **{"from": "accepted", "to": "approved"},
            due_on="2026-11-25",
        ),
        ev(
            st,
            "case.opened",
            "E",
            day(20),
            state="received",
            received_on="2026-11-20",
            due_on="2026-11-27",
            **ITEM,
        ),
        ev(st, "case.reminder", "B", day(23, 8), state="accepted", due_on="2026-11-24"),
        ev(st, "case.overdue", "A", day(23, 8), state="accepted", due_on="2026-11-20"),
    ]
    assert c.send(st, events).status_code == 200
    quiet = c.enrol("ST02", "西岭村便民服务站")
    assert c.send(quiet, accepted(quiet, "F", 13, "2026-11-20")).status_code == 200
    return st, quiet


def test_case_events_project_one_row_per_case_with_flags_r_m2(dash: County) -> None:
    busy_week(dash)
    assert facts(dash) == {
        "A": ("accepted", "2026-11-20", True, False, None, "高龄津贴申请"),
        "B": ("accepted", "2026-11-24", False, True, None, "高龄津贴申请"),
        "C": ("approved", "2026-11-25", False, False, "2026-11-20", "高龄津贴申请"),
        "D": ("approved", "2026-11-17", False, False, "2026-11-19", "高龄津贴申请"),
        "E": ("received", "2026-11-27", False, False, None, "高龄津贴申请"),
    }
    columns = {
        r[0]
        for r in dash.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name='case_fact'"
        )
    }
    assert not columns & {"phone", "applicant", "name", "id_number"}  # R-I3


def test_one_batch_or_one_event_at_a_time_give_the_same_rows(dash: County) -> None:
    """Set-based folding equals applying the events one by one."""
    one = dash.enrol("ST01", "东坡村便民服务站")
    many = dash.enrol("ST02", "西岭村便民服务站")
    script: list[tuple[str, str, int, dict[str, Any]]] = [
        (
            "case.opened",
            "X",
            16,
            {"state": "received", "received_on": "2026-11-16", "due_on": "2026-11-23", **ITEM},
        ),
        ("case.accept", "X", 16, {"to": "accepted", "due_on": "2026-11-19"}),
        ("case.reminder", "X", 18, {"state": "accepted", "due_on": "2026-11-19"}),
        ("case.overdue", "X", 20, {"state": "accepted", "due_on": "2026-11-19"}),
        ("case.extend", "X", 20, {"to": "accepted", "due_on": "2026-11-26"}),  # overdue ends
        ("case.reminder", "X", 23, {"state": "accepted", "due_on": "2026-11-26"}),
    ]
    assert dash.send(one, [ev(one, t, n, day(d), **p) for t, n, d, p in script]).status_code == 200
    for t, n, d, p in script:
        assert dash.send(many, [ev(many, t, n, day(d), **p)]).status_code == 200
    assert (
        facts(dash, "ST01")
        == facts(dash, "ST02")
        == {"X": ("accepted", "2026-11-26", False, True, None, "高龄津贴申请")}
    )


def test_an_older_event_never_overwrites_newer_state(dash: County) -> None:
    """A backlog forced through may apply an older event late: it only fills gaps."""
    busy_week(dash)

    def stored(seq: int, type_: str, payload: dict[str, Any]) -> StoredEvent:
        return StoredEvent(
            "ST01",
            f"late-{seq}",
            seq,
            type_,
            "case",
            "id-A",
            {"case_number": "A", **payload},
            day(16),
        )

    with dash.services.db.tx() as s:
        case_facts(s, [stored(1, "case.opened", {"state": "received", "due_on": "2026-11-21"})])
    assert facts(dash)["A"][:3] == ("accepted", "2026-11-20", True)


def test_oversight_panel_lists_overdue_and_due_soon_per_station_r_m2(dash: County) -> None:
    busy_week(dash)
    login(dash.client)
    page = dash.client.get(f"{PREFIX}/oversight").text
    assert "暂无超期或临期办件" not in page
    assert cells(page, 'data-station="ST01"') == ["东坡村便民服务站", "1", "1"]
    assert cells(page, 'data-station="ST02"') == ["西岭村便民服务站", "1", "0"]
    state, station, case, deadline = cells(page, 'data-case="A"')
    assert (state, station, deadline) == ("超期", "东坡村便民服务站", "2026-11-20")
    assert "高龄津贴申请" in case
    assert cells(page, 'data-case="B"')[0] == "临期"
    assert cells(page, 'data-case="F"')[:2] == ["超期", "西岭村便民服务站"]  # quiet, still seen
    assert all(f'data-case="{x}"' not in page for x in "CDE")
    assert "138****1234" not in page  # nothing of the applicant reaches the county page


def test_figures_show_cases_by_state_overdue_and_on_time_r_m1(dash: County) -> None:
    busy_week(dash)
    login(dash.client)
    page = dash.client.get(f"{PREFIX}/figures").text
    assert page.count("<svg") == 4 and "办件状态（期内收件）" in page
    row = page.split('data-station="ST01"')[1].split("</tr>")[0]
    assert '<td class="num case-overdue">1</td>' in row and "50.0%" in row

    r = dash.client.get(f"{PREFIX}/export/figures.csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    head, st01, st02, total = rows[0], rows[1], rows[2], rows[-1]
    by = dict(zip(head, st01, strict=True))
    assert (
        by["办件数"],
        by["超期办件（当前）"],
        by["按时办结"],
        by["超期办结"],
        by["按时办结率（%）"],
    ) == ("5", "1", "1", "1", "50.0")
    assert dict(zip(head, st02, strict=True))["超期办件（当前）"] == "1"
    assert dict(zip(head, total, strict=True))["办件数"] == "6"

    states = list(
        csv.reader(
            io.StringIO(
                dash.client.get(f"{PREFIX}/export/figures-cases.csv").content.decode("utf-8-sig")
            )
        )
    )
    assert states[0] == ["站点编码", "站点名称", "办件状态", "件数"]
    assert ["ST01", "东坡村便民服务站", "受理", "2"] in states
    assert ["ST01", "东坡村便民服务站", "已办结-准予", "2"] in states
    assert ["ST01", "东坡村便民服务站", "收件", "1"] in states
    assert ["ST02", "西岭村便民服务站", "受理", "1"] in states
    book = openpyxl.load_workbook(
        io.BytesIO(dash.client.get(f"{PREFIX}/export/figures.xlsx").content)
    )
    assert [ws.title for ws in book.worksheets][1:] == ["每日取号", "办件状态"]
