"""Every number of the device API has a range (R-N1, R-I3; defect 3).

A lease of 3.27e16 or 1e300 seconds overflowed ``timedelta`` (500), an event position past
64 bits overflowed SQLite (500), and a negative lease handed the same print job out twice
(a receipt printed twice). Now each is a 400 in Chinese naming the field and its range,
before anything is leased.
"""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from tests.support.station import Station


def device(station: Station) -> dict[str, str]:
    return {"X-Device-Key": station.settings.device_key}


@pytest.mark.parametrize("path", ["/api/device/print-jobs/claim", "/api/device/sms/claim"])
@pytest.mark.parametrize("lease", [3.27e16, 1e300, -5, 0, 0.5, 3601])
def test_leases_out_of_range_are_refused_r_n1(
    client: TestClient, station: Station, path: str, lease: float
) -> None:
    station.services.queue.issue("A", "kiosk")  # a receipt job waits
    r = client.post(path, json={"lease_seconds": lease}, headers=device(station))
    assert r.status_code == 400, r.text
    message = r.json()["message"]
    assert "租约时长（秒）" in message and "1–3600" in message


def test_a_negative_lease_never_hands_a_job_out_twice_r_n1(
    client: TestClient, station: Station
) -> None:
    station.services.queue.issue("A", "kiosk")
    claim = "/api/device/print-jobs/claim"
    for _ in range(2):
        r = client.post(claim, json={"lease_seconds": -5}, headers=device(station))
        assert r.status_code == 400
    first = client.post(claim, json={"lease_seconds": 60}, headers=device(station)).json()
    again = client.post(claim, json={"lease_seconds": 60}, headers=device(station)).json()
    assert len(first) == 1 and again == []


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"limit": 0}, ["返回条数", "1–50"]),
        ({"limit": 10**30}, ["返回条数", "1–50"]),
        ({"kinds": ["receipt"] * 11}, ["打印任务类型", "最多 10 项"]),
        ({"lease_seconds": "forever"}, ["租约时长（秒）", "应为数字"]),
    ],
)
def test_other_claim_numbers_have_ranges(
    client: TestClient, station: Station, body: dict[str, object], words: list[str]
) -> None:
    r = client.post("/api/device/print-jobs/claim", json=body, headers=device(station))
    assert r.status_code == 400, r.text
    assert all(w in r.json()["message"] for w in words), r.json()["message"]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("after=398706782690424782848", ["起始序号", "0–9223372036854775807"]),
        ("after=-1", ["起始序号"]),
        ("limit=0", ["返回条数", "1–500"]),
        ("limit=100000", ["返回条数", "1–500"]),
    ],
)
def test_the_event_feed_position_fits_sqlite_r_n1(
    client: TestClient, station: Station, query: str, words: list[str]
) -> None:
    r = client.get(f"/api/device/events?{query}", headers=device(station))
    assert r.status_code == 400, r.text
    assert all(w in r.json()["message"] for w in words), r.json()["message"]


def test_button_lease_and_rating_level_have_ranges(client: TestClient, station: Station) -> None:
    r = client.post(
        "/api/device/button-press", json={"lease_seconds": 1e300}, headers=device(station)
    )
    assert r.status_code == 400 and "1–600" in r.json()["message"]
    r = client.post(
        "/api/device/ratings", json={"window": "1", "level": 2**70}, headers=device(station)
    )
    assert r.status_code == 400 and "评价等级" in r.json()["message"]
