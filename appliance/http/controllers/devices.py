"""The hardware service's API (``X-Device-Key``): leases, results, states, presses, feed."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Controller, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from appliance.http.deps import ServicesDep
from appliance.http.schemas import (
    ButtonPressIn,
    ClaimIn,
    DeviceAlertIn,
    DeviceStatusIn,
    FailedIn,
    InboundSmsIn,
    RatingPressIn,
    SentIn,
)
from appliance.services.case_notice_store import CaseNoticeService
from appliance.services.device_service import DeviceView, FeedEvent, RatingPress
from appliance.services.print_jobs import PrintJobClaim, PrintJobView
from appliance.services.sms_service import SmsClaim, SmsView
from appliance.services.views import TicketView

DEVICE = {"device": True}


@dataclass
class ButtonTicket:
    ticket: TicketView
    print_job: PrintJobClaim


class DeviceController(Controller):
    path = "/api/device"

    @post("/button-press", opt=DEVICE, sync_to_thread=True)
    def button_press(self, data: JSONBody[ButtonPressIn], services: ServicesDep) -> ButtonTicket:
        """叫号按钮: the ticket, with its receipt job already leased to the caller."""
        category = data.category or services.settings.button_category
        ticket, job = services.queue.issue_from_button(category, data.priority, data.lease_seconds)
        return ButtonTicket(ticket, job)

    @post("/print-jobs/claim", opt=DEVICE, sync_to_thread=True)
    def claim_print_jobs(self, data: JSONBody[ClaimIn], services: ServicesDep) -> list[PrintJobClaim]:
        return services.print_jobs.claim(data.kinds, data.limit, data.lease_seconds)

    @post("/print-jobs/{job_id:str}/done", opt=DEVICE, sync_to_thread=True)
    def print_done(self, job_id: FromPath[str], services: ServicesDep) -> PrintJobView:
        return services.print_jobs.mark_done(job_id)

    @post("/print-jobs/{job_id:str}/failed", opt=DEVICE, sync_to_thread=True)
    def print_failed(
        self, job_id: FromPath[str], data: JSONBody[FailedIn], services: ServicesDep
    ) -> PrintJobView:
        return services.print_jobs.mark_failed(job_id, data.error, data.permanent)

    @get("/case-notices/{notice_id:str}/pdf", opt=DEVICE, sync_to_thread=True)
    def case_notice_pdf(self, notice_id: FromPath[str], services: ServicesDep) -> Response[bytes]:
        """The kept PDF of a case notice for the A4 printer, verified against its SHA-256."""
        notices = CaseNoticeService(services.db, services.settings, services.clock)
        return Response(notices.device_pdf(notice_id), media_type="application/pdf")

    @post("/sms/claim", opt=DEVICE, sync_to_thread=True)
    def claim_sms(self, data: JSONBody[ClaimIn], services: ServicesDep) -> list[SmsClaim]:
        return services.sms.claim(data.limit, data.lease_seconds)

    @post("/sms/{sms_id:str}/sent", opt=DEVICE, sync_to_thread=True)
    def sms_sent(self, sms_id: FromPath[str], data: JSONBody[SentIn], services: ServicesDep) -> SmsView:
        return services.sms.mark_sent(sms_id, data.references)

    @post("/sms/{sms_id:str}/failed", opt=DEVICE, sync_to_thread=True)
    def sms_failed(
        self, sms_id: FromPath[str], data: JSONBody[FailedIn], services: ServicesDep
    ) -> SmsView:
        return services.sms.mark_failed(sms_id, data.error, data.permanent)

    @post("/sms/inbound", opt=DEVICE, sync_to_thread=True)
    def sms_inbound(self, data: JSONBody[InboundSmsIn], services: ServicesDep) -> dict[str, str]:
        return {"id": services.sms.store_inbound(data.phone, data.body, data.received_at)}

    @post("/status", opt=DEVICE, sync_to_thread=True)
    def status(self, data: JSONBody[DeviceStatusIn], services: ServicesDep) -> DeviceView:
        return services.devices.report(data.device, data.state, data.label, data.detail)

    @post("/alerts", opt=DEVICE, sync_to_thread=True)
    def alert(self, data: JSONBody[DeviceAlertIn], services: ServicesDep) -> dict[str, bool]:
        return {"changed": services.devices.set_alert(data.kind, data.message, data.active)}

    @post("/ratings", opt=DEVICE, sync_to_thread=True)
    def rating(self, data: JSONBody[RatingPressIn], services: ServicesDep) -> RatingPress:
        return services.devices.rating_press(data.window, data.level)

    @get("/events", opt=DEVICE, sync_to_thread=True)
    def events(self, services: ServicesDep, after: FromQuery[int] = 0, limit: FromQuery[int] = 100) -> list[FeedEvent]:
        return services.devices.feed(after, limit)
