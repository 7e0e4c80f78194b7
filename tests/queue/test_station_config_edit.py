"""The head changes a category or a window (issue 16, item 8; R-Q1, R-Q2): a category's name
and minutes (its letter stays), a window's name and categories (its number stays). Each
change writes its event; every refusal is a Chinese 4xx with nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import text

from tests.support.fingerprint import fingerprint
from tests.support.station import MANAGER, WINDOW_CLERK, Station, login


@pytest.fixture
def head(client: TestClient) -> dict[str, str]:
    return login(client, *MANAGER)


def ids(client: TestClient) -> tuple[dict[str, str], dict[int, str]]:
    cats = {c["prefix"]: c["id"] for c in client.get("/api/categories").json()}
    wins = {w["number"]: w["id"] for w in client.get("/api/windows").json()}
    return cats, wins


def events(station: Station, type_: str) -> list[Any]:
    with station.services.db.read() as s:
        return list(s.execute(text("SELECT payload FROM event WHERE type = :t"), {"t": type_}))


def test_head_renames_a_category_and_sets_its_minutes_r_q2(
    client: TestClient, station: Station, head: dict[str, str]
) -> None:
    cats, _ = ids(client)
    r = client.put(
        f"/api/categories/{cats['A']}",
        json={"name": "综合窗口受理", "prior_minutes": 6},
        headers=head,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["prefix"], r.json()["name"], r.json()["prior_minutes"]) == (
        "A",
        "综合窗口受理",
        6,
    )
    listed = next(c for c in client.get("/api/categories").json() if c["prefix"] == "A")
    assert listed["name"] == "综合窗口受理" and listed["windows"] == r.json()["windows"]
    [payload] = events(station, "category.updated")
    assert "综合窗口受理" in payload[0]
    # the letter is addressed too (A), and an empty minutes field clears the preset
    r = client.put("/api/categories/A", json={"name": "综合受理"}, headers=head)
    assert r.status_code == 200 and r.json()["prior_minutes"] is None


def test_head_changes_what_a_window_serves_r_q1(
    client: TestClient, station: Station, head: dict[str, str]
) -> None:
    cats, wins = ids(client)
    r = client.put(
        f"/api/windows/{wins[1]}",
        json={"name": "一号窗口", "categories": [cats["B"]]},
        headers=head,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["number"], r.json()["name"], r.json()["category_prefixes"]) == (
        1,
        "一号窗口",
        ["B"],
    )
    window = next(w for w in client.get("/api/windows").json() if w["number"] == 1)
    assert window["category_prefixes"] == ["B"]
    [payload] = events(station, "window.updated")
    assert '"categories": ["B"]' in payload[0]
    # the window now calls B: a B ticket reaches window 1
    number = client.post("/api/kiosk/tickets", json={"category": "B"}).json()["number"]
    clerk = login(client, *WINDOW_CLERK)
    called = client.post("/api/windows/1/call-next", headers=clerk)
    assert called.status_code in (200, 201) and called.json()["number"] == number


@pytest.mark.parametrize(
    ("path", "body", "status", "says"),
    [
        ("/api/categories/A", {"name": ""}, 400, "类别名称"),
        ("/api/categories/A", {"name": "综合", "prior_minutes": 0}, 400, "预设"),
        ("/api/categories/Q", {"name": "无此类别"}, 404, "找不到业务类别"),
        ("/api/windows/1", {"name": "一号", "categories": []}, 400, "至少要办理一个业务类别"),
        ("/api/windows/1", {"categories": ["no-such"]}, 404, "找不到业务类别"),
        ("/api/windows/77", {"categories": ["A"]}, 404, "窗口"),
    ],
)
def test_bad_changes_are_refused_with_nothing_changed_r_q1(
    client: TestClient,
    station: Station,
    head: dict[str, str],
    path: str,
    body: dict[str, Any],
    status: int,
    says: str,
) -> None:
    before = fingerprint(station.services.db)
    r = client.put(path, json=body, headers=head)
    assert r.status_code == status, r.text
    assert says in r.json()["message"]
    assert fingerprint(station.services.db) == before


def test_only_the_head_changes_the_setup_r_q1(client: TestClient, station: Station) -> None:
    clerk = login(client, *WINDOW_CLERK)
    before = fingerprint(station.services.db)
    assert client.put("/api/categories/A", json={"name": "改名"}, headers=clerk).status_code == 403
    assert client.put("/api/windows/1", json={"categories": ["A"]}).status_code == 401
    assert fingerprint(station.services.db) == before
