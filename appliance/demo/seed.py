"""Demo data for ``make run``: a believable village station (3 categories, 2 windows, 5 staff)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from appliance.queue.tables import Category
from appliance.wiring import Services


@dataclass(frozen=True)
class DemoStaff:
    code: str
    name: str
    role: str
    pin: str
    post: str
    phone: str
    window: int | None


DEMO_CATEGORIES = [("A", "综合受理", 6.0), ("B", "社保医保", 8.0), ("C", "民政残联", 10.0)]
DEMO_WINDOWS = [(1, "1号窗口 综合受理", ["A", "B"]), (2, "2号窗口 社保民政", ["B", "C"])]
# One account per role (R-T1), each PIN 6 digits (the default ``pin_min_length``), so the demo
# and the tests log in without the forced PIN change. README.md lists them.
DEMO_STAFF = [
    DemoStaff("zz01", "李建国", "manager", "112233", "站长", "0371-6000001", 2),
    DemoStaff("ck01", "王秀英", "window", "223344", "综合窗口", "0371-6000002", 1),
    DemoStaff("yd01", "张伟", "guide", "334455", "引导咨询", "0371-6000003", None),
    DemoStaff("bd01", "刘芳", "helper", "445566", "帮办代办", "0371-6000004", 2),
    DemoStaff("ts01", "赵丽", "complaints", "556677", "投诉受理", "0371-6000005", None),
]


def seed_demo(services: Services) -> bool:
    """Seed once; returns False when the station already has categories."""
    from appliance.catalogue.service.importer import seed_demo_catalogue

    seed_demo_catalogue(services, services.clock)  # runs once; also fills the calendar
    with services.db.read() as s:
        if s.exec(select(Category)).first() is not None:
            return False
    for sort, (prefix, name, prior) in enumerate(DEMO_CATEGORIES):
        services.config.add_category(prefix, name, prior, sort)
    windows = {}
    for number, name, cats in DEMO_WINDOWS:
        windows[number] = services.config.add_window(number, name, cats).id
    for st in DEMO_STAFF:
        services.staff.create(
            st.code,
            st.name,
            st.role,
            st.pin,
            st.post,
            st.phone,
            windows.get(st.window) if st.window else None,
        )
    return True
