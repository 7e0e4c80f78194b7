"""下行同步: reference data (catalogue, holidays, staff, settings, bookings) from the county.

What the station sends (the county engineer implements the other end):

    GET {county_url}/sync/v1/reference?since=REF_REV&limit=500
    GET {county_url}/sync/v1/snapshot            (after a 410, or when drift is detected)
    headers  X-Yizhan-Station:   settings.station_code (the enrolled station id)
             X-Yizhan-Key-Id:    sync.crypto.key_id(station public key b64)
             X-Yizhan-Signature: base64 Ed25519 signature by the station key over
                                 client.reference_request_bytes(station_id, key_id, path,
                                 query) = canonical JSON of {"station_id", "key_id",
                                 "path": "/sync/v1/reference", "query": {"since": "12",
                                 "limit": "500"}} (query values as the strings sent; the
                                 snapshot has "query": {}). The same scheme as the county's
                                 sync/county/station_auth.py. No timestamp: station time is
                                 data, never a control.

What the station expects: 200 ``{"page": ReferencePage JSON, "signature": b64}`` where the
signature is by the county key pinned at enrolment over ``ReferencePage.to_bytes()``; a 410
``{"error": "snapshot_required"}`` when ``since`` is too old. ``table_hashes`` (protocol
``table_hash`` over live (id, rev) of each table, as of ``next_rev``) is read on the last page
(``more`` false) and on snapshots.

What the station does: a page that does not verify is refused and nothing of it is applied.
Each page's rows and its cursor (ref_rev = next_rev) are applied in ONE SQLite transaction;
a row never goes back to an older rev, tombstones keep their rev with ``deleted`` set, and the
cursor never moves backwards. A snapshot replaces every reference row in one transaction.
Drift (a table hash that differs from the county's) is recorded, then the snapshot is taken.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import delete, select

from appliance.db.database import Database
from appliance.settings import Settings, load_settings
from appliance.uplink.tables import SYNC_STATE_ID, ReferenceRow, SyncState
from sync import crypto
from sync.canonical import canonical_json
from sync.protocol import ReferencePage, table_hash
from sync.station.client import REFERENCE_PATH, SNAPSHOT_PATH, CountyClient, CountyRefused

log = logging.getLogger("yizhan.sync")
PAGE_LIMIT = 500
MAX_PAGES_PER_ROUND = 10_000


class PageRefused(Exception):
    """A reference page or snapshot failed verification; nothing of it was applied."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class DownResult:
    pages: int = 0
    rows: int = 0
    snapshots: int = 0
    drift: list[str] = field(default_factory=list)  # tables found drifting this round


