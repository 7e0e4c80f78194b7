"""Demo cases (演示办件) for `make run`: a believable desk of open cases on day one.

Only the demo command seeds them (the test template stays without cases). Each case is
opened and decided through ``CaseService`` with a clock set to the day it happened, so
timelines, deadlines, notices and SMS are exactly what real use would have produced:
one overdue, one due tomorrow, one forwarded to the county, one waiting for correction,
one ready for pickup and one just received.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from appliance.calendar.service import CalendarService
from appliance.cases.rules.working_days import ByDateCoverage, subtract_working_days
from appliance.cases.service.cases import CaseService
from appliance.cases.tables import CaseRecord
from appliance.catalogue.service.catalogue import CatalogueService
from appliance.core.clock import FrozenClock
from appliance.staff.tables import Staff
from appliance.wiring import Services

CLERK = "ck01"


@dataclass(frozen=True)
class DemoCase:
    item_code: str
    name: str
    id_number: str
    phone: str
    days_ago: int  # working days before today the applicant came
    missing: tuple[int, ...] = ()  # 1-based material positions not brought
    steps: tuple[tuple[str, Callable[[date], dict[str, Any]]], ...] = field(default=())


def _none(_: date) -> dict[str, Any]:
    return {}


DEMO_CASES: tuple[DemoCase, ...] = (
    DemoCase(
        "410122-MZ-001",
        "张桂兰",
        "410122194001080021",
        "13800001234",
        17,
        steps=(("accept", _none),),
    ),  # 15 working days: overdue
    DemoCase(
        "410122-MZ-002",
        "王大军",
        "410122195503050513",
        "13912345678",
        4,
        steps=(("accept", _none),),
    ),  # 5 working days: due tomorrow
    DemoCase(
        "410122-CL-001",
        "李秀梅",
        "410122197807080446",
        "13700007777",
        2,
        steps=(
            ("accept", _none),
            (
                "forward",
                lambda d: {
                    "to_body": "中牟县残疾人联合会",
                    "received_by": "县残联 周敏",
                    "materials": ["申请表", "残疾人证复印件"],
                },
            ),
        ),
    ),
    DemoCase(
        "410122-MZ-003",
        "赵德胜",
        "410122196812010317",
        "13600006666",
        0,
        missing=(3,),
        steps=(("request_correction", lambda d: {"deadline": _later(d, 10).isoformat()}),),
    ),
    DemoCase(
        "410122-RS-004",
        "刘春花",
        "410122198502020228",
        "13500005555",
        12,
        steps=(
            ("accept", _none),
            ("approve", lambda d: {"decided_by": "中牟县人力资源和社会保障局"}),
            ("notify_pickup", lambda d: {"arrived_on": d.isoformat()}),
        ),
    ),
    DemoCase("410122-GA-001", "陈建国", "410122199009190914", "13300003333", 0),
)


def _later(day: date, days: int) -> date:
    return date.fromordinal(day.toordinal() + days)


def _opening(day: date, tz: ZoneInfo, now: datetime, steps: int) -> tuple[datetime, timedelta]:
    """When a demo case opens (09:30 on its day) and the time between its steps (20 min).

    Never in the future: the clock guard refuses to start with a clock earlier than the
    newest event, so a demo seeded at 03:00 must not leave an event at 09:50 behind (it
    would lock the station out after a restart). Today's cases then open earlier, with
    steps closer together, all before ``now``."""
    start, gap = datetime.combine(day, time(9, 30), tz), timedelta(minutes=20)
    if start + gap * steps < now:
        return start, gap
    midnight = datetime.combine(day, time(0, 0), tz)
    gap = min(gap, (now - midnight) / (steps + 2))
    return now - gap * (steps + 1), gap


def seed_demo_cases(services: Services) -> int:
    """Open the demo cases once (nothing when the station has any case); returns how many."""
    with services.db.read() as s:
        if s.exec(select(CaseRecord)).first() is not None:
            return 0
        clerk = s.exec(select(Staff).where(Staff.code == CLERK)).first()
    if clerk is None:
        return 0
    settings = services.settings
    tz = ZoneInfo(settings.timezone)
    today = services.clock.now().astimezone(tz).date()
    calendar = ByDateCoverage(CalendarService(services.db, services.clock).calendar())
    catalogue = CatalogueService(services.db, services.clock)
    for demo in DEMO_CASES:
        day = subtract_working_days(calendar, today, demo.days_ago) if demo.days_ago else today
        at, gap = _opening(day, tz, services.clock.now(), len(demo.steps))
        clock = FrozenClock(at)
        cases = CaseService(services.db, settings, clock)
        codes = [f"M{i}" for i, _ in enumerate(catalogue.item(demo.item_code).materials, start=1)]
        marks = {
            code: "missing" if pos in demo.missing else "received"
            for pos, code in enumerate(codes, start=1)
        }
        opened = cases.open(
            {
                "item_code": demo.item_code,
                "channel": "counter",
                "materials": marks,
                "applicant": {
                    "kind": "person",
                    "name": demo.name,
                    "id_number": demo.id_number,
                    "phone": demo.phone,
                },
            },
            clerk.id,
            CLERK,
        )
        for action, body in demo.steps:
            clock.advance(seconds=gap.total_seconds())
            cases.act(opened.case_number, action, body(day), CLERK)
    return len(DEMO_CASES)
