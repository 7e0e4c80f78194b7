"""A completed delegation (帮办代办) is rated once, by its link, and never before it is
completed (R-E2, R-D2: 一事一评 of a delegation; a bad rating opens a follow-up, R-E3)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from litestar.testing import TestClient

from tests.delegation.support import agree
from tests.ratings.support import followups, ratings, token
from tests.support.station import HELPER, Station, login


def test_a_completed_delegation_is_rated_once_by_its_link_r_e2_r_d2(
    client: TestClient, station: Station
) -> None:
    h = login(client, *HELPER)
    number = agree(client, h)["number"]
    link = token(station, "delegation", number)
    r = client.post("/api/ratings/link", json={"token": link, "level": 5})
    assert r.status_code == 409 and "尚未办结" in r.json()["message"]  # no 事前评价
    assert ratings(station) == []

    done = client.post(f"/api/delegations/{number}/complete", json={"result": "已领取"}, headers=h)
    assert done.status_code == 201, done.text
    check = client.post("/api/ratings/link/check", json={"token": link}).json()
    assert check["state"] == "open"
    bad = {"token": link, "level": 2, "reason": "other", "reason_text": "等了很久才回电话"}
    r = client.post("/api/ratings/link", json=bad)
    assert r.status_code == 201, r.text
    (x,) = ratings(station)
    assert (x.subject_kind, x.subject_ref, x.level, x.real_name) == ("delegation", number, 2, True)
    assert len(followups(station)) == 1  # a bad rating is followed up (R-E3)
    again = client.post("/api/ratings/link", json={"token": link, "level": 5})
    assert again.status_code == 409 and len(ratings(station)) == 1


def test_the_kept_completion_paper_carries_the_rating_code_r_e2_r_d2(
    client: TestClient, station: Station, tmp_path: Path
) -> None:
    h = login(client, *HELPER)
    number = agree(client, h)["number"]
    done = client.post(f"/api/delegations/{number}/complete", json={"result": "已领取"}, headers=h)
    assert done.status_code == 201, done.text
    [*_, completion] = done.json()["documents"]
    path = tmp_path / "done.pdf"
    path.write_bytes(client.get(completion["url"], headers=h).content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "代办服务办结单" in text and "扫码评价代办服务" in text
