"""The notice's QR link opens the case with its 查询码 (R-K7; defect 11).

Every case has a random token (``case_file.query_token``); the QR code of its notices is
``{public_url}/cases/{number}#t={token}``. The fragment never reaches the server, so the
token cannot land in an access log; the page posts it, and the right token opens the
case without the phone digits. Wrong tokens count against the address like wrong digits.
"""

from __future__ import annotations

import json
from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import create_engine, text

from appliance.db.migrate import upgrade
from appliance.settings import load_settings
from tests.cases.notice_support import Desk
from tests.support.station import Station

API = "/api/public/case-query"
NOW = "2026-11-23 01:00:00.000000"


def token_of(station: Station, number: str) -> str:
    with station.services.db.read() as s:
        row = s.execute(
            text("SELECT query_token FROM case_file WHERE case_number = :n"), {"n": number}
        ).one()
    return str(row[0])


def test_the_qr_link_carries_the_token_and_opens_the_case_r_k7(
    client: TestClient, station: Station
) -> None:
    desk = Desk(client, station)
    number = desk.open()
    desk.act(number, "accept")
    token = token_of(station, number)
    assert len(token) >= 20
    links = {
        json.loads(p)["notice"]["qr_url"]
        for (p,) in desk.rows("SELECT payload FROM print_job WHERE kind = 'notice'")
    }
    assert links == {f"{station.settings.visitor_url}/cases/{number}#t={token}"}
    r = client.post(API, json={"case_number": number, "token": token})
    assert r.status_code == 200, r.text
    assert r.json()["case_number"] == number and r.json()["applicant_name"] == "张*兰"
    assert r.headers["cache-control"] == "no-store"


def test_a_wrong_token_is_the_plain_404_and_counts_per_address_r_k7(
    client: TestClient, station: Station
) -> None:
    desk = Desk(client, station)
    number = desk.open()
    other = desk.open()
    limit = station.settings.case_query_ip_max_failures
    for _ in range(limit):
        r = client.post(API, json={"case_number": number, "token": token_of(station, other)})
        assert r.status_code == 404
        assert r.json()["message"] == "未找到该办件，请核对办件编号和手机号后4位"
    r = client.post(API, json={"case_number": number, "token": token_of(station, number)})
    assert r.status_code == 429  # this address guessed too often, even with the right token


def test_the_token_never_reaches_the_event_log_r_k7_r_i3(
    client: TestClient, station: Station
) -> None:
    desk = Desk(client, station)
    number = desk.open()
    desk.act(number, "accept")
    token = token_of(station, number)
    events = desk.rows("SELECT payload FROM event")
    assert events and not any(token in str(p) for (p,) in events)
    detail = client.get(f"/api/cases/{number}", headers=desk.headers).text
    assert token not in detail  # staff see the notices' QR, not the token on screen


def test_existing_cases_get_a_token_on_upgrade_r_k7(tmp_path: Path) -> None:
    settings = load_settings(env={}, data_dir=str(tmp_path), printer_backend="none")
    url = settings.sqlalchemy_url
    upgrade(url, "0008")
    engine = create_engine(url)
    with engine.begin() as conn:
        for seq in (1, 2, 7):
            conn.execute(
                text(
                    "INSERT INTO case_file (id, case_number, business_date, seq, item_code,"
                    " item_name, state, applicant, channel, materials, data, due_provisional,"
                    " staff_id, created_at, updated_at) VALUES (:id, :n, '2026-11-01', :seq,"
                    " '410122-MZ-001', '高龄津贴申请', 'received', '{}', 'counter', '[]', '{}', 0,"
                    f" 's1', '{NOW}', '{NOW}')"
                ),
                {"id": f"k{seq}", "n": f"YZ0001-20261101-{seq:04d}", "seq": seq},
            )
    engine.dispose()
    upgrade(url, "0009_inputs")
    engine = create_engine(url)
    with engine.connect() as conn:
        tokens = [t for (t,) in conn.execute(text("SELECT query_token FROM case_file"))]
        reserved = conn.execute(text("SELECT business_date, last_seq FROM case_number_seq")).all()
    engine.dispose()
    assert len(set(tokens)) == 3 and all(len(t) >= 20 for t in tokens)
    assert reserved == [("2026-11-01", 7)]
