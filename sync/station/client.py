"""``CountyClient``: the station's only door to the county centre (HTTP, sync httpx).

Errors become exceptions at this one place:
- ``OutcomeUnknown``: timeout, connection error, 5xx or an unreadable reply. The county may
  or may not have stored what we sent; the caller retries the same events later.
- ``CountyRefused``: a 4xx with ``{"error", "message"}``; the county wrote nothing.

Signed GET requests (down-sync) carry three headers:
    X-Yizhan-Station:   the station id (settings.station_code)
    X-Yizhan-Key-Id:    sync.crypto.key_id(station public key)
    X-Yizhan-Signature: base64 Ed25519 signature, by the station key, over
                        ``reference_request_bytes(station_id, key_id, path, query)``: the
                        canonical JSON of {"station_id", "key_id", "path", "query"} where path
                        is the URL path as sent (e.g. "/sync/v1/reference") and query maps each
                        parameter to the string sent (e.g. {"since": "12", "limit": "500"}).
                        This is the county's sync/county/station_auth.py scheme; both copies
                        should move to sync/protocol.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import crypto
from sync.protocol import (
    ARCHIVES_PATH,
    BATCH_HEADER,
    KEY_ID_HEADER,
    SIGNATURE_HEADER,
    STATION_HEADER,
    AckReply,
    ArchiveUploadReply,
    BatchHeader,
    reference_request_bytes,
)

BATCHES_PATH = "/sync/v1/batches"
ENROL_PATH = "/sync/v1/enrol"
HEALTH_PATH = "/sync/v1/health"
REFERENCE_PATH = "/sync/v1/reference"
SNAPSHOT_PATH = "/sync/v1/snapshot"


class OutcomeUnknown(Exception):
    """The request may or may not have reached the county: retry later, same events."""

    def __init__(self, message: str, *, timeout: bool = False, status: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.timeout = timeout
        self.status = status


class CountyRefused(Exception):
    """The county refused the request (4xx); nothing was written there."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class StationIdentity:
    station_id: str
    key_id: str
    key: Ed25519PrivateKey


def _refusal(response: httpx.Response) -> CountyRefused:
    code, message = "", f"县级中心拒绝了请求（HTTP {response.status_code}）"
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = str(body.get("error") or "")
        message = str(body.get("message") or body.get("detail") or message)
    return CountyRefused(response.status_code, code, message)


class CountyClient:
    """HTTP client of the county's sync API. Inject ``transport`` in tests."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        identity: StationIdentity | None = None,
    ) -> None:
        self.identity = identity
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> CountyClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self._client.send(request)
        except httpx.TimeoutException as exc:
            raise OutcomeUnknown("连接县级中心超时", timeout=True) from exc
        except httpx.HTTPError as exc:
            raise OutcomeUnknown(f"无法连接县级中心（{type(exc).__name__}）") from exc
        if response.status_code >= 500:
            raise OutcomeUnknown(
                f"县级中心暂时故障（HTTP {response.status_code}）", status=response.status_code
            )
        if response.status_code >= 400:
            raise _refusal(response)
        return response

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError as exc:
            raise OutcomeUnknown("县级中心的回复无法识别") from exc
        if not isinstance(data, dict):
            raise OutcomeUnknown("县级中心的回复无法识别")
        return data

    # ---- calls ---------------------------------------------------------------------------
    def enrol(self, code: str, station_id: str, public_key: str) -> dict[str, Any]:
        body = {"code": code, "station_id": station_id, "public_key": public_key}
        return self._json(self._send(self._client.build_request("POST", ENROL_PATH, json=body)))

    def health(self) -> dict[str, Any]:
        return self._json(self._send(self._client.build_request("GET", HEALTH_PATH)))

    def send_batch(self, header: BatchHeader, body: bytes) -> AckReply:
        """POST one signed batch; the reply must acknowledge this very batch."""
        identity = self._need_identity()
        raw = header.to_bytes()
        headers = {
            BATCH_HEADER: crypto.b64e(raw),
            SIGNATURE_HEADER: crypto.sign(identity.key, raw),
            STATION_HEADER: identity.station_id,
            KEY_ID_HEADER: identity.key_id,
            "Content-Type": "application/octet-stream",
        }
        request = self._client.build_request("POST", BATCHES_PATH, content=body, headers=headers)
        data = self._json(self._send(request))
        try:
            reply = AckReply.from_json(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise OutcomeUnknown("县级中心的确认回复格式不正确") from exc
        if reply.batch_id != header.batch_id:
            raise OutcomeUnknown("县级中心的确认回复与所发批次不符")
        return reply

    def signed_get(self, path: str, params: dict[str, str | int] | None = None) -> dict[str, Any]:
        """A GET carrying the station headers and a signature over its path and query."""
        return self._json(self._signed_get(path, params))

    def signed_get_bytes(self, path: str, params: dict[str, str | int] | None = None) -> bytes:
        """The same signed GET, answering raw bytes (a chunk of an update bundle)."""
        return self._signed_get(path, params).content

    def _signed_get(self, path: str, params: dict[str, str | int] | None) -> httpx.Response:
        identity = self._need_identity()
        request = self._client.build_request("GET", path, params=params)
        request.headers[STATION_HEADER] = identity.station_id
        request.headers[KEY_ID_HEADER] = identity.key_id
        query = dict(request.url.params.items())
        message = reference_request_bytes(
            identity.station_id, identity.key_id, request.url.path, query
        )
        request.headers[SIGNATURE_HEADER] = crypto.sign(identity.key, message)
        return self._send(request)

    def send_archive_chunk(
        self, archive_no: str, sha256: str, size: int, offset: int, chunk: bytes
    ) -> ArchiveUploadReply:
        """POST one chunk of an archive package, signed over its path and query."""
        identity = self._need_identity()
        params = {"sha256": sha256, "size": str(size), "offset": str(offset)}
        path = f"{ARCHIVES_PATH}/{archive_no}"
        request = self._client.build_request("POST", path, params=params, content=chunk)
        request.headers[STATION_HEADER] = identity.station_id
        request.headers[KEY_ID_HEADER] = identity.key_id
        request.headers["Content-Type"] = "application/octet-stream"
        query = dict(request.url.params.items())
        message = reference_request_bytes(
            identity.station_id, identity.key_id, request.url.path, query
        )
        request.headers[SIGNATURE_HEADER] = crypto.sign(identity.key, message)
        data = self._json(self._send(request))
        try:
            reply = ArchiveUploadReply.from_json(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise OutcomeUnknown("县级中心对归档信息包的回复格式不正确") from exc
        if reply.archive_no != archive_no:
            raise OutcomeUnknown("县级中心的回复与所发归档信息包不符")
        return reply

    def _need_identity(self) -> StationIdentity:
        if self.identity is None:
            raise RuntimeError("CountyClient needs a StationIdentity for signed requests")
        return self.identity
