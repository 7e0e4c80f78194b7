"""Queue endpoints: tickets and the staff actions of a window (R-Q1–R-Q6)."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from appliance.domain.errors import NotAllowed
from appliance.domain.queue_rules import TicketSource
from appliance.domain.roles import ALL_ROLES, ISSUE_ROLES, REJOIN_ROLES, WINDOW_ROLES
from appliance.http.deps import PrincipalDep, ServicesDep
from appliance.http.schemas import (
    CallTicketIn,
    DeviceIssueIn,
    IssueIn,
    KioskIssueIn,
    PauseIn,
    TransferIn,
)
from appliance.services.views import QueueSnapshot, TicketView, WindowState

WINDOW = {"roles": WINDOW_ROLES}


class TicketController(Controller):
    path = "/api"

    @post("/kiosk/tickets", opt={"public": True}, sync_to_thread=True)
    def issue_from_kiosk(self, data: JSONBody[KioskIssueIn], services: ServicesDep) -> TicketView:
        """触摸取号: the public kiosk page."""
        return services.queue.issue(data.category, TicketSource.KIOSK, data.priority, data.phone)

    @post("/device/tickets", opt={"device": True}, sync_to_thread=True)
    def issue_from_button(self, data: JSONBody[DeviceIssueIn], services: ServicesDep) -> TicketView:
        """叫号按钮: the hardware service presents the device key."""
        category = data.category or services.settings.button_category
        return services.queue.issue(category, TicketSource.BUTTON, data.priority)

    @post("/tickets", opt={"roles": ISSUE_ROLES}, sync_to_thread=True)
    def issue_by_staff(
        self, data: JSONBody[IssueIn], services: ServicesDep, principal: PrincipalDep
    ) -> TicketView:
        """工作人员代取号, or appointment check-in."""
        if data.source not in (TicketSource.STAFF, TicketSource.APPOINTMENT):
            raise NotAllowed("工作人员取号来源只能是 staff 或 appointment", "bad_source")
        return services.queue.issue(
            data.category, data.source, data.priority, data.phone, issued_by=principal.staff_id
        )

    @get("/tickets/{ticket_id:str}/progress", opt={"public": True}, sync_to_thread=True)
    def progress(self, ticket_id: FromPath[str], services: ServicesDep) -> TicketView:
        """The visitor follows a ticket from its QR code."""
        return services.queue.progress(ticket_id)

    @post("/tickets/{ticket:str}/rejoin", opt={"roles": REJOIN_ROLES}, sync_to_thread=True)
    def rejoin(self, ticket: FromPath[str], services: ServicesDep) -> TicketView:
        return services.queue.rejoin(ticket)

    @get("/queue", opt={"roles": ALL_ROLES}, sync_to_thread=True)
    def queue(self, services: ServicesDep) -> QueueSnapshot:
        return services.windows.queue_snapshot()


class WindowController(Controller):
    path = "/api/windows/{window:str}"

    @get("/", opt={"roles": ALL_ROLES}, sync_to_thread=True)
    def state(self, window: FromPath[str], services: ServicesDep) -> WindowState:
        return services.windows.window_state(window)

    @post("/call-next", opt=WINDOW, sync_to_thread=True)
    def call_next(
        self, window: FromPath[str], services: ServicesDep, principal: PrincipalDep
    ) -> TicketView:
        return services.queue.call_next(window, principal.staff_id)

    @post("/call", opt=WINDOW, sync_to_thread=True)
    def call_ticket(
        self,
        window: FromPath[str],
        data: JSONBody[CallTicketIn],
        services: ServicesDep,
        principal: PrincipalDep,
    ) -> TicketView:
        return services.queue.call_specific(window, data.ticket, principal.staff_id)

    @post("/recall", opt=WINDOW, sync_to_thread=True)
    def recall(self, window: FromPath[str], services: ServicesDep) -> TicketView:
        return services.queue.recall(window)

    @post("/start", opt=WINDOW, sync_to_thread=True)
    def start(self, window: FromPath[str], services: ServicesDep) -> TicketView:
        return services.queue.start(window)

    @post("/finish", opt=WINDOW, sync_to_thread=True)
    def finish(self, window: FromPath[str], services: ServicesDep) -> TicketView:
        return services.queue.finish(window)

    @post("/no-show", opt=WINDOW, sync_to_thread=True)
    def no_show(self, window: FromPath[str], services: ServicesDep) -> TicketView:
        return services.queue.no_show(window)

    @post("/transfer", opt=WINDOW, sync_to_thread=True)
    def transfer(
        self, window: FromPath[str], data: JSONBody[TransferIn], services: ServicesDep
    ) -> TicketView:
        return services.queue.transfer(window, data.to_window, data.to_category)

    @post("/pause", opt=WINDOW, sync_to_thread=True)
    def pause(
        self,
        window: FromPath[str],
        data: JSONBody[PauseIn],
        services: ServicesDep,
        principal: PrincipalDep,
    ) -> WindowState:
        return services.windows.pause(window, data.reason, principal.staff_id)

    @post("/resume", opt=WINDOW, sync_to_thread=True)
    def resume(
        self, window: FromPath[str], services: ServicesDep, principal: PrincipalDep
    ) -> WindowState:
        return services.windows.resume(window, principal.staff_id)
