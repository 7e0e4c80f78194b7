"""Staff view of print jobs, SMS, templates and device states: cancel, retry, reprint."""

from __future__ import annotations

from litestar import Controller, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from appliance.domain.roles import ALL_ROLES, ISSUE_ROLES, MANAGER_ROLES
from appliance.http.deps import PrincipalDep, ServicesDep
from appliance.http.schemas import TemplateIn
from appliance.services.device_service import DeviceView
from appliance.services.print_jobs import PrintJobView
from appliance.services.sms_service import SmsView, TemplateView

STAFF = {"roles": ALL_ROLES}
OPERATORS = {"roles": ISSUE_ROLES}


class JobsController(Controller):
    path = "/api"

    @get("/print-jobs", opt=STAFF, sync_to_thread=True)
    def print_jobs(self, services: ServicesDep, status: FromQuery[str | None] = None) -> list[PrintJobView]:
        return services.print_jobs.list_jobs(status)

    @post("/print-jobs/{job_id:str}/cancel", opt=OPERATORS, sync_to_thread=True)
    def cancel_print(
        self, job_id: FromPath[str], services: ServicesDep, principal: PrincipalDep
    ) -> PrintJobView:
        return services.print_jobs.cancel(job_id, principal.staff_id)

    @post("/print-jobs/{job_id:str}/reprint", opt=OPERATORS, sync_to_thread=True)
    def reprint(
        self, job_id: FromPath[str], services: ServicesDep, principal: PrincipalDep
    ) -> PrintJobView:
        return services.print_jobs.reprint(job_id, principal.staff_id)

    @post("/tickets/{ticket_id:str}/reprint", opt=OPERATORS, sync_to_thread=True)
    def reprint_ticket(
        self, ticket_id: FromPath[str], services: ServicesDep, principal: PrincipalDep
    ) -> PrintJobView:
        """补打小票 for a ticket (by id or today's number)."""
        ticket = services.queue.find(ticket_id)
        job = services.print_jobs.for_ticket(ticket.id)
        return services.print_jobs.reprint(job.id, principal.staff_id)

    @get("/sms", opt=STAFF, sync_to_thread=True)
    def sms(self, services: ServicesDep, status: FromQuery[str | None] = None) -> list[SmsView]:
        return services.sms.list_messages(status)

    @post("/sms/{sms_id:str}/cancel", opt=OPERATORS, sync_to_thread=True)
    def cancel_sms(
        self, sms_id: FromPath[str], services: ServicesDep, principal: PrincipalDep
    ) -> SmsView:
        return services.sms.cancel(sms_id, principal.staff_id)

    @post("/sms/{sms_id:str}/retry", opt=OPERATORS, sync_to_thread=True)
    def retry_sms(
        self, sms_id: FromPath[str], services: ServicesDep, principal: PrincipalDep
    ) -> SmsView:
        return services.sms.retry(sms_id, principal.staff_id)

    @get("/sms-templates", opt=STAFF, sync_to_thread=True)
    def templates(self, services: ServicesDep) -> list[TemplateView]:
        return services.sms.templates()

    @put("/sms-templates/{kind:str}", opt={"roles": MANAGER_ROLES}, sync_to_thread=True)
    def set_template(
        self, kind: FromPath[str], data: JSONBody[TemplateIn], services: ServicesDep
    ) -> TemplateView:
        return services.sms.set_template(kind, data.body)

    @get("/devices", opt=STAFF, sync_to_thread=True)
    def devices(self, services: ServicesDep) -> list[DeviceView]:
        return services.devices.states()
