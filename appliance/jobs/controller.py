"""The job queues over HTTP: staff see, cancel, retry and reprint print jobs and SMS, and edit
SMS templates; the hardware service (``X-Device-Key``) leases jobs and reports results."""

from __future__ import annotations

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from appliance.core.roles import ALL_ROLES, ISSUE_ROLES, MANAGER_ROLES, Principal
from appliance.jobs.schemas import (
    ClaimIn,
    FailedIn,
    InboundSmsIn,
    InboundStored,
    PrintJobClaim,
    PrintJobView,
    SentIn,
    SmsClaim,
    SmsView,
    TemplateIn,
    TemplateView,
)
from appliance.jobs.service.print_jobs import PrintJobService
from appliance.jobs.service.sms import SmsService

STAFF = {"roles": ALL_ROLES}
OPERATORS = {"roles": ISSUE_ROLES}
DEVICE = {"device": True}

PrintJobs = NamedDependency[PrintJobService]
Sms = NamedDependency[SmsService]
Me = NamedDependency[Principal]


class JobsController(Controller):
    path = "/api"

    @get("/print-jobs", opt=STAFF, sync_to_thread=True)
    def print_jobs(
        self, print_jobs: PrintJobs, status: FromQuery[str | None] = None
    ) -> list[PrintJobView]:
        return print_jobs.list_jobs(status)

    @post("/print-jobs/{job_id:str}/cancel", opt=OPERATORS, sync_to_thread=True)
    def cancel_print(
        self, job_id: FromPath[str], print_jobs: PrintJobs, principal: Me
    ) -> PrintJobView:
        return print_jobs.cancel(job_id, principal.staff_id)

    @post("/print-jobs/{job_id:str}/reprint", opt=OPERATORS, sync_to_thread=True)
    def reprint(self, job_id: FromPath[str], print_jobs: PrintJobs, principal: Me) -> PrintJobView:
        return print_jobs.reprint(job_id, principal.staff_id)

    @get("/sms", opt=STAFF, sync_to_thread=True)
    def sms(self, sms: Sms, status: FromQuery[str | None] = None) -> list[SmsView]:
        return sms.list_messages(status)

    @post("/sms/{sms_id:str}/cancel", opt=OPERATORS, sync_to_thread=True)
    def cancel_sms(self, sms_id: FromPath[str], sms: Sms, principal: Me) -> SmsView:
        return sms.cancel(sms_id, principal.staff_id)

    @post("/sms/{sms_id:str}/retry", opt=OPERATORS, sync_to_thread=True)
    def retry_sms(self, sms_id: FromPath[str], sms: Sms, principal: Me) -> SmsView:
        return sms.retry(sms_id, principal.staff_id)

    @get("/sms-templates", opt=STAFF, sync_to_thread=True)
    def templates(self, sms: Sms) -> list[TemplateView]:
        return sms.templates()

    @put("/sms-templates/{kind:str}", opt={"roles": MANAGER_ROLES}, sync_to_thread=True)
    def set_template(
        self, kind: FromPath[str], data: JSONBody[TemplateIn], sms: Sms
    ) -> TemplateView:
        return sms.set_template(kind, data.body)


class DeviceJobsController(Controller):
    """What the hardware service leases: receipts and notices to print, SMS to send."""

    path = "/api/device"

    @post("/print-jobs/claim", opt=DEVICE, sync_to_thread=True)
    def claim_print_jobs(
        self, data: JSONBody[ClaimIn], print_jobs: PrintJobs
    ) -> list[PrintJobClaim]:
        return print_jobs.claim(data.kinds, data.limit, data.lease_seconds)

    @post("/print-jobs/{job_id:str}/done", opt=DEVICE, sync_to_thread=True)
    def print_done(self, job_id: FromPath[str], print_jobs: PrintJobs) -> PrintJobView:
        return print_jobs.mark_done(job_id)

    @post("/print-jobs/{job_id:str}/failed", opt=DEVICE, sync_to_thread=True)
    def print_failed(
        self, job_id: FromPath[str], data: JSONBody[FailedIn], print_jobs: PrintJobs
    ) -> PrintJobView:
        return print_jobs.mark_failed(job_id, data.error, data.permanent)

    @post("/sms/claim", opt=DEVICE, sync_to_thread=True)
    def claim_sms(self, data: JSONBody[ClaimIn], sms: Sms) -> list[SmsClaim]:
        return sms.claim(data.limit, data.lease_seconds)

    @post("/sms/{sms_id:str}/sent", opt=DEVICE, sync_to_thread=True)
    def sms_sent(self, sms_id: FromPath[str], data: JSONBody[SentIn], sms: Sms) -> SmsView:
        return sms.mark_sent(sms_id, data.references)

    @post("/sms/{sms_id:str}/failed", opt=DEVICE, sync_to_thread=True)
    def sms_failed(self, sms_id: FromPath[str], data: JSONBody[FailedIn], sms: Sms) -> SmsView:
        return sms.mark_failed(sms_id, data.error, data.permanent)

    @post("/sms/inbound", opt=DEVICE, sync_to_thread=True)
    def sms_inbound(self, data: JSONBody[InboundSmsIn], sms: Sms) -> InboundStored:
        return sms.store_inbound(data.phone, data.body, data.received_at)
