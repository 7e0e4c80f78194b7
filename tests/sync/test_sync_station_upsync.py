"""Up-sync: every station event reaches the county exactly once in effect (R-N1, R-N3).

Against the fake county of test_sync_station_fake: batches, adaptive size, acks as the only
thing that moves the cursor, retries with backoff, 413, quarantine, a 30-day backlog.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from appliance.uplink.tables import SyncQuarantine, SyncState
from sync.station.agent import SyncAgent
from sync.station.outbox import pending_events
from sync.station.state import backoff_seconds, load_state
from tests.sync.test_sync_station_fake import StationRig, station_rig


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[StationRig]:
    yield from station_rig(tmp_path)


def agent(r: StationRig) -> SyncAgent:
    return SyncAgent(
        r.settings, db=r.db, clock=r.clock, transport=r.county.transport(), rng=random.Random(7)
    )


def state(r: StationRig) -> SyncState:
    s = load_state(r.db)
    assert s is not None
    return s


def test_batches_start_at_200_and_grow_on_success(rig: StationRig) -> None:
    rig.add_events(1000)
    result = agent(rig).run_once()
    assert result.error is None and result.caught_up
    assert [b.count for b in rig.county.batches] == [200, 400, 400]  # grows after each ack
    assert rig.county.events == rig.local_ids()
    assert state(rig).acked_through_seq == 1000
    assert state(rig).last_success_at == rig.clock.now()


def test_batches_respect_the_byte_limit_the_county_advertises(rig: StationRig) -> None:
    rig.county.max_batch_bytes = 20_000  # the county lowers its limit after enrolment
    rig.add_events(600, size=100)  # 200 hex chars of noise: about 150 B per event gzipped
    a = agent(rig)
    assert a.run_once().error is None
    assert a.sizer.county_max == 20_000 and a.sizer.bytes <= 20_000
    assert max(rig.county.body_sizes) <= 20_000
    assert rig.county.batches[0].count < 200  # cut to fit the limit
    assert rig.county.events == rig.local_ids()


def test_cursor_moves_only_on_an_ack(rig: StationRig) -> None:
    """A reply lost after the county committed leaves the cursor; the resend is a duplicate."""
    rig.add_events(50)
    rig.county.faults = ["lost"]
    a = agent(rig)
    first = a.run_once()
    assert first.error and "超时" in first.error
    assert state(rig).acked_through_seq == 0  # stored at the county, but never acknowledged
    assert len(rig.county.events) == 50
    second = a.run_once()
    assert second.error is None
    assert state(rig).acked_through_seq == 50
    assert rig.county.events == rig.local_ids()  # once each


@pytest.mark.parametrize("fault", ["timeout", "500", "connect"])
def test_unknown_outcomes_retry_later_with_backoff_and_the_same_events(
    rig: StationRig, fault: str
) -> None:
    rig.add_events(30)
    rig.county.faults = [fault, fault]
    a = agent(rig)
    r1 = a.run_once()
    s1 = state(rig)
    assert r1.error and s1.failures == 1 and s1.last_error == r1.error
    assert s1.next_attempt_at is not None and s1.next_attempt_at > rig.clock.now()
    first_wait = s1.next_attempt_at - rig.clock.now()
    a.run_once()
    s2 = state(rig)
    assert s2.failures == 2 and s2.acked_through_seq == 0
    assert s2.next_attempt_at is not None
    assert s2.next_attempt_at - rig.clock.now() > first_wait / 2  # grows (with jitter)
    r3 = a.run_once()
    assert r3.error is None
    s3 = state(rig)
    assert s3.failures == 0 and s3.last_error is None and s3.next_attempt_at is None
    assert s3.acked_through_seq == 30
    assert rig.county.events == rig.local_ids()
    firsts = {b.first_seq for b in rig.county.batches}
    assert firsts == {1}  # the same events were sent again


def test_backoff_is_exponential_with_jitter_and_capped_in_time_not_attempts() -> None:
    rng = random.Random(1)
    waits = [backoff_seconds(n, 900.0, rng) for n in range(1, 40)]
    assert 2.5 <= waits[0] <= 5.0
    assert 40 <= waits[4] <= 80
    assert all(450 <= w <= 900 for w in waits[10:])  # keeps trying, at most every 15 minutes


def test_timeouts_shrink_the_batch(rig: StationRig) -> None:
    rig.add_events(300)
    rig.county.faults = ["timeout"]
    a = agent(rig)
    a.run_once()
    assert a.sizer.events == 100
    a.run_once()
    assert [b.count for b in rig.county.batches][0] == 100


def test_413_sends_the_same_events_in_smaller_batches(rig: StationRig) -> None:
    rig.add_events(200)
    rig.county.faults = ["413", "413"]
    result = agent(rig).run_once()
    assert result.error is None
    assert rig.county.batches[0].count == 50 and rig.county.batches[0].first_seq == 1
    assert state(rig).acked_through_seq == 200
    assert rig.county.events == rig.local_ids()


def test_a_4xx_refusal_is_recorded_and_backed_off(rig: StationRig) -> None:
    rig.add_events(5)
    rig.county.faults = ["refuse"]
    result = agent(rig).run_once()
    assert result.error and "拒收" in result.error and "批次被拒收" in result.error
    s = state(rig)
    assert s.acked_through_seq == 0 and s.next_attempt_at is not None


def test_conflicts_and_rejections_are_quarantined_without_blocking(rig: StationRig) -> None:
    rig.add_events(20)
    rig.county.conflict_seqs = {5}
    rig.county.reject_seqs = {6}
    result = agent(rig).run_once()
    assert result.error is None and result.quarantined == 2
    assert state(rig).acked_through_seq == 20  # the events behind them went through
    with rig.db.read() as s:
        rows = {q.seq: q.status for q in s.exec(select(SyncQuarantine))}
    assert rows == {5: "conflict", 6: "rejected"}


def test_events_held_behind_a_county_gap_stall_without_looping(rig: StationRig) -> None:
    rig.add_events(10)
    rig.county.hold_from = 4
    result = agent(rig).run_once()
    assert result.error and "暂未确认第 4 条" in result.error
    assert state(rig).acked_through_seq == 3
    assert len(rig.county.batches) == 2  # one progressing batch, one that stalled


def test_a_crash_during_the_ack_update_rolls_back_and_resends(
    rig: StationRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL during the ack transaction = nothing of it committed; re-sending is harmless."""
    import sync.station.agent as agent_module

    rig.add_events(40)
    real = agent_module.apply_ack

    def crash(*args: object, **kwargs: object) -> object:
        with rig.db.write() as s:
            st = s.get(SyncState, 1)
            assert st is not None
            st.acked_through_seq = 999  # half-done update …
            s.add(st)
            raise KeyboardInterrupt  # … and the process dies inside the transaction

    monkeypatch.setattr(agent_module, "apply_ack", crash)
    with pytest.raises(KeyboardInterrupt):
        agent(rig).run_once()
    assert state(rig).acked_through_seq == 0
    monkeypatch.setattr(agent_module, "apply_ack", real)
    assert agent(rig).run_once().error is None
    assert state(rig).acked_through_seq == 40
    assert rig.county.events == rig.local_ids()


def test_a_30_day_backlog_of_15000_events_drains(rig: StationRig) -> None:
    rig.add_events(15_000, every=timedelta(minutes=3))  # 30 days of a busy station
    rig.county.faults = ["timeout", "lost", "500"]
    a = agent(rig)
    rounds = 0
    while state(rig).acked_through_seq < 15_000:
        rounds += 1
        assert rounds < 10
        a.run_once()
    assert rig.county.events == rig.local_ids()
    assert len(rig.county.events) == 15_000
    assert pending_events(rig.db, state(rig).acked_through_seq, 10) == []
    assert len(rig.county.batches) < 40