def verify_page(raw: dict[str, Any], county_public_key: str) -> ReferencePage:
    """Parse a signed page and check it against the pinned county key."""
    try:
        page = ReferencePage.from_json(raw["page"])
        signature = str(raw["signature"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PageRefused("县级中心的参考数据格式不正确，已拒收") from exc
    try:
        crypto.verify(county_public_key, page.to_bytes(), signature)
    except crypto.SignatureInvalid as exc:
        raise PageRefused("参考数据签名校验失败（不是本站登记的县级中心签发），已拒收") from exc
    return page


def _put(s: Any, row: Any, now: datetime, existing: ReferenceRow | None) -> None:
    target = existing or ReferenceRow(table_name=row.table, id=row.id, rev=row.rev, updated_at=now)
    target.rev, target.deleted, target.updated_at = row.rev, row.deleted, now
    target.data = "{}" if row.deleted else canonical_json(row.data).decode()
    s.add(target)


def apply_page(db: Database, page: ReferencePage, now: datetime) -> int:
    """Rows and cursor of one page in ONE write transaction; returns rows changed."""
    with db.write() as s:
        state = s.get(SyncState, SYNC_STATE_ID)
        if state is None:
            raise PageRefused("本站尚未登记，不能应用参考数据")
        if page.next_rev < state.ref_rev:
            raise PageRefused("参考数据页的版本早于本站已有版本（可能是重放），已拒收")
        changed = 0
        for row in page.rows:
            existing = s.get(ReferenceRow, (row.table, row.id))
            if existing is not None and existing.rev >= row.rev:
                continue
            _put(s, row, now, existing)
            changed += 1
        state.ref_rev = page.next_rev
        s.add(state)
        return changed


def apply_snapshot(db: Database, page: ReferencePage, now: datetime) -> int:
    """Replace every reference row with the snapshot's, and the cursor, in one transaction."""
    with db.write() as s:
        state = s.get(SyncState, SYNC_STATE_ID)
        if state is None:
            raise PageRefused("本站尚未登记，不能应用参考数据")
        s.exec(delete(ReferenceRow))
        for row in page.rows:
            _put(s, row, now, None)
        state.ref_rev = page.next_rev
        s.add(state)
        return len(page.rows)


def local_table_hashes(db: Database, tables: list[str]) -> dict[str, str]:
    with db.read() as s:
        rows = s.exec(
            select(ReferenceRow.table_name, ReferenceRow.id, ReferenceRow.rev).where(
                ReferenceRow.deleted == False  # noqa: E712
            )
        ).all()
    pairs: dict[str, list[tuple[str, int]]] = {t: [] for t in tables}
    for name, row_id, rev in rows:
        if name in pairs:
            pairs[name].append((row_id, rev))
    return {t: table_hash(p) for t, p in pairs.items()}


def drifting_tables(db: Database, county_hashes: dict[str, str]) -> list[str]:
    local = local_table_hashes(db, sorted(county_hashes))
    return [t for t in sorted(county_hashes) if local[t] != county_hashes[t]]


def _record_drift(db: Database, tables: list[str], now: datetime) -> None:
    with db.write() as s:
        state = s.get(SyncState, SYNC_STATE_ID)
        if state is not None:
            state.drift_tables = ",".join(tables) or None
            if tables:
                state.drift_at = now
            s.add(state)


def apply_to_station_tables(
    db: Database, now: datetime, settings: Settings | None = None
) -> list[str]:
    """Copy the reference rows into the station's own tables (catalogue, holidays, staff,
    knowledge, online bookings)."""
    from appliance.appointments.service.reference import apply_booking_reference
    from appliance.catalogue.service.importer import apply_county_reference
    from appliance.core.clock import FrozenClock
    from appliance.knowledge.service.reference import apply_knowledge_reference
    from appliance.staff.service.reference import apply_staff_reference

    clock = FrozenClock(now)
    messages = [r.message for r in apply_county_reference(db, clock) if r.message]
    knowledge = apply_knowledge_reference(db, clock)  # 县级知识库 (R-C3)
    messages += [knowledge.message] if knowledge.message else []
    with db.read() as s:
        state = s.get(SyncState, SYNC_STATE_ID)
    if state is not None:
        staff = apply_staff_reference(db, clock, state.station_id)
        messages += [staff.message] if staff.message else []
    bookings = apply_booking_reference(db, settings or load_settings(), clock)  # 预约 (R-Q7)
    messages += [bookings.message] if bookings.message else []
    return messages


class DownSync:
    """One round of down-sync with an already signed-in ``CountyClient``."""

    def __init__(
        self,
        db: Database,
        client: CountyClient,
        county_public_key: str,
        settings: Settings | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.county_key = county_public_key
        self.settings = settings

    def _since(self) -> int:
        with self.db.read() as s:
            state = s.get(SyncState, SYNC_STATE_ID)
            return state.ref_rev if state else 0

    def snapshot(self, now: datetime, result: DownResult) -> ReferencePage:
        page = verify_page(self.client.signed_get(SNAPSHOT_PATH), self.county_key)
        if not page.snapshot:
            raise PageRefused("县级中心的快照缺少快照标记，已拒收")
        result.rows += apply_snapshot(self.db, page, now)
        result.snapshots += 1
        result.pages += 1
        return page

    def run(self, now: datetime) -> DownResult:
        result = DownResult()
        page = self._pull(now, result)
        if page.table_hashes:
            drift = drifting_tables(self.db, page.table_hashes)
            if drift:
                log.warning("reference drift in %s: taking the snapshot", drift)
                result.drift = drift
                _record_drift(self.db, drift, now)
                snap = self.snapshot(now, result)
                if snap.more:
                    snap = self._pull(now, result)
                _record_drift(self.db, drifting_tables(self.db, snap.table_hashes), now)
        if result.rows:
            for message in apply_to_station_tables(self.db, now, self.settings):
                log.info("reference data: %s", message)
        return result

    def _pull(self, now: datetime, result: DownResult) -> ReferencePage:
        since = self._since()
        for _ in range(MAX_PAGES_PER_ROUND):
            try:
                raw = self.client.signed_get(REFERENCE_PATH, {"since": since, "limit": PAGE_LIMIT})
            except CountyRefused as exc:
                if exc.status != 410 and exc.code != "snapshot_required":
                    raise
                page = self.snapshot(now, result)
            else:
                page = verify_page(raw, self.county_key)
                if page.snapshot:
                    raise PageRefused("增量参考数据页不应是快照，已拒收")
                result.rows += apply_page(self.db, page, now)
                result.pages += 1
                if page.more and page.next_rev <= since:
                    raise PageRefused("参考数据页的游标没有前进，已停止下载")
            if not page.more:
                return page
            since = page.next_rev
        raise PageRefused("参考数据页数过多，本轮停止，下轮继续")
