"""How a station proves who it is on down-sync GETs (no body to sign there).

Headers: ``X-Yizhan-Station``, ``X-Yizhan-Key-Id`` and ``X-Yizhan-Signature`` = Ed25519 by
the station key over ``reference_request_bytes(station, key_id, path, query)`` — canonical
JSON of those four, query values as the strings sent. A replayed GET only returns data the
eavesdropper already saw, so no nonce is needed. ``reference_request_bytes`` lives in
``sync/protocol.py`` once the station side uses it.
"""

from __future__ import annotations

from collections.abc import Mapping

from appliance.core.errors import Unauthenticated
from sync import crypto
from sync.county.enrolment import usable_station
from sync.county.models import Station
from sync.county.services import CountyServices
from sync.protocol import reference_request_bytes


def authenticate_station(
    svc: CountyServices,
    station_id: str | None,
    key_id: str | None,
    signature: str | None,
    path: str,
    query: Mapping[str, str],
) -> Station:
    """The enrolled, unrevoked station making a down-sync request, or a refusal."""
    if not station_id or not key_id:
        raise Unauthenticated(
            "缺少站点编码或密钥编号（X-Yizhan-Station / X-Yizhan-Key-Id）", "no_station"
        )
    with svc.db.tx() as s:
        station = usable_station(s, station_id, key_id)
    if svc.settings.require_signed_reads:
        message = reference_request_bytes(station_id, key_id, path, query)
        try:
            crypto.verify(station.public_key or "", message, signature or "")
        except crypto.SignatureInvalid as exc:
            raise Unauthenticated("请求签名校验失败，拒绝下发", "bad_signature") from exc
    return station
