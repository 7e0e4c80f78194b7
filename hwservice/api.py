"""HTTP client of the device API (``X-Device-Key``). Network trouble is ``ApiUnavailable``."""

from __future__ import annotations

from typing import Any

import httpx


class ApiUnavailable(Exception):
    """The station server cannot be reached now; retry later."""


class ApiRefused(Exception):
    """The server refused the request (4xx); ``message`` is its Chinese explanation."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class DeviceApi:
    def __init__(
        self,
        server_url: str,
        device_key: str,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.client = httpx.Client(
            base_url=server_url.rstrip("/"),
            timeout=timeout,
            transport=transport,
            headers={"X-Device-Key": device_key},
        )

    def close(self) -> None:
        self.client.close()

    def _request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        try:
            r = self.client.request(method, path, **kw)
        except httpx.HTTPError as exc:
            raise ApiUnavailable(f"无法连接服务器：{exc}") from exc
        if r.status_code >= 500:
            raise ApiUnavailable(f"服务器错误 {r.status_code}")
        if r.status_code >= 400:
            try:
                message = str(r.json().get("message", r.text))
            except ValueError:
                message = r.text
            raise ApiRefused(r.status_code, message)
        return r

    def _call(self, method: str, path: str, **kw: Any) -> Any:
        return self._request(method, path, **kw).json()

    # tickets, ratings, alerts
    def press(self, long: bool = False, category: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"priority": "vulnerable" if long else "normal"}
        if category:
            body["category"] = category
        result: dict[str, Any] = self._call("POST", "/api/device/tickets", json=body)
        return result

    def button_press(self, long: bool = False, lease_seconds: float = 60) -> dict[str, Any]:
        """Issue a button ticket; the answer carries its receipt job, leased to us."""
        body = {"priority": "vulnerable" if long else "normal", "lease_seconds": lease_seconds}
        result: dict[str, Any] = self._call("POST", "/api/device/button-press", json=body)
        return result

    def rating(self, window: int, level: int) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "POST", "/api/device/ratings", json={"window": str(window), "level": level}
        )
        return result

    def set_alert(self, kind: str, message: str, active: bool) -> None:
        self._call(
            "POST", "/api/device/alerts", json={"kind": kind, "message": message, "active": active}
        )

    def report_status(self, device: str, state: str, label: str, detail: str = "") -> None:
        self._call(
            "POST",
            "/api/device/status",
            json={"device": device, "state": state, "label": label, "detail": detail},
        )

    # print jobs
    def claim_print_jobs(
        self, kinds: list[str], limit: int = 5, lease_seconds: float = 60
    ) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call(
            "POST",
            "/api/device/print-jobs/claim",
            json={"kinds": kinds, "limit": limit, "lease_seconds": lease_seconds},
        )
        return result

    def print_done(self, job_id: str) -> None:
        self._call("POST", f"/api/device/print-jobs/{job_id}/done")

    def print_failed(self, job_id: str, error: str, permanent: bool = False) -> None:
        self._call(
            "POST",
            f"/api/device/print-jobs/{job_id}/failed",
            json={"error": error, "permanent": permanent},
        )

    def case_notice_pdf(self, notice_id: str) -> bytes:
        """The PDF kept with a case (the server checks its SHA-256 before sending it)."""
        return self._request("GET", f"/api/device/case-notices/{notice_id}/pdf").content

    # sms
    def claim_sms(self, limit: int = 5, lease_seconds: float = 120) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call(
            "POST", "/api/device/sms/claim", json={"limit": limit, "lease_seconds": lease_seconds}
        )
        return result

    def sms_sent(self, sms_id: str, references: list[int]) -> None:
        self._call("POST", f"/api/device/sms/{sms_id}/sent", json={"references": references})

    def sms_failed(self, sms_id: str, error: str, permanent: bool) -> None:
        self._call(
            "POST",
            f"/api/device/sms/{sms_id}/failed",
            json={"error": error, "permanent": permanent},
        )

    def sms_inbound(self, phone: str, body: str, received_at: str) -> None:
        self._call(
            "POST",
            "/api/device/sms/inbound",
            json={"phone": phone, "body": body, "received_at": received_at},
        )

    # feed
    def last_seq(self) -> int:
        return int(self._call("GET", "/api/health")["event_seq"])

    def events(self, after: int, limit: int = 100) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call(
            "GET", "/api/device/events", params={"after": after, "limit": limit}
        )
        return result
