"""登记: ``enrol(settings, code)`` makes the station key and pins the county's keys.

Request  POST {county_url}/sync/v1/enrol
         {"code": one-time code, "station_id": settings.station_code,
          "public_key": base64 raw Ed25519 public key of the station}
Reply    200 {"county_public_key": base64 raw Ed25519 key that signs pages and snapshots,
              "county_box_public_key": base64 raw X25519 key for sealed USB batches
                  (optional; "county_box_key" is read too),
              "max_batch_bytes": int (optional)}
         4xx {"error", "message"} for a wrong, used or expired code.

The key file and the ``sync_state`` row are written only after a 200 reply, so a wrong code
leaves nothing behind.
"""

from __future__ import annotations

from datetime import datetime

import httpx

from appliance.core.clock import Clock, SystemClock
from appliance.db.database import Database
from appliance.settings import Settings
from appliance.uplink.tables import SYNC_STATE_ID, SyncState
from sync import crypto
from sync.protocol import DEFAULT_MAX_BODY
from sync.station.client import CountyClient, CountyRefused, OutcomeUnknown
from sync.station.keys import new_station_key, save_station_key


class EnrolError(Exception):
    """Enrolment failed; ``message`` is Chinese and shown to the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def enrol(
    settings: Settings,
    code: str,
    *,
    db: Database | None = None,
    clock: Clock | None = None,
    transport: httpx.BaseTransport | None = None,
    force: bool = False,
) -> SyncState:
    """Enrol this station with a one-time code; returns the stored ``sync_state`` row."""
    url = settings.county_url.strip()
    if not url:
        raise EnrolError("未配置县级中心地址（设置 county_url），无法登记")
    if not code.strip():
        raise EnrolError("请输入县级中心发放的登记码")
    own_db = db is None
    database = db or Database(settings.sqlalchemy_url)
    try:
        with database.read() as s:
            existing = s.get(SyncState, SYNC_STATE_ID)
        if existing is not None and not force:
            raise EnrolError(
                f"本站已于 {existing.enrolled_at:%Y-%m-%d} 登记，如需重新登记请加 --force"
            )
        key = new_station_key()
        public = crypto.public_key_b64(key)
        reply = _ask_county(settings, url, code.strip(), public, transport)
        county_key = str(reply.get("county_public_key") or "")
        box_key = str(reply.get("county_box_public_key") or reply.get("county_box_key") or "")
        try:
            crypto.load_public_key(county_key)
        except crypto.SignatureInvalid as exc:
            raise EnrolError("县级中心返回的公钥不正确，未登记") from exc
        now = (clock or SystemClock()).now()
        save_station_key(settings, key)
        return _store(database, settings, url, public, county_key, box_key, reply, now)
    finally:
        if own_db:
            database.dispose()


def _ask_county(
    settings: Settings, url: str, code: str, public: str, transport: httpx.BaseTransport | None
) -> dict[str, object]:
    with CountyClient(url, timeout=settings.sync_timeout_s, transport=transport) as client:
        try:
            return client.enrol(code, settings.station_code, public)
        except CountyRefused as exc:
            raise EnrolError(f"登记失败：{exc.message}（登记码错误、已使用或已过期）") from exc
        except OutcomeUnknown as exc:
            raise EnrolError(f"登记失败：{exc.message}，请检查网络后重试") from exc


def _store(
    db: Database,
    settings: Settings,
    url: str,
    public: str,
    county_key: str,
    box_key: str,
    reply: dict[str, object],
    now: datetime,
) -> SyncState:
    max_bytes = reply.get("max_batch_bytes")
    with db.write() as s:
        state = s.get(SyncState, SYNC_STATE_ID)
        if state is None:  # re-enrolment keeps the cursors: the county keys on event ids
            state = SyncState(
                station_id="", key_id="", county_url="", county_public_key="", enrolled_at=now
            )
        state.station_id = settings.station_code
        state.key_id = crypto.key_id(public)
        state.county_url = url
        state.county_public_key = county_key
        state.county_box_key = box_key
        state.max_batch_bytes = int(max_bytes) if isinstance(max_bytes, int) else DEFAULT_MAX_BODY
        state.enrolled_at = now
        state.last_error = None
        s.add(state)
        return state
