"""Confidential complaints (保密投诉, R-P2, R-I3): only the 投诉受理 role and the station head
see them, and nothing that leaves the desk names the complainant — no export, SMS, event
payload (hence nothing the county gets), alert, print job or log line.

The complainant's name is written into the complaint's own text too, the way people talk
("我欧阳秀兰…"), so the texts that leave the desk must be scrubbed as well.
"""

from __future__ import annotations

import io
import logging

import openpyxl
import pytest
from litestar.testing import TestClient

from tests.complaints.complaint_support import (
    COMPLAINANT,
    EMAIL,
    PHONE,
    register,
    walk_transfer,
)
from tests.desk.desk_support import rows, state
from tests.support.station import (
    COMPLAINTS,
    GUIDE,
    HELPER,
    MANAGER,
    WINDOW_CLERK,
    Station,
    login,
)

SECRETS = (COMPLAINANT, "秀兰", PHONE, EMAIL)


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def test_a_confidential_complaint_read_by_a_window_role_is_refused_r_p2_r_i3(
    client: TestClient, station: Station
) -> None:
    """Bad input of issue 13: 403 with a Chinese message, nothing named, nothing changed."""
    number = register(client, login(client, *COMPLAINTS), confidential=True)
    clerk = login(client, *WINDOW_CLERK)
    before = state(station)
    r = client.get(f"/api/complaints/{number}", headers=clerk)
    assert r.status_code == 403
    assert r.json()["message"] == f"投诉 {number} 为保密投诉，只有投诉受理人员和站长可以查看"
    assert leaks(r.text) == []
    listed = client.get("/api/complaints?status=all", headers=clerk)
    assert listed.status_code == 200 and listed.json() == []
    assert state(station) == before


@pytest.mark.parametrize(
    ("who", "sees"),
    [(COMPLAINTS, True), (MANAGER, True), (WINDOW_CLERK, False), (GUIDE, False), (HELPER, False)],
)
def test_only_the_complaints_role_and_the_head_see_it_r_p2_r_i3(
    client: TestClient, who: tuple[str, str], sees: bool
) -> None:
    handler = login(client, *COMPLAINTS)
    secret = register(client, handler, confidential=True)
    plain = register(client, handler, content="大厅空调坏了", complainant_name="李四")
    h = login(client, *who)
    numbers = [c["number"] for c in client.get("/api/complaints", headers=h).json()]
    assert numbers == ([secret, plain] if sees else [plain])
    r = client.get(f"/api/complaints/{secret}", headers=h)
    assert r.status_code == (200 if sees else 403)
    if sees:
        assert r.json()["complainant_name"] == COMPLAINANT and r.json()["confidential"]


def test_nothing_that_leaves_the_desk_names_the_complainant_r_p2_r_i3(
    client: TestClient, station: Station, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    h = login(client, *COMPLAINTS)
    number = register(client, h, confidential=True, channel="box")
    done = walk_transfer(client, number, h)
    assert done["state"] == "closed"
    # the ledger itself keeps the complainant for those allowed to read it
    assert done["complainant_name"] == COMPLAINANT

    payloads = [p for (p,) in rows(station, "SELECT payload FROM event")]
    assert any(number in p for p in payloads)
    assert [leaks(p) for p in payloads if leaks(p)] == []
    complaint_events = [p for p in payloads if number in p]
    assert all('"complainant": "（保密）"' in p for p in complaint_events)

    [(sms_body,)] = rows(station, "SELECT body FROM sms_message")
    assert number in sms_body and leaks(sms_body) == []
    for (payload,) in rows(station, "SELECT payload FROM print_job"):
        assert leaks(payload) == []
    for (message,) in rows(station, "SELECT message FROM alert"):
        assert leaks(message) == []
    assert leaks(caplog.text) == []

    head = login(client, *MANAGER)
    csv_text = client.get("/api/complaints/export.csv", headers=head).content.decode("utf-8-sig")
    assert number in csv_text and "（保密）" in csv_text and leaks(csv_text) == []
    book = openpyxl.load_workbook(
        io.BytesIO(client.get("/api/complaints/export.xlsx", headers=head).content)
    )
    cells = " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row)  # type: ignore[union-attr]
    assert number in cells and leaks(cells) == []


def test_a_complaint_that_is_not_confidential_is_masked_outside_r_i3(
    client: TestClient, station: Station
) -> None:
    h = login(client, *COMPLAINTS)
    number = register(client, h)
    payloads = [p for (p,) in rows(station, "SELECT payload FROM event") if number in p]
    assert payloads and all(COMPLAINANT not in p and PHONE not in p for p in payloads)
    assert any("欧**兰" in p for p in payloads)
    csv_text = client.get(
        "/api/complaints/export.csv", headers=login(client, *MANAGER)
    ).content.decode("utf-8-sig")
    assert COMPLAINANT in csv_text  # an open ledger names the complainant to its readers
