"""Whole batches the county refuses with a clear Chinese reason and nothing written (R-N3)."""

from __future__ import annotations

import gzip
import os
from typing import Any

from sync import crypto
from sync.protocol import SIGNATURE_HEADER
from tests.support.county import County, FakeStation, raw_body


def _refused(c: County, r: Any, status: int, code: str, before: dict[str, int]) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] == code and body["status"] == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])  # a Chinese reason
    assert c.footprint() == before  # nothing written
    return str(body["message"])


def test_unknown_station_is_refused(county: County) -> None:
    stranger = FakeStation("NOPE")
    before = county.footprint()
    _refused(county, county.send(stranger, stranger.events(2)), 403, "unknown_station", before)


def test_forged_signature_is_refused(county: County) -> None:
    st = county.enrol()
    before = county.footprint()
    r = county.send(st, st.events(2), signer=crypto.new_signing_key())
    assert "伪造" in _refused(county, r, 401, "bad_signature", before)
    headers, body = st.batch(st.events(1))
    del headers[SIGNATURE_HEADER]
    r = county.client.post("/sync/v1/batches", content=body, headers=headers)
    _refused(county, r, 401, "bad_signature", before)
    # a stranger's refusal writes nothing at all, not even a log row (R-I3, defect 9)
    assert county.scalar("SELECT last_error FROM station") is None
    assert county.scalar("SELECT count(*) FROM batch_log") == 0


def test_an_authenticated_stations_refusal_shows_on_the_dashboard(county: County) -> None:
    """A batch signed by the station's own key but refused (here: a corrupted body) is the
    station's fault: it shows as the station's last error and in batch_log (R-N3)."""
    st = county.enrol()
    headers, body = st.batch(st.events(2))
    r = county.client.post("/sync/v1/batches", content=body[:-5], headers=headers)
    assert r.status_code == 400
    assert "校验" in county.scalar("SELECT last_error FROM station")
    assert county.scalar("SELECT outcome FROM batch_log") == "refused"


def test_header_edited_after_signing_is_refused(county: County) -> None:
    st = county.enrol()
    events = st.events(3)
    headers, body = st.batch(events)
    other, _ = st.batch(events, count=2)  # re-encoded header, old signature
    headers["X-Yizhan-Batch"] = other["X-Yizhan-Batch"]
    before = county.footprint()
    r = county.client.post("/sync/v1/batches", content=body, headers=headers)
    _refused(county, r, 401, "bad_signature", before)


def test_key_id_mismatch_is_refused(county: County) -> None:
    st = county.enrol()
    before = county.footprint()
    r = county.send(st, st.events(1), key_id="0123456789abcdef")
    _refused(county, r, 403, "key_mismatch", before)


def test_truncated_and_corrupted_bodies_are_refused(county: County) -> None:
    st = county.enrol()
    events = st.events(50)
    headers, body = st.batch(events)
    before = county.footprint()
    r = county.client.post("/sync/v1/batches", content=body[: len(body) // 2], headers=headers)
    assert "截断" in _refused(county, r, 400, "bad_body_hash", before)
    flipped = bytearray(body)
    flipped[len(body) // 2] ^= 0xFF
    r = county.client.post("/sync/v1/batches", content=bytes(flipped), headers=headers)
    _refused(county, r, 400, "bad_body_hash", before)
    # the intact batch still goes through afterwards
    assert county.client.post("/sync/v1/batches", content=body, headers=headers).status_code == 200


def test_signed_but_unreadable_bodies_are_refused(county: County) -> None:
    st = county.enrol()
    events = st.events(3)
    before = county.footprint()
    r = county.send(st, events, honest_body=b"not gzip at all")
    _refused(county, r, 400, "bad_gzip", before)
    r = county.send(st, events, honest_body=gzip.compress(b"{broken json\n"))
    _refused(county, r, 400, "bad_event", before)
    r = county.send(st, events, honest_body=raw_body(events[:2]))  # count says 3
    _refused(county, r, 400, "bad_count", before)
    r = county.send(st, events, honest_body=raw_body([events[1], events[0], events[2]]))
    _refused(county, r, 400, "bad_order", before)


def test_bad_protocol_and_missing_header_are_refused(county: County) -> None:
    st = county.enrol()
    before = county.footprint()
    _refused(county, county.send(st, st.events(1), protocol=99), 400, "bad_protocol", before)
    _refused(
        county, county.client.post("/sync/v1/batches", content=b"x"), 400, "bad_header", before
    )
    r = county.client.post("/sync/v1/batches", content=b"x", headers={"X-Yizhan-Batch": "%%%"})
    _refused(county, r, 400, "bad_header", before)


def test_oversized_batch_is_refused_by_length_and_by_size(make_county: Any) -> None:
    county = make_county(max_batch_bytes=4096)
    st = county.enrol()
    assert county.client.get("/sync/v1/health").json()["max_batch_bytes"] == 4096
    big = [st.event(payload={"blob": crypto.b64e(os.urandom(2048))}) for _ in range(4)]
    headers, body = st.batch(big)
    assert len(body) > 4096
    before = county.footprint()
    r = county.client.post("/sync/v1/batches", content=body, headers=headers)
    assert "过大" in _refused(county, r, 413, "too_large", before)

    def chunks() -> Any:  # streamed without Content-Length: the actual size counts
        for i in range(0, len(body), 1000):
            yield body[i : i + 1000]

    r = county.client.post("/sync/v1/batches", content=chunks(), headers=headers)
    _refused(county, r, 413, "too_large", before)


def test_gzip_bomb_is_refused_without_inflating_it(county: County) -> None:
    st = county.enrol()
    limit = county.services.settings.max_inflated_bytes
    bomb = gzip.compress(b"\n" * (limit + 1024 * 1024), compresslevel=9, mtime=0)
    assert len(bomb) < county.services.settings.max_batch_bytes  # small on the wire
    before = county.footprint()
    r = county.send(st, st.events(1), honest_body=bomb)
    _refused(county, r, 413, "too_large", before)


def test_refused_batches_do_not_block_the_next_good_one(county: County) -> None:
    st = county.enrol()
    events = st.events(3)
    county.send(st, events, signer=crypto.new_signing_key())
    r = county.send(st, events)
    assert r.status_code == 200 and r.json()["acked_through_seq"] == 3
    assert county.scalar("SELECT last_error FROM station") is None
