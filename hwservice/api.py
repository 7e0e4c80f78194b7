"""HTTP client of the device API (``X-Device-Key``). Network trouble is ``ApiUnavailable``.

Requests and answers are the station's wire types (``appliance.<feature>.schemas``): the
same definitions the server declares, encoded and decoded with msgspec.
"""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
import msgspec

from appliance.core.schemas import StationHealth
from appliance.devices.schemas import (
    AlertChanged,
    DeviceAlertIn,
    DeviceStatusIn,
    FeedEvent,
    HardwareHealth,
    HeartbeatIn,
)
from appliance.jobs.schemas import ClaimIn, FailedIn, InboundSmsIn, PrintJobClaim, SentIn, SmsClaim
from appliance.queue.schemas import ButtonPressIn, ButtonTicket
from appliance.ratings.schemas import RatingPress, RatingPressIn

T = TypeVar("T")


class ApiUnavailable(Exception):
    """The station server cannot be reached now (or failed); retry later."""


class ApiTimeout(ApiUnavailable):
    """The station server did not answer in time."""


class ApiRefused(Exception):
    """The server refused the request (4xx); ``message`` is its Chinese explanation."""

    def __init__(self, status: int, message: str, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


class DeviceApi:
    def __init__(
        self,
        server_url: str,
        device_key: str,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.client = httpx.Client(
            base_url=self.server_url,
            timeout=timeout,
            transport=transport,
            headers={"X-Device-Key": device_key},
        )

    def close(self) -> None:
        self.client.close()

    def _request(self, method: str, path: str, body: Any = None, **kw: Any) -> httpx.Response:
        if body is not None:
            kw["content"] = msgspec.json.encode(body)
            kw["headers"] = {"Content-Type": "application/json"}
        try:
            r = self.client.request(method, path, **kw)
        except httpx.TimeoutException as exc:
            raise ApiTimeout(f"服务器响应超时：{exc}") from exc
        except httpx.HTTPError as exc:
            raise ApiUnavailable(f"无法连接服务器：{exc}") from exc
        if r.status_code >= 500:
            raise ApiUnavailable(f"服务器错误 {r.status_code}")
        if r.status_code >= 400:
            try:
                answer = r.json()
                message, code = str(answer.get("message", r.text)), str(answer.get("error", ""))
            except (ValueError, AttributeError):
                message, code = r.text, ""
            raise ApiRefused(r.status_code, message, code)
        return r

    def _call(self, answer: type[T], method: str, path: str, body: Any = None, **kw: Any) -> T:
        """One request; the answer decoded as ``answer`` (``ApiUnavailable`` if it does not fit)."""
        content = self._request(method, path, body, **kw).content
        try:
            return msgspec.json.decode(content, type=answer)
        except msgspec.DecodeError as exc:  # ValidationError is a DecodeError
            raise ApiUnavailable(f"服务器返回的内容无法识别：{exc}") from exc

    # tickets, ratings, alerts
    def button_press(
        self, long: bool = False, lease_seconds: float = 60, category: str | None = None
    ) -> ButtonTicket:
        """Issue a button ticket; the answer carries its receipt job, leased to us."""
        priority = "vulnerable" if long else "normal"
        body = ButtonPressIn(category=category, priority=priority, lease_seconds=lease_seconds)
        return self._call(ButtonTicket, "POST", "/api/device/button-press", body)

    def rating(self, window: int, level: int) -> RatingPress:
        body = RatingPressIn(window=str(window), level=level)
        return self._call(RatingPress, "POST", "/api/device/ratings", body)

    def set_alert(self, kind: str, message: str, active: bool) -> bool:
        """Raise or clear a device alert; True when that changed the open alerts."""
        body = DeviceAlertIn(kind=kind, message=message, active=active)
        return self._call(AlertChanged, "POST", "/api/device/alerts", body).changed

    def report_status(self, device: str, state: str, label: str, detail: str = "") -> None:
        body = DeviceStatusIn(device=device, state=state, label=label, detail=detail)
        self._request("POST", "/api/device/status", body)

    def heartbeat(self, beat: HeartbeatIn) -> HardwareHealth:
        """心跳: alive, with the print kinds we claim and each loop's age."""
        return self._call(HardwareHealth, "POST", "/api/device/heartbeat", beat)

    # print jobs
    def claim_print_jobs(
        self, kinds: list[str], limit: int = 5, lease_seconds: float = 60
    ) -> list[PrintJobClaim]:
        body = ClaimIn(kinds=kinds, limit=limit, lease_seconds=lease_seconds)
        return self._call(list[PrintJobClaim], "POST", "/api/device/print-jobs/claim", body)

    def print_done(self, job_id: str) -> None:
        self._request("POST", f"/api/device/print-jobs/{job_id}/done")

    def print_failed(self, job_id: str, error: str, permanent: bool = False) -> None:
        body = FailedIn(error=error, permanent=permanent)
        self._request("POST", f"/api/device/print-jobs/{job_id}/failed", body)

    def case_notice_pdf(self, notice_id: str) -> bytes:
        """The PDF kept with a case (the server checks its SHA-256 before sending it)."""
        return self._request("GET", f"/api/device/case-notices/{notice_id}/pdf").content

    # sms
    def claim_sms(self, limit: int = 5, lease_seconds: float = 120) -> list[SmsClaim]:
        body = ClaimIn(limit=limit, lease_seconds=lease_seconds)
        return self._call(list[SmsClaim], "POST", "/api/device/sms/claim", body)

    def sms_sent(self, sms_id: str, references: list[int]) -> None:
        self._request("POST", f"/api/device/sms/{sms_id}/sent", SentIn(references=references))

    def sms_failed(self, sms_id: str, error: str, permanent: bool) -> None:
        body = FailedIn(error=error, permanent=permanent)
        self._request("POST", f"/api/device/sms/{sms_id}/failed", body)

    def sms_inbound(self, phone: str, body: str, received_at: str) -> None:
        sms = InboundSmsIn(phone=phone, body=body, received_at=received_at)
        self._request("POST", "/api/device/sms/inbound", sms)

    # feed
    def last_seq(self) -> int:
        return self._call(StationHealth, "GET", "/api/health").event_seq

    def events(self, after: int, limit: int = 100) -> list[FeedEvent]:
        params = {"after": after, "limit": limit}
        return self._call(list[FeedEvent], "GET", "/api/device/events", params=params)
