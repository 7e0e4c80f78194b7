"""Two windows at once (R-K1, R-K2; defect 7): new cases never conflict, and a real
conflict on an existing case says who changed it and how.

Real threads against the real service and SQLite (WAL, one writer), as two clerks' requests
run in the server's thread pool.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlmodel import select

from appliance.cases.service import cases as case_module
from appliance.core.errors import DomainError
from appliance.staff.tables import Staff
from tests.cases.notice_support import AGED, ALL_AGED, applicant
from tests.support.station import Station

CLERKS = 4
OPENS = 50  # per clerk: 200 in all


def body() -> dict[str, Any]:
    return {"item_code": AGED, "applicant": applicant(), "materials": ALL_AGED}


def staff_id(station: Station, code: str) -> str:
    with station.services.db.read() as s:
        staff = s.exec(select(Staff).where(Staff.code == code)).one()
    return staff.id


def test_concurrent_intake_never_conflicts_r_k1(station: Station) -> None:
    """Four clerks open 200 cases at once: every one opens, each with its own number, and
    the day's numbers run 1…200 without a gap."""
    service = station.services.cases
    clerk = staff_id(station, "ck01")
    errors: list[str] = []

    def open_many(n: int) -> list[str]:
        numbers = []
        for _ in range(n):
            try:
                numbers.append(service.open(body(), clerk, "ck01").case_number)
            except DomainError as exc:
                errors.append(exc.message)
        return numbers

    with ThreadPoolExecutor(CLERKS) as pool:
        opened = [n for part in pool.map(open_many, [OPENS] * CLERKS) for n in part]
    assert errors == []
    assert len(opened) == len(set(opened)) == CLERKS * OPENS
    seqs = sorted(int(n.rsplit("-", 1)[1]) for n in opened)
    assert seqs == list(range(1, CLERKS * OPENS + 1))


def test_a_real_conflict_names_the_clerk_and_the_action_r_k2(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clerk ck01 decides 受理 while the station head zz01 does the same: zz01's lands
    first, ck01's retry finds the case accepted and is refused — naming zz01 and 受理."""
    service = station.services.cases
    number = service.open(body(), staff_id(station, "ck01"), "ck01").case_number
    rendering = threading.Event()
    go_on = threading.Event()
    real_render = case_module.render

    def slow_render(issued: Sequence[Any]) -> Any:
        if threading.current_thread().name == "ck01" and not go_on.is_set():
            rendering.set()
            assert go_on.wait(30)
        return real_render(issued)

    monkeypatch.setattr(case_module, "render", slow_render)
    refusal: list[str] = []

    def clerk() -> None:
        try:
            service.act(number, "accept", {}, "ck01")
        except DomainError as exc:
            refusal.append(exc.message)

    first = threading.Thread(target=clerk, name="ck01")
    first.start()
    assert rendering.wait(30)
    service.act(number, "accept", {}, "zz01")  # the head's decision lands first
    go_on.set()
    first.join(30)
    assert len(refusal) == 1, refusal
    assert "zz01" in refusal[0] and "受理" in refusal[0]
    assert "刚作出" in refusal[0]
