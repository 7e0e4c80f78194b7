"""Down-sync of reference data: signed pages, tombstones, snapshots and drift (R-N1, R-N3)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from appliance.uplink.tables import ReferenceRow
from sync import crypto
from sync.station.agent import SyncAgent
from sync.station.client import reference_request_bytes
from sync.station.downsync import PAGE_LIMIT
from sync.station.state import load_state
from tests.sync.test_sync_station_fake import StationRig, station_rig


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[StationRig]:
    yield from station_rig(tmp_path)


def run(r: StationRig) -> SyncAgent:
    a = SyncAgent(
        r.settings, db=r.db, clock=r.clock, transport=r.county.transport(), rng=random.Random(3)
    )
    a.run_once()
    return a


def local_rows(r: StationRig) -> dict[tuple[str, str], tuple[int, bool, dict[str, object]]]:
    with r.db.read() as s:
        return {
            (x.table_name, x.id): (x.rev, x.deleted, json.loads(x.data))
            for x in s.exec(select(ReferenceRow))
        }


def ref_rev(r: StationRig) -> int:
    st = load_state(r.db)
    assert st is not None
    return st.ref_rev


def test_pages_with_tombstones_are_applied_with_their_cursor(rig: StationRig) -> None:
    c = rig.county
    for i in range(PAGE_LIMIT + 20):  # two pages
        c.put("catalogue", f"item{i}", {"name": f"事项{i}"})
    c.put("holiday", "2027-01-01", {"name": "元旦"})
    run(rig)
    assert ref_rev(rig) == c.rev
    assert len(local_rows(rig)) == PAGE_LIMIT + 21
    assert c.pages_served == 2
    c.tombstone("catalogue", "item3")
    c.put("catalogue", "item4", {"name": "事项4（新版）"})
    run(rig)
    rows = local_rows(rig)
    assert rows[("catalogue", "item3")][:2] == (c.rev - 1, True)
    assert rows[("catalogue", "item4")] == (c.rev, False, {"name": "事项4（新版）"})
    assert ref_rev(rig) == c.rev
    st = load_state(rig.db)
    assert st is not None and st.drift_tables is None and c.snapshots_served == 0


def test_requests_carry_the_station_signature(rig: StationRig) -> None:
    """The county's scheme (sync/county/station_auth.py): canonical JSON of who, path, query."""
    run(rig)
    ref = [q for q in rig.county.requests if q.url.path == "/sync/v1/reference"][0]
    st = load_state(rig.db)
    assert st is not None
    assert ref.headers["X-Yizhan-Station"] == "ST01" == st.station_id
    assert ref.headers["X-Yizhan-Key-Id"] == st.key_id
    message = reference_request_bytes(
        "ST01", st.key_id, "/sync/v1/reference", {"since": "0", "limit": str(PAGE_LIMIT)}
    )
    public = rig.county.stations["ST01"]
    crypto.verify(public, message, ref.headers["X-Yizhan-Signature"])


def test_a_forged_page_is_refused_and_nothing_of_it_applied(rig: StationRig) -> None:
    c = rig.county
    for i in range(PAGE_LIMIT + 5):
        c.put("staff", f"s{i}", {"name": "张三"})
    c.forge_after = 1  # the first page is genuine, the second signed by someone else
    run(rig)
    st = load_state(rig.db)
    assert st is not None
    assert st.last_error is not None and "签名校验失败" in st.last_error
    assert ref_rev(rig) == PAGE_LIMIT  # page 1 and its cursor, nothing of page 2
    assert len(local_rows(rig)) == PAGE_LIMIT
    c.forge_after = None
    run(rig)
    assert len(local_rows(rig)) == PAGE_LIMIT + 5 and ref_rev(rig) == c.rev


def test_snapshot_required_replaces_the_reference_tables(rig: StationRig) -> None:
    c = rig.county
    c.put("catalogue", "a", {"v": 1})
    c.put("catalogue", "b", {"v": 1})
    run(rig)
    c.tombstone("catalogue", "a")
    c.put("booking", "x", {"who": "李四"})
    c.min_since = c.rev  # the county pruned its tombstones: our cursor is too old
    run(rig)
    assert c.snapshots_served == 1
    assert set(local_rows(rig)) == {("catalogue", "b"), ("booking", "x")}
    assert ref_rev(rig) == c.rev
    st = load_state(rig.db)
    assert st is not None and st.last_error is None


def test_drift_is_detected_recorded_and_repaired_by_the_snapshot(rig: StationRig) -> None:
    c = rig.county
    for i in range(5):
        c.put("catalogue", f"i{i}", {"n": i})
    run(rig)
    with rig.db.write() as s:  # a row lost locally (e.g. a restored backup)
        row = s.get(ReferenceRow, ("catalogue", "i2"))
        assert row is not None
        s.delete(row)
    a = run(rig)
    st = load_state(rig.db)
    assert st is not None
    assert st.drift_at == rig.clock.now()  # recorded …
    assert st.drift_tables is None  # … and repaired
    assert c.snapshots_served == 1
    assert ("catalogue", "i2") in local_rows(rig)
    assert a.sizer is not None


def test_an_old_replayed_row_never_downgrades(rig: StationRig) -> None:
    from sync.protocol import ReferencePage
    from sync.protocol import ReferenceRow as WireRow
    from sync.station.downsync import apply_page

    rig.county.put("catalogue", "a", {"v": 2})
    rig.county.put("catalogue", "a", {"v": 3})
    run(rig)
    old = ReferencePage([WireRow("catalogue", "a", 1, False, {"v": 1})], ref_rev(rig), False)
    apply_page(rig.db, old, rig.clock.now())
    assert local_rows(rig)[("catalogue", "a")] == (2, False, {"v": 3})
