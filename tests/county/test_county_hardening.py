"""The county under hostile input (R-N3, R-I3): refusals are throttled per address and never
stored for a stranger, control characters are quarantined, odd headers are a 400."""

from __future__ import annotations

import base64
import json
from typing import Any

from sync import crypto
from sync.protocol import BATCH_HEADER, SIGNATURE_HEADER
from tests.support.county import County, FakeStation

TABLES = """SELECT table_name FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"""


def _row_counts(county: County) -> dict[str, int]:
    tables = [t for (t,) in county.rows(TABLES)]
    return {t: int(county.scalar(f'SELECT count(*) FROM "{t}"')) for t in tables}


def test_a_thousand_forged_batches_do_not_grow_the_database_r_i3(county: County) -> None:
    """1,000 forged batches from one address: the first few are 401, then 429 with
    Retry-After, and not one row is written anywhere (defect 9)."""
    st = county.enrol()
    headers, body = st.batch(st.events(2), signer=crypto.new_signing_key())
    before = _row_counts(county)
    limit = county.services.settings.refusal_max_per_address
    statuses: list[int] = []
    for _ in range(1000):
        r = county.client.post("/sync/v1/batches", content=body, headers=headers)
        statuses.append(r.status_code)
    assert statuses[:limit] == [401] * limit
    assert set(statuses[limit:]) == {429}
    assert int(r.headers["Retry-After"]) > 0
    assert "次数过多" in r.json()["message"]
    assert _row_counts(county) == before
    assert county.scalar("SELECT last_error FROM station") is None


def test_the_throttle_passes_again_after_its_window(county: County) -> None:
    st = county.enrol()
    forged = st.batch(st.events(1), signer=crypto.new_signing_key())
    for _ in range(county.services.settings.refusal_max_per_address):
        county.client.post("/sync/v1/batches", content=forged[1], headers=forged[0])
    honest = st.batch(st.events(1))
    r = county.client.post("/sync/v1/batches", content=honest[1], headers=honest[0])
    assert r.status_code == 429  # even the real station waits: the address is throttled
    county.clock.advance(minutes=county.services.settings.refusal_window_minutes + 1)
    r = county.client.post("/sync/v1/batches", content=honest[1], headers=honest[0])
    assert r.status_code == 200, r.text


def test_a_replayed_batch_stays_an_idempotent_200(county: County) -> None:
    st = county.enrol()
    headers, body = st.batch(st.events(3))
    assert county.client.post("/sync/v1/batches", content=body, headers=headers).status_code == 200
    before = _row_counts(county)
    for _ in range(40):  # more than the refusal limit: a replay is not a refusal
        r = county.client.post("/sync/v1/batches", content=body, headers=headers)
        assert r.status_code == 200
        assert {x["status"] for x in r.json()["results"]} == {"duplicate"}
    after = _row_counts(county)
    assert after.pop("batch_log") > before.pop("batch_log")  # the station's own log grows
    assert after == before


def test_wrong_enrolment_codes_are_throttled(county: County) -> None:
    county.enrol()
    key = FakeStation("ST02").public_key
    body = {"code": "000000", "station_id": "ST01", "public_key": key}
    codes = [county.client.post("/sync/v1/enrol", json=body).status_code for _ in range(40)]
    assert codes[0] == 403 and codes[-1] == 429


def test_control_characters_in_an_event_are_quarantined_with_a_reason_r_n3(
    county: County,
) -> None:
    """A name with NUL (the station refuses it now; an older or tampered station might send
    it) is quarantined with a clear reason, its text written out; the rest applies."""
    st = county.enrol()
    bad = st.event(payload={"number": "A001", "applicant": "张\x00三"})
    tab = st.event(type="ticket\tissued")
    good = st.event()
    r = county.send(st, [bad, tab, good])
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["rejected", "rejected", "accepted"]
    assert "控制字符" in results[0]["reason"]
    rows = county.rows("SELECT reason, body FROM quarantine ORDER BY seq")
    assert [reason for reason, _ in rows] == ["control_chars", "control_chars"]
    assert rows[0][1]["payload"]["applicant"] == "张\\u0000三"
    assert r.json()["acked_through_seq"] == 3  # the cursor moves past the quarantined ones


def _header(st: FakeStation, **fields: Any) -> dict[str, str]:
    headers, _ = st.batch(st.events(1))
    data = json.loads(base64.b64decode(headers[BATCH_HEADER]))
    data.update(fields)
    raw = json.dumps(data).encode()
    return {BATCH_HEADER: crypto.b64e(raw), SIGNATURE_HEADER: crypto.sign(st.key, raw)}


def test_a_header_with_fields_of_the_wrong_type_is_a_400(county: County) -> None:
    st = county.enrol()
    for fields in (
        {"station_id": ["ST01"]},
        {"first_seq": "1"},
        {"count": 2**70},
        {"batch_id": None},
        {"protocol": True},
    ):
        r = county.client.post("/sync/v1/batches", content=b"x", headers=_header(st, **fields))
        assert r.status_code == 400, (fields, r.text)
        assert r.json()["error"] == "bad_header"


def test_a_json_body_nested_too_deep_is_a_400_before_parsing(county: County) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    r = county.client.post(
        "/sync/v1/enrol", content=deep, headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert "嵌套过深" in r.json()["message"]
