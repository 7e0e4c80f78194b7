"""Complaints ledger export and counts (R-P2, R-M3): CSV and XLSX of any period with
Chinese headers, for the 投诉受理 role and the head; counts per day and staff member."""

from __future__ import annotations

import csv
import io
from datetime import date

from litestar.testing import TestClient

from tests.complaints.complaint_support import COMPLAINANT, register, walk_transfer
from tests.support.station import COMPLAINTS, MANAGER, WINDOW_CLERK, Station, login


def test_export_of_a_period_in_both_formats_r_p2(client: TestClient, station: Station) -> None:
    h = login(client, *COMPLAINTS)
    walk_transfer(client, register(client, h, channel="hotline"), h)
    register(client, h, channel="box", confidential=True)
    r = client.get("/api/complaints/export.csv?start=2026-11-23&end=2026-11-23", headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"  # one charset, not two
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert table[0][:5] == ["投诉编号", "受理时间", "投诉渠道", "保密", "投诉人"]
    lines = [dict(zip(table[0], line, strict=True)) for line in table[1:]]
    assert [(x["投诉渠道"], x["保密"], x["投诉人"], x["状态"]) for x in lines] == [
        ("12345", "否", COMPLAINANT, "已办结"),
        ("意见箱", "是", "（保密）", "待核实"),
    ]
    assert lines[0]["核实结论"] == "属实" and lines[0]["答复方式"] == "短信"
    r = client.get("/api/complaints/export.xlsx", headers=login(client, *MANAGER))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert (
        client.get("/api/complaints/export.csv", headers=login(client, *WINDOW_CLERK)).status_code
        == 403
    )


def test_counts_by_day_and_staff_for_the_figures_r_p2(client: TestClient, station: Station) -> None:
    h = login(client, *COMPLAINTS)
    walk_transfer(client, register(client, h), h)
    register(client, h, confidential=True)
    station.clock.advance(days=1)
    register(client, login(client, *MANAGER))
    counts = station.services.complaints.counts(date(2026, 11, 23), date(2026, 11, 24))
    got = [(c.day.isoformat(), c.received, c.confidential, c.closed) for c in counts]
    assert got == [("2026-11-23", 2, 1, 1), ("2026-11-24", 1, 0, 0)]
    assert len({c.staff_id for c in counts}) == 2
