"""Sync refusals (issue 4): the real county refuses bad batches (truncated, corrupted, forged,
oversized, gzip bombs), replays and revoked stations with a clear reason, and writes nothing;
the station keeps its events and sends them again once the fault is gone."""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import UTC, datetime

import httpx
import pytest

from sync import crypto
from sync.canonical import sha256_hex
from sync.county.enrolment import revoke_station
from sync.protocol import (
    BATCH_HEADER,
    KEY_ID_HEADER,
    PROTOCOL_VERSION,
    SIGNATURE_HEADER,
    STATION_HEADER,
    BatchHeader,
)
from sync.station.keys import load_station_key
from sync.station.state import load_state
from tests.support.station import Station
from tests.support.sync_proxy import Request
from tests.sync.faults_support import (
    Rig,
    agent_for,
    assert_in_step,
    drain,
    drive_tickets,
    re_enrol,
)

pytestmark = pytest.mark.slow


def _error(body: bytes) -> str:
    return str(json.loads(body)["error"])


# ---- bad batches: refused with a clear reason, nothing written -----------------------------
def _forge_signature(req: Request) -> Request:
    return req.with_header(SIGNATURE_HEADER, crypto.sign(crypto.new_signing_key(), b"x"))


def _oversize(req: Request) -> Request:
    return req.with_body(req.body + b"\0" * (1024 * 1024 + 1))


@pytest.mark.parametrize(
    ("fault", "status", "code"),
    [
        ("truncate", 400, "bad_body_hash"),
        ("corrupt", 400, "bad_body_hash"),
        (_forge_signature, 401, "bad_signature"),
        (_oversize, 413, "too_large"),
    ],
    ids=["truncated", "corrupted", "forged-signature", "oversized"],
)
def test_bad_batches_are_refused_and_nothing_is_written(
    rig: Rig, fault: object, status: int, code: str
) -> None:
    drive_tickets(rig.station, 20)
    before = rig.county.footprint()
    rig.proxy.set_faults(fault, "drop")  # type: ignore[arg-type]
    agent = agent_for(rig.station)
    result = agent.run_once()
    bad = rig.proxy.batches()[0]
    assert bad.status == status and _error(bad.response_body) == code, bad.response_body
    assert json.loads(bad.response_body)["message"]  # a Chinese reason for the dashboard
    assert rig.county.footprint() == before
    assert result.error
    if status == 413:  # the station splits the batch and sends again in the same round
        assert len(rig.proxy.batches()) == 2 and "无法连接" in result.error
        assert agent.sizer.events < 200
    else:
        assert code in result.error
        last_error = rig.county.scalar("SELECT last_error FROM station")
        if status == 401:  # unverified: a stranger's refusal writes nothing at all (c003)
            assert last_error is None
        else:  # signed by the station: its refusal shows on the dashboard
            assert last_error is not None
    drain(agent)
    assert_in_step(rig.station, rig.county)


def test_a_replayed_batch_is_harmless(rig: Rig) -> None:
    drive_tickets(rig.station, 20)
    drain(agent_for(rig.station))
    before = rig.county.footprint()
    status, body = rig.proxy.replay(rig.proxy.batches()[0].request)
    assert status == 200
    assert {r["status"] for r in json.loads(body)["results"]} == {"duplicate"}
    assert rig.county.footprint() == before
    assert_in_step(rig.station, rig.county)


def test_a_revoked_station_is_refused_until_enrolled_again(rig: Rig) -> None:
    drive_tickets(rig.station, 10)
    agent = agent_for(rig.station)
    drain(agent)
    revoke_station(rig.county.services, "ST01")
    drive_tickets(rig.station, 10)
    before = rig.county.footprint()
    result = agent.run_once()
    assert result.error and "station_revoked" in result.error and "吊销" in result.error
    assert rig.county.footprint() == before
    re_enrol(rig.station, rig.county)  # a new key, the same cursors
    drain(agent_for(rig.station))
    assert_in_step(rig.station, rig.county)


def _signed_post(station: Station, url: str, body: bytes, count: int, first: int) -> httpx.Response:
    """A batch signed with the station's own key (a buggy or compromised station)."""
    state = load_state(station.services.db)
    assert state is not None
    header = BatchHeader(
        protocol=PROTOCOL_VERSION,
        station_id=state.station_id,
        batch_id=str(uuid.uuid4()),
        first_seq=first,
        last_seq=first + count - 1,
        count=count,
        body_sha256=sha256_hex(body),
        key_id=state.key_id,
        created_at=datetime.now(UTC).isoformat(),
    )
    raw = header.to_bytes()
    key = load_station_key(station.settings)
    return httpx.post(
        url + "/sync/v1/batches",
        content=body,
        timeout=30,
        headers={
            BATCH_HEADER: crypto.b64e(raw),
            SIGNATURE_HEADER: crypto.sign(key, raw),
            STATION_HEADER: state.station_id,
            KEY_ID_HEADER: state.key_id,
        },
    )


def test_a_gzip_bomb_is_refused_without_inflating_it(rig: Rig) -> None:
    drive_tickets(rig.station, 10)
    bomb = gzip.compress(b"\n" * (17 * 1024 * 1024), mtime=0)  # 17 MiB from ~17 KB
    assert len(bomb) < 100_000
    before = rig.county.footprint()
    r = _signed_post(rig.station, rig.proxy.url, bomb, 1, 1)
    assert r.status_code == 413 and r.json()["error"] == "too_large", r.text
    assert rig.county.footprint() == before
    garbage = _signed_post(rig.station, rig.proxy.url, b"not gzip at all", 1, 1)
    assert garbage.status_code == 400 and garbage.json()["error"] == "bad_gzip"
    drain(agent_for(rig.station))
    assert_in_step(rig.station, rig.county)
