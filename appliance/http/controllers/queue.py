"""Queue endpoints: tickets and the staff actions of a window (R-Q1–R-Q6)."""

from __future__ import annotations

from litestar import Controller, get, post

from appliance.domain.errors import NotAllowed
from appliance.domain.queue_rules import TicketSource
from appliance.domain.roles import ALL_ROLES, ISSUE_ROLES, REJOIN_ROLES, WINDOW_ROLES
from appliance.http.schemas import CallTicketIn, DeviceIssueIn, IssueIn, KioskIssueIn, PauseIn, TransferIn
from appliance.services.container import Services
from appliance.services.staff_service import Principal
from appliance.services.views import QueueSnapshot, TicketView, WindowState

WINDOW = {"roles": WINDOW_ROLES}


class TicketController(Controller):
    path = "/api"

    @post("/kiosk/tickets", opt={"public": True}, sync_to_thread=True)
    def issue_from_kiosk(self, data: KioskIssueIn, services: Services) -> TicketView:
        """触摸取号: the public kiosk page."""
        return services.queue.issue(data.category, TicketSource.KIOSK, data.priority, data.phone)

    @post("/device/tickets", opt={"device": True}, sync_to_thread=True)
    def issue_from_button(self, data: DeviceIssueIn, services: Services) -> TicketView:
        """叫号按钮: the hardware service presents the device key."""
        category = data.category or services.settings.button_category
        return services.queue.issue(category, TicketSource.BUTTON, data.priority)

    @post("/tickets", opt={"roles": ISSUE_ROLES}, sync_to_thread=True)
    def issue_by_staff(self, data: IssueIn, services: Services, principal: Principal) -> TicketView:
        """工作人员代取号, or appointment check-in."""
        if data.source not in (TicketSource.STAFF, TicketSource.APPOINTMENT):
            raise NotAllowed("工作人员取号来源只能是 staff 或 appointment", "bad_source")
        return services.queue.issue(
            data.category, data.source, data.priority, data.phone, issued_by=principal.staff_id
        )

    @get("/tickets/{ticket_id:str}/progress", opt={"public": True}, sync_to_thread=True)
    def progress(self, ticket_id: str, services: Services) -> TicketView:
        """The visitor follows a ticket from its QR code."""
        return services.queue.progress(ticket_id)

    @post("/tickets/{ticket:str}/rejoin", opt={"roles": REJOIN_ROLES}, sync_to_thread=True)
    def rejoin(self, ticket: str, services: Services) -> TicketView:
        return services.queue.rejoin(ticket)

    @get("/queue", opt={"roles": ALL_ROLES}, sync_to_thread=True)
    def queue(self, services: Services) -> QueueSnapshot:
        return services.windows.queue_snapshot()


class WindowController(Controller):
    path = "/api/windows/{window:str}"

    @get("/", opt={"roles": ALL_ROLES}, sync_to_thread=True)
    def state(self, window: str, services: Services) -> WindowState:
        return services.windows.window_state(window)

    @post("/call-next", opt=WINDOW, sync_to_thread=True)
    def call_next(self, window: str, services: Services, principal: Principal) -> TicketView:
        return services.queue.call_next(window, principal.staff_id)

    @post("/call", opt=WINDOW, sync_to_thread=True)
    def call_ticket(
        self, window: str, data: CallTicketIn, services: Services, principal: Principal
    ) -> TicketView:
        return services.queue.call_specific(window, data.ticket, principal.staff_id)

    @post("/recall", opt=WINDOW, sync_to_thread=True)
    def recall(self, window: str, services: Services) -> TicketView:
        return services.queue.recall(window)

    @post("/start", opt=WINDOW, sync_to_thread=True)
    def start(self, window: str, services: Services) -> TicketView:
        return services.queue.start(window)

    @post("/finish", opt=WINDOW, sync_to_thread=True)
    def finish(self, window: str, services: Services) -> TicketView:
        return services.queue.finish(window)

    @post("/no-show", opt=WINDOW, sync_to_thread=True)
    def no_show(self, window: str, services: Services) -> TicketView:
        return services.queue.no_show(window)

    @post("/transfer", opt=WINDOW, sync_to_thread=True)
    def transfer(self, window: str, data: TransferIn, services: Services) -> TicketView:
        return services.queue.transfer(window, data.to_window, data.to_category)

    @post("/pause", opt=WINDOW, sync_to_thread=True)
    def pause(self, window: str, data: PauseIn, services: Services, principal: Principal) -> WindowState:
        return services.windows.pause(window, data.reason, principal.staff_id)

    @post("/resume", opt=WINDOW, sync_to_thread=True)
    def resume(self, window: str, services: Services, principal: Principal) -> WindowState:
        return services.windows.resume(window, principal.staff_id)
