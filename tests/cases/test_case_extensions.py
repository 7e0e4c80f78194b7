"""What the applicant is told about dates (issue 16, items 3–5; R-K2, R-K3, R-K6).

- 延期: one, performed by the station head (站长批准), of at most ``case_extension_max_days``
  working days; anything else is refused in Chinese with the case unchanged.
- 暂定: a provisional 办结期限 reads “（暂定）” in the SMS, as it does on the notice.
- Dates given to applicants (补正期限, 容缺补齐期限) land on working days.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import TestClient

from appliance.calendar.rules import CalendarEntry
from appliance.calendar.service import CalendarService
from appliance.cases.service.sweep import CaseSweep
from tests.cases.notice_support import PROVISIONAL, Desk, assert_has
from tests.support.fingerprint import fingerprint
from tests.support.station import Station

TZ = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


@pytest.fixture
def desk(client: TestClient, station: Station) -> Desk:
    return Desk(client, station)


def post(desk: Desk, number: str, action: str, head: bool, **body: Any) -> Any:
    return desk.client.post(
        f"/api/cases/{number}/actions/{action}",
        json=body,
        headers=desk.head if head else desk.headers,
    )


def test_one_extension_by_the_head_of_limited_length_r_k3(desk: Desk) -> None:
    number = desk.open()
    desk.act(number, "accept")
    before = fingerprint(desk.station.services.db)
    r = post(desk, number, "extend", head=False, days=3, reason="需入户核实")
    assert r.status_code == 403 and r.json()["message"] == "延期须经站长批准：请站长登录后办理延期"
    r = post(desk, number, "extend", head=True, days=30, reason="需入户核实")
    assert r.status_code == 400
    assert r.json()["message"] == "延期不能超过10个工作日（本次填了30个工作日）"
    assert fingerprint(desk.station.services.db) == before  # nothing written
    step = desk.act(number, "extend", as_head=True, days=3, reason="需入户核实")
    assert step["case"]["due_on"] == "2026-12-17"  # 12-14 + 3 working days
    before = fingerprint(desk.station.services.db)
    r = post(desk, number, "extend", head=True, days=3, reason="还需复核")
    assert r.status_code == 409
    assert r.json()["message"] == (
        "该办件已延期1次，本事项只能延期1次；仍不能按期办结的，请报县级主管部门"
    )
    assert fingerprint(desk.station.services.db) == before
    assert len([n for n in desk.notices(number) if n.kind == "extension"]) == 1
    assert len(desk.sms("case_extended")) == 1


def test_provisional_deadline_says_zanding_in_the_sms_r_k6(desk: Desk) -> None:
    """Acceptance and extension SMS carry “（暂定）” with a date in a year without holiday
    data, like the notices; a firm date does not."""
    desk.station.clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    desk = Desk(desk.client, desk.station)  # log in again on the new day
    firm = desk.open()
    desk.act(firm, "accept")  # due 2026-12-22: firm
    [sms] = desk.sms("case_accepted")
    assert "2026年12月22日" in sms and "暂定" not in sms
    desk.act(firm, "extend", as_head=True, days=10, reason="需县民政局核对")  # → 2027
    [sms] = desk.sms("case_extended")
    assert "2027年1月5日（暂定）" in sms
    assert_has(desk.pdf_text(firm, "extension"), "2027年1月5日前" + PROVISIONAL)
    desk.station.clock.set(datetime(2026, 12, 16, 9, 0, tzinfo=TZ))
    desk = Desk(desk.client, desk.station)
    late = desk.open()
    desk.act(late, "accept")  # 15 working days from 12-16: in 2027
    sms = desk.sms("case_accepted")[-1]
    assert "2027年1月6日（暂定）" in sms, sms


def test_correction_deadline_on_a_sunday_moves_to_monday_r_k2(desk: Desk) -> None:
    """Issue 16, item 4: a 补正 deadline of Sunday 2026-12-13 becomes Monday 12-14 in the
    notice, the SMS and the case."""
    number = desk.open(materials={"M1": "received", "M2": "received", "M4": "received"})
    step = desk.act(number, "request_correction", deadline="2026-12-13")
    assert "2026-12-14" in str(step["case"]["timeline"][-1]) and "12-13" not in str(step)
    [sms] = desk.sms("case_correction")
    assert "2026年12月14日" in sms and "12月13日" not in sms
    assert_has(desk.pdf_text(number, "correction"), "2026年12月14日")


def test_a_moved_date_reissues_the_extension_notice_that_gave_it_r_k3(desk: Desk) -> None:
    """Issue 16, item 3: the applicant's date came from the 延期告知书, so the reissue after
    the holiday recompute is a 延期告知书 with the new date, not a 受理通知书."""
    desk.station.clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    desk = Desk(desk.client, desk.station)
    number = desk.open()
    desk.act(number, "accept")  # due 2026-12-22 (firm)
    desk.act(number, "extend", as_head=True, days=10, reason="需县民政局核对")  # 2027-01-05 暂定
    services = desk.station.services
    CalendarService(services.db, desk.station.clock).replace(
        [CalendarEntry(date(2027, 1, 1), "holiday", "元旦")], {2027}, "import"
    )
    CaseSweep(services.db, desk.station.settings, desk.station.clock).run()
    kinds = {n.kind: n.title for n in desk.notices(number)}
    assert kinds["extension_reissued"] == "延期告知书（办结期限调整后重新出具）"
    assert "acceptance_reissued" not in kinds
    content = desk.pdf_text(number, "extension_reissued")
    assert_has(content, "延期告知书", "需县民政局核对", "2027年1月6日前", "2026年12月22日")
    assert "暂定" not in content
    [moved] = desk.sms("case_deadline_changed")
    assert "2027年1月6日" in moved
