"""Reference down-sync: signed pages by rev with tombstones, drift hashes, snapshots (R-S2)."""

from __future__ import annotations

from typing import Any

import pytest

from appliance.core.errors import Invalid
from sync import crypto
from sync.county.enrolment import revoke_station
from sync.county.reference import (
    delete_reference,
    publish_table,
    purge_tombstones,
    upsert_reference,
)
from sync.protocol import ReferencePage, table_hash
from tests.support.county import County, FakeStation


def _get(c: County, st: FakeStation, path: str, **query: Any) -> Any:
    q = {k: str(v) for k, v in query.items()}
    return c.client.get(path, params=q, headers=st.read_headers(path, q))


def _verified(st: FakeStation, r: Any) -> ReferencePage:
    """What a station does: check the signature with the key pinned at enrolment."""
    assert r.status_code == 200, r.text
    page = ReferencePage.from_json(r.json()["page"])
    crypto.verify(st.county_public_key, page.to_bytes(), r.json()["signature"])
    return page


def _sync(
    c: County, st: FakeStation, since: int, limit: int
) -> tuple[dict[tuple[str, str], Any], int, ReferencePage]:
    """Page through like a station, applying rows and tombstones to a local copy."""
    local: dict[tuple[str, str], Any] = {}
    while True:
        page = _verified(st, _get(c, st, "/sync/v1/reference", since=since, limit=limit))
        assert [r.rev for r in page.rows] == sorted(r.rev for r in page.rows)
        assert all(r.rev > since for r in page.rows)
        for row in page.rows:
            if row.deleted:
                local.pop((row.table, row.id), None)
            else:
                local[(row.table, row.id)] = (row.rev, row.data)
        since = page.next_rev
        if not page.more:
            return local, since, page


def _local_hash(local: dict[tuple[str, str], Any], table: str) -> str:
    return table_hash([(i, rev) for (t, i), (rev, _) in local.items() if t == table])


def test_pages_carry_rows_and_tombstones_in_rev_order(county: County) -> None:
    st = county.enrol()
    catalogue = {f"item-{i}": {"name": f"事项{i}", "days": i} for i in range(7)}
    assert publish_table(county.services, "catalogue", catalogue) == 7
    upsert_reference(county.services, "holiday", "2026-10-01", {"name": "国庆节"})
    assert delete_reference(county.services, "catalogue", "item-3")
    local, cursor, last = _sync(county, st, since=0, limit=3)
    assert set(local) == {("catalogue", f"item-{i}") for i in range(7) if i != 3} | {
        ("holiday", "2026-10-01")
    }
    assert last.table_hashes["catalogue"] == _local_hash(local, "catalogue")
    assert last.table_hashes["holiday"] == _local_hash(local, "holiday")
    assert last.table_hashes["staff"] == table_hash([])
    # an incremental sync from the cursor sees only the newer change, tombstone included
    delete_reference(county.services, "holiday", "2026-10-01")
    page = _verified(st, _get(county, st, "/sync/v1/reference", since=cursor))
    assert [(r.table, r.id, r.deleted) for r in page.rows] == [("holiday", "2026-10-01", True)]
    # nothing new: an empty page keeps the cursor
    again = _verified(st, _get(county, st, "/sync/v1/reference", since=page.next_rev))
    assert again.rows == [] and again.next_rev == page.next_rev and not again.more


def test_publishing_a_new_catalogue_version_changes_only_what_changed(county: County) -> None:
    st = county.enrol()
    publish_table(county.services, "catalogue", {"a": {"v": 1}, "b": {"v": 1}, "c": {"v": 1}})
    _, cursor, _ = _sync(county, st, 0, 100)
    assert upsert_reference(county.services, "catalogue", "a", {"v": 1}) is None  # unchanged
    assert publish_table(county.services, "catalogue", {"a": {"v": 1}, "b": {"v": 2}}) == 2
    page = _verified(st, _get(county, st, "/sync/v1/reference", since=cursor))
    assert [(r.id, r.deleted, r.data) for r in page.rows] == [
        ("b", False, {"v": 2}),
        ("c", True, {}),
    ]


def test_a_tampered_page_fails_the_pinned_key(county: County) -> None:
    st = county.enrol()
    upsert_reference(county.services, "staff", "zz01", {"name": "张站长", "role": "manager"})
    r = _get(county, st, "/sync/v1/reference", since=0)
    page = ReferencePage.from_json(r.json()["page"])
    page.rows[0].data["role"] = "admin"
    with pytest.raises(crypto.SignatureInvalid):
        crypto.verify(st.county_public_key, page.to_bytes(), r.json()["signature"])


def test_too_old_cursor_needs_the_snapshot(make_county: Any) -> None:
    county = make_county(snapshot_after=5)
    st = county.enrol()
    for i in range(4):
        upsert_reference(county.services, "booking", f"b{i}", {"slot": i})
    delete_reference(county.services, "booking", "b0")
    _, cursor, _ = _sync(county, st, 0, 2)
    for i in range(4, 12):
        upsert_reference(county.services, "booking", f"b{i}", {"slot": i})
    r = _get(county, st, "/sync/v1/reference", since=cursor)
    assert (r.status_code, r.json()["error"]) == (410, "snapshot_required")
    assert "快照" in r.json()["message"]
    r = _get(county, st, "/sync/v1/reference", since=10_000)  # ahead of the county: restored db
    assert r.status_code == 410
    assert purge_tombstones(county.services) == 1
    snap = _verified(st, _get(county, st, "/sync/v1/snapshot"))
    assert snap.snapshot and not snap.more
    assert sorted(r.id for r in snap.rows) == sorted(f"b{i}" for i in range(1, 12))
    assert not any(r.deleted for r in snap.rows)
    assert snap.table_hashes["booking"] == table_hash([(r.id, r.rev) for r in snap.rows])
    # continuing from the snapshot's cursor works
    upsert_reference(county.services, "booking", "b99", {"slot": 99})
    page = _verified(st, _get(county, st, "/sync/v1/reference", since=snap.next_rev))
    assert [r.id for r in page.rows] == ["b99"]


def test_down_sync_refuses_unsigned_unknown_and_revoked_stations(county: County) -> None:
    st = county.enrol()
    r = county.client.get("/sync/v1/reference", params={"since": "0"})
    assert (r.status_code, r.json()["error"]) == (401, "no_station")
    headers = st.read_headers("/sync/v1/reference", {"since": "0"})
    r = county.client.get("/sync/v1/reference", params={"since": "5"}, headers=headers)
    assert (r.status_code, r.json()["error"]) == (401, "bad_signature")  # query changed
    stranger = FakeStation("NOPE")
    r = _get(county, stranger, "/sync/v1/reference", since=0)
    assert (r.status_code, r.json()["error"]) == (403, "unknown_station")
    revoke_station(county.services, "ST01")
    r = _get(county, st, "/sync/v1/snapshot")
    assert (r.status_code, r.json()["error"]) == (403, "station_revoked")


def test_only_known_reference_tables(county: County) -> None:
    with pytest.raises(Invalid):
        upsert_reference(county.services, "secrets", "x", {})
