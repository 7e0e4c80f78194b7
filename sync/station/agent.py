"""``SyncAgent``: drains the event outbox to the county and pulls reference data (同步代理).

One round (``run_once``) sends signed batches until the county has acknowledged every event
(or something fails), then pulls reference pages. A timeout, a connection error or a 5xx is
"unknown": the same events are sent again after an exponential backoff with jitter, with no
cap on attempts. A 4xx refusal is recorded as the visible last error and backed off the same
way. ``run_forever`` repeats rounds until its stop event is set.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime

import httpx

from appliance.clock.service import ClockGuard, SystemTimeSetter, TimeSetter
from appliance.core.clock import Clock, SystemClock
from appliance.db.database import Database
from appliance.sdnotify import Watchdog, slice_wait
from appliance.settings import Settings
from appliance.uplink.tables import SyncState
from sync.station.archives import upload_archives
from sync.station.client import CountyClient, CountyRefused, OutcomeUnknown, StationIdentity
from sync.station.downsync import DownResult, DownSync, PageRefused
from sync.station.keys import KeyMissing, load_station_key
from sync.station.outbox import apply_ack, build_batch, pending_events
from sync.station.pending import try_pending_enrolment
from sync.station.state import (
    NotEnrolled,
    load_state,
    record_attempt,
    record_failure,
    record_success,
)

log = logging.getLogger("yizhan.sync")
MIN_BATCH_BYTES = 4 * 1024
GROWTH_LIMIT = 10  # events per batch grow to at most this many times sync_batch_events


class Stalled(Exception):
    """The county answered but acknowledged nothing new (events held behind a gap)."""


@dataclass
class BatchSizer:
    """Adaptive batch size: shrink on 413 and timeouts, grow on success, capped by the county."""

    events: int
    bytes: int
    max_events: int
    county_max: int

    def cap(self, county_max: int) -> None:
        if county_max > 0:
            self.county_max = county_max
            self.bytes = min(self.bytes, county_max)

    def shrink(self) -> None:
        self.events = max(1, self.events // 2)
        self.bytes = max(min(MIN_BATCH_BYTES, self.county_max), self.bytes // 2)

    def grow(self) -> None:
        self.events = min(self.max_events, self.events * 2)
        self.bytes = min(self.county_max, self.bytes * 2)


@dataclass
class RoundResult:
    """What one ``run_once`` did; ``error`` is the Chinese message recorded, if any."""

    batches: int = 0
    acked_through_seq: int = 0
    quarantined: int = 0
    caught_up: bool = False
    down: DownResult | None = None
    archives: int = 0  # archive packages the county now holds whole (一事一档)
    update: str | None = None  # a downloaded, verified update bundle waits (有可用更新)
    error: str | None = None


class SyncAgent:
    def __init__(
        self,
        settings: Settings,
        *,
        db: Database | None = None,
        clock: Clock | None = None,
        transport: httpx.BaseTransport | None = None,
        rng: random.Random | None = None,
        time_setter: TimeSetter | None = None,
    ) -> None:
        self.settings = settings
        self._own_db = db is None
        self.db = db or Database(settings.sqlalchemy_url)
        self.clock = clock or SystemClock()
        # the county's time may set the system clock only when we run on it; a test clock
        # (or a test's county) never touches the machine's clock unless a setter is given
        if time_setter is None and isinstance(self.clock, SystemClock):
            time_setter = SystemTimeSetter(settings.clock_set_command)
        self.clock_guard = (
            ClockGuard(self.db, settings, self.clock, time_setter) if time_setter else None
        )
        self.transport = transport
        self.rng = rng or random.Random()
        self.watchdog = Watchdog(min_interval=0.0)
        state = load_state(self.db)
        county_max = state.max_batch_bytes if state is not None else 0
        first_bytes = settings.sync_batch_bytes
        self.sizer = BatchSizer(
            events=max(1, settings.sync_batch_events),
            bytes=min(first_bytes, county_max) if county_max > 0 else first_bytes,
            max_events=max(1, settings.sync_batch_events) * GROWTH_LIMIT,
            county_max=county_max if county_max > 0 else first_bytes,
        )

    def close(self) -> None:
        if self._own_db:
            self.db.dispose()

    # ---- one round -----------------------------------------------------------------------
    def run_once(self) -> RoundResult:
        """Drain until caught up or an error; then down-sync. Never raises for I/O trouble."""
        result = RoundResult()
        state = load_state(self.db)
        if state is None:
            result.error = NotEnrolled().args[0]
            return result
        record_attempt(self.db, self.clock.now())
        try:
            identity = StationIdentity(
                state.station_id, state.key_id, load_station_key(self.settings)
            )
            with CountyClient(
                state.county_url,
                timeout=self.settings.sync_timeout_s,
                transport=self.transport,
                identity=identity,
            ) as client:
                self._upsync(client, state, result)
                result.archives = upload_archives(
                    self.db, self.settings, client, result.acked_through_seq, self.clock.now
                )
                result.down = DownSync(self.db, client, state.county_public_key, self.settings).run(
                    self.clock.now()
                )
                result.update = self._fetch_update(client)
        except OutcomeUnknown as exc:
            result.error = exc.message
        except CountyRefused as exc:
            code = f"，{exc.code}" if exc.code else ""
            result.error = f"县级中心拒收（HTTP {exc.status}{code}）：{exc.message}"
        except (PageRefused, KeyMissing) as exc:
            result.error = str(exc)
        except Stalled as exc:
            result.error = str(exc)
        if result.error is None:
            record_success(self.db, self.clock)
        else:
            log.warning("sync round failed: %s", result.error)
            record_failure(
                self.db, self.clock, result.error, self.settings.sync_backoff_max_s, self.rng
            )
        return result

    def _fetch_update(self, client: CountyClient) -> str | None:
        """An update bundle the county offers: downloaded and verified, never installed."""
        from sync.station.updates import UpdateRefused, fetch_update

        try:
            return fetch_update(self.db, self.settings, client, self.clock.now())
        except UpdateRefused as exc:  # the round itself went well: log, try again next round
            log.warning("update bundle not taken: %s", exc)
            return None

    def _upsync(self, client: CountyClient, state: SyncState, result: RoundResult) -> None:
        acked = state.acked_through_seq
        result.acked_through_seq = acked
        while True:
            events = pending_events(self.db, acked, self.sizer.events)
            if not events:
                result.caught_up = True
                return
            batch = build_batch(
                events, self.sizer.bytes, state.station_id, state.key_id, self.clock.now()
            )
            try:
                reply = client.send_batch(batch.header, batch.body)
            except OutcomeUnknown as exc:
                if exc.timeout:
                    self.sizer.shrink()
                raise
            except CountyRefused as exc:
                if exc.status == 413 and batch.header.count > 1:
                    self.sizer.events = min(self.sizer.events, batch.header.count)
                    self.sizer.shrink()
                    continue  # the same events again, in a smaller batch
                raise
            outcome = apply_ack(self.db, batch, reply, self.clock.now())
            self._follow_county_clock(reply.county_time)
            result.batches += 1
            result.quarantined += outcome.quarantined
            result.acked_through_seq = outcome.after
            self.sizer.cap(reply.max_batch_bytes)
            if not outcome.progressed:
                raise Stalled(
                    f"县级中心暂未确认第 {acked + 1} 条及以后的记录"
                    f"（县级积压 {reply.backlog} 条），稍后重试"
                )
            self.sizer.grow()
            acked = outcome.after
            self.watchdog.progressed()  # a long catch-up is progress too (看门狗)

    def _follow_county_clock(self, county_time: str) -> None:
        """No RTC at the station: a clock that lags the county's is moved forward to it."""
        try:
            county = datetime.fromisoformat(county_time) if county_time else None
        except ValueError:
            county = None
        if county is None or county.tzinfo is None:
            return
        lag = (county - self.clock.now()).total_seconds()
        if self.clock_guard is not None and self.clock_guard.adopt_county_time(county):
            log.warning("station clock set from the county's time (it lagged %.0f s)", lag)
        elif abs(lag) > max(self.settings.clock_county_max_skew_s, 1.0):
            log.warning("station clock differs from the county's by %.0f s", -lag)

    # ---- forever -------------------------------------------------------------------------
    def run_forever(self, stop_event: threading.Event) -> None:
        """Rounds every ``sync_interval_s`` (or at the backoff time after a failure)."""
        interval = max(0.1, self.settings.sync_interval_s)
        while not stop_event.is_set():
            wait = interval
            try:
                state = load_state(self.db) or try_pending_enrolment(
                    self.settings, self.db, self.clock, self.transport
                )
                due_in = 0.0
                if state is not None and state.next_attempt_at is not None:
                    due_in = (state.next_attempt_at - self.clock.now()).total_seconds()
                if state is None:
                    wait = interval
                elif due_in > 0:
                    wait = min(due_in, interval * 60)
                else:
                    result = self.run_once()
                    if result.error is not None:
                        wait = max(0.1, self._backoff_left())
            except Exception:  # the agent must outlive any one bad round
                log.exception("sync round crashed; trying again later")
            self._wait_pinging(stop_event, wait)

    def _wait_pinging(self, stop_event: threading.Event, wait: float) -> None:
        """Wait, pinging systemd's watchdog after the round and every half watchdog period:
        a round stuck in the network stops the pings (看门狗; a no-op outside systemd)."""
        deadline = time.monotonic() + wait
        while True:
            self.watchdog.progressed()
            left = deadline - time.monotonic()
            if left <= 0 or stop_event.wait(slice_wait(left)):
                return

    def _backoff_left(self) -> float:
        state = load_state(self.db)
        if state is None or state.next_attempt_at is None:
            return self.settings.sync_interval_s
        return (state.next_attempt_at - self.clock.now()).total_seconds()
