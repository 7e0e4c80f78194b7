"""County enrolment: one-time codes, key binding, revocation (R-N3)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from appliance.core.errors import Conflict, Invalid
from sync import crypto
from sync.county.enrolment import create_station, issue_enrolment_code, revoke_station
from tests.support.county import County, FakeStation


def _enrol(c: County, code: str, station: FakeStation) -> Any:
    return c.client.post(
        "/sync/v1/enrol",
        json={"code": code, "station_id": station.station_id, "public_key": station.public_key},
    )


def test_enrolment_binds_the_key_and_pins_the_county_keys(county: County) -> None:
    issued = create_station(county.services, "ST01", "示范村便民服务站")
    assert (
        county.scalar(
            "SELECT count(*) FROM enrolment_code WHERE code_hash LIKE %s", f"%{issued.code}%"
        )
        == 0
    )  # only the hash is stored
    station = FakeStation("ST01")
    r = _enrol(county, issued.code.lower().replace("-", ""), station)  # forgiving input
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["key_id"] == station.key_id
    assert body["county_public_key"] == county.services.keys.public_b64
    assert body["county_box_public_key"] == county.services.keys.box_public_b64
    assert body["max_batch_bytes"] == county.services.settings.max_batch_bytes
    assert county.scalar("SELECT public_key FROM station WHERE id='ST01'") == station.public_key
    # the box key really opens what a station seals to the pinned public key (USB)
    sealed = crypto.seal(body["county_box_public_key"], b"batch")
    assert crypto.unseal(county.services.keys.box, sealed) == b"batch"


def test_a_code_cannot_be_used_twice(county: County) -> None:
    issued = create_station(county.services, "ST01", "一号站")
    assert _enrol(county, issued.code, FakeStation("ST01")).status_code == 200
    thief = FakeStation("ST01")
    r = _enrol(county, issued.code, thief)
    assert r.status_code == 403
    assert r.json()["error"] == "code_used" and "已使用" in r.json()["message"]
    assert county.scalar("SELECT key_id FROM station WHERE id='ST01'") != thief.key_id


def test_concurrent_presentations_of_one_code_have_one_winner(county: County) -> None:
    issued = create_station(county.services, "ST01", "一号站")
    results: list[int] = []

    def go() -> None:
        results.append(_enrol(county, issued.code, FakeStation("ST01")).status_code)

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 403, 403, 403, 403, 403]


def test_wrong_code_wrong_station_and_expired_code_are_refused(county: County) -> None:
    issued = create_station(county.services, "ST01", "一号站")
    create_station(county.services, "ST02", "二号站")
    r = _enrol(county, "AAAA-BBBB-CCCC", FakeStation("ST01"))
    assert (r.status_code, r.json()["error"]) == (403, "bad_code")
    r = _enrol(county, issued.code, FakeStation("ST02"))  # another station's code
    assert (r.status_code, r.json()["error"]) == (403, "bad_code")
    county.clock.advance(hours=county.services.settings.enrolment_code_hours + 1)
    r = _enrol(county, issued.code, FakeStation("ST01"))
    assert (r.status_code, r.json()["error"]) == (403, "code_expired")
    assert "过期" in r.json()["message"]
    assert county.scalar("SELECT public_key FROM station WHERE id='ST01'") is None


def test_a_bad_public_key_does_not_burn_the_code(county: County) -> None:
    issued = create_station(county.services, "ST01", "一号站")
    r = county.client.post(
        "/sync/v1/enrol",
        json={"code": issued.code, "station_id": "ST01", "public_key": "not-a-key"},
    )
    assert (r.status_code, r.json()["error"]) == (400, "bad_public_key")
    assert _enrol(county, issued.code, FakeStation("ST01")).status_code == 200


def test_duplicate_station_is_refused(county: County) -> None:
    create_station(county.services, "ST01", "一号站")
    with pytest.raises(Conflict):
        create_station(county.services, "ST01", "一号站")


def test_revoked_station_is_refused_and_a_new_code_re_enrols(county: County) -> None:
    station = county.enrol("ST01")
    revoke_station(county.services, "ST01")
    before = county.footprint()
    r = county.send(station, station.events(3))
    assert (r.status_code, r.json()["error"]) == (403, "station_revoked")
    assert "吊销" in r.json()["message"]
    assert county.footprint() == before  # nothing written
    # a new code (new device after a theft) binds a new key; the old key stays refused
    issued = issue_enrolment_code(county.services, "ST01")
    fresh = FakeStation("ST01")
    assert _enrol(county, issued.code, fresh).status_code == 200
    r = county.send(station, station.events(1))
    assert (r.status_code, r.json()["error"]) == (403, "key_mismatch")
    fresh.seq = 0
    assert county.send(fresh, fresh.events(2)).status_code == 200


def test_cli_create_station_prints_a_working_code(
    county: County, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sync.county import cli

    settings = county.services.settings
    monkeypatch.setenv("YIZHAN_COUNTY_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("YIZHAN_COUNTY_DATA_DIR", settings.data_dir)
    import argparse

    parser = argparse.ArgumentParser()
    cli.add_county_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["county", "create-station", "ST09", "九号站"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    code = out.split("入网码（只显示这一次）：")[1].split()[0]
    assert _enrol(county, code, FakeStation("ST09")).status_code == 200
    args = parser.parse_args(["county", "create-station", "ST09", "九号站"])
    assert args.func(args) == 1
    assert "已存在" in capsys.readouterr().out


def test_a_new_station_code_without_look_alikes_r_n4(county: County) -> None:
    """Issue 16, item 17: "DEMO01" reads "DEM001" at 60 dpi; new codes avoid I and O."""
    with pytest.raises(Invalid, match="易混字符"):
        create_station(county.services, "DEMO01", "示范村便民服务站")
    assert county.rows("SELECT id FROM station") == []
    assert create_station(county.services, "DM01", "示范村便民服务站").code
