"""Queue endpoints (R-Q1–R-Q6): tickets from every source, the staff actions of a window,
categories and windows, and the hall display's data and live stream."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

import anyio
import msgspec
from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.response import ServerSentEvent, ServerSentEventMessage

from appliance.core.errors import NotAllowed
from appliance.core.roles import (
    ALL_ROLES,
    ISSUE_ROLES,
    MANAGER_ROLES,
    REJOIN_ROLES,
    WINDOW_ROLES,
    Principal,
)
from appliance.db.database import Database
from appliance.events.log import last_event_seq
from appliance.jobs.schemas import PrintJobView
from appliance.jobs.service.print_jobs import PrintJobService
from appliance.queue.rules.tickets import TicketSource
from appliance.queue.schemas import (
    ButtonPressIn,
    ButtonTicket,
    CallTicketIn,
    CategoryEdit,
    CategoryIn,
    CategoryInfo,
    DisplaySnapshot,
    IssueIn,
    KioskIssueIn,
    PauseIn,
    QueueSnapshot,
    TicketView,
    TransferIn,
    WindowEdit,
    WindowIn,
    WindowInfo,
    WindowState,
)
from appliance.queue.service.station_config import StationConfigService
from appliance.queue.service.tickets import QueueService
from appliance.queue.service.windows import WindowService
from appliance.settings import Settings

PUBLIC = {"public": True}
DEVICE = {"device": True}
WINDOW = {"roles": WINDOW_ROLES}
MANAGER = {"roles": MANAGER_ROLES}
OPERATORS = {"roles": ISSUE_ROLES}
STREAM_POLL_SECONDS = 0.2
KEEPALIVE_SECONDS = 15.0

Queue = NamedDependency[QueueService]
Windows = NamedDependency[WindowService]
Me = NamedDependency[Principal]


class TicketController(Controller):
    path = "/api"

    @post("/kiosk/tickets", opt=PUBLIC, sync_to_thread=True)
    def issue_from_kiosk(self, data: JSONBody[KioskIssueIn], queue: Queue) -> TicketView:
        """触摸取号: the public kiosk page."""
        return queue.issue(data.category, TicketSource.KIOSK, data.priority, data.phone)

    @post("/device/button-press", opt=DEVICE, sync_to_thread=True)
    def button_press(
        self, data: JSONBody[ButtonPressIn], queue: Queue, settings: NamedDependency[Settings]
    ) -> ButtonTicket:
        """叫号按钮 (the real one and ``yizhan button``): the hardware service presents the
        device key; the ticket comes back with its receipt job already leased to the caller."""
        category = data.category or settings.button_category
        ticket, job = queue.issue_from_button(category, data.priority, data.lease_seconds)
        return ButtonTicket(ticket=ticket, print_job=job)

    @post("/tickets", opt={"roles": ISSUE_ROLES}, sync_to_thread=True)
    def issue_by_staff(self, data: JSONBody[IssueIn], queue: Queue, principal: Me) -> TicketView:
        """工作人员代取号, or appointment check-in."""
        if data.source not in (TicketSource.STAFF, TicketSource.APPOINTMENT):
            raise NotAllowed("工作人员取号来源只能是 staff 或 appointment", "bad_source")
        return queue.issue(
            data.category, data.source, data.priority, data.phone, issued_by=principal.staff_id
        )

    @get("/tickets/{ticket_id:str}/progress", opt=PUBLIC, sync_to_thread=True)
    def progress(self, ticket_id: FromPath[str], queue: Queue) -> TicketView:
        """The visitor follows a ticket from its QR code."""
        return queue.progress(ticket_id)

    @post("/tickets/{ticket:str}/rejoin", opt={"roles": REJOIN_ROLES}, sync_to_thread=True)
    def rejoin(self, ticket: FromPath[str], queue: Queue) -> TicketView:
        return queue.rejoin(ticket)

    @post("/tickets/{ticket_id:str}/reprint", opt=OPERATORS, sync_to_thread=True)
    def reprint_ticket(
        self,
        ticket_id: FromPath[str],
        queue: Queue,
        print_jobs: NamedDependency[PrintJobService],
        principal: Me,
    ) -> PrintJobView:
        """补打小票 for a ticket (by id or today's number)."""
        ticket = queue.find(ticket_id)
        job = print_jobs.for_ticket(ticket.id)
        return print_jobs.reprint(job.id, principal.staff_id)

    @get("/queue", opt={"roles": ALL_ROLES}, sync_to_thread=True)
    def queue(self, windows: Windows) -> QueueSnapshot:
        return windows.queue_snapshot()


class WindowController(Controller):
    """The actions of one window (R-Q3, R-Q6): only the staff member signed in at it (their
    account's assigned window), or the station head acting for it; everyone else 403."""

    path = "/api/windows/{window:str}"

    @get("/", opt={"roles": ALL_ROLES}, sync_to_thread=True)
    def state(self, window: FromPath[str], windows: Windows) -> WindowState:
        return windows.window_state(window)

    @post("/call-next", opt=WINDOW, sync_to_thread=True)
    def call_next(self, window: FromPath[str], queue: Queue, principal: Me) -> TicketView:
        return queue.call_next(window, principal.staff_id, principal)

    @post("/call", opt=WINDOW, sync_to_thread=True)
    def call_ticket(
        self, window: FromPath[str], data: JSONBody[CallTicketIn], queue: Queue, principal: Me
    ) -> TicketView:
        return queue.call_specific(window, data.ticket, principal.staff_id, principal)

    @post("/recall", opt=WINDOW, sync_to_thread=True)
    def recall(self, window: FromPath[str], queue: Queue, principal: Me) -> TicketView:
        return queue.recall(window, principal)

    @post("/start", opt=WINDOW, sync_to_thread=True)
    def start(self, window: FromPath[str], queue: Queue, principal: Me) -> TicketView:
        return queue.start(window, principal)

    @post("/finish", opt=WINDOW, sync_to_thread=True)
    def finish(self, window: FromPath[str], queue: Queue, principal: Me) -> TicketView:
        return queue.finish(window, principal)

    @post("/no-show", opt=WINDOW, sync_to_thread=True)
    def no_show(self, window: FromPath[str], queue: Queue, principal: Me) -> TicketView:
        return queue.no_show(window, principal)

    @post("/transfer", opt=WINDOW, sync_to_thread=True)
    def transfer(
        self, window: FromPath[str], data: JSONBody[TransferIn], queue: Queue, principal: Me
    ) -> TicketView:
        return queue.transfer(window, data.to_window, data.to_category, principal)

    @post("/pause", opt=WINDOW, sync_to_thread=True)
    def pause(
        self, window: FromPath[str], data: JSONBody[PauseIn], windows: Windows, principal: Me
    ) -> WindowState:
        return windows.pause(window, data.reason, principal.staff_id, principal)

    @post("/resume", opt=WINDOW, sync_to_thread=True)
    def resume(self, window: FromPath[str], windows: Windows, principal: Me) -> WindowState:
        return windows.resume(window, principal.staff_id, principal)


class StationController(Controller):
    """Categories and windows: read by everyone, changed by the station manager."""

    path = "/api"

    @get("/categories", opt=PUBLIC, sync_to_thread=True)
    def categories(self, config: NamedDependency[StationConfigService]) -> list[CategoryInfo]:
        return config.categories()

    @post("/categories", opt=MANAGER, sync_to_thread=True)
    def add_category(
        self, data: JSONBody[CategoryIn], config: NamedDependency[StationConfigService]
    ) -> CategoryInfo:
        return config.add_category(data.prefix, data.name, data.prior_minutes)

    @put("/categories/{ref:str}", opt=MANAGER, sync_to_thread=True)
    def edit_category(
        self,
        ref: FromPath[str],
        data: JSONBody[CategoryEdit],
        config: NamedDependency[StationConfigService],
    ) -> CategoryInfo:
        return config.edit_category(ref, data.name, data.prior_minutes)

    @get("/windows", opt=PUBLIC, sync_to_thread=True)
    def windows(self, config: NamedDependency[StationConfigService]) -> list[WindowInfo]:
        return config.windows()

    @post("/windows", opt=MANAGER, sync_to_thread=True)
    def add_window(
        self, data: JSONBody[WindowIn], config: NamedDependency[StationConfigService]
    ) -> WindowInfo:
        return config.add_window(data.number, data.name, data.categories)

    @put("/windows/{ref:str}", opt=MANAGER, sync_to_thread=True)
    def edit_window(
        self,
        ref: FromPath[str],
        data: JSONBody[WindowEdit],
        config: NamedDependency[StationConfigService],
    ) -> WindowInfo:
        return config.edit_window(ref, data.name, data.categories)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


async def display_events(
    windows: WindowService, db: Database
) -> AsyncGenerator[ServerSentEventMessage, None]:
    """Push a fresh display snapshot whenever the event log grows (<1 s after a call)."""
    last_seq = -1
    quiet = 0.0
    while True:
        seq = await anyio.to_thread.run_sync(last_event_seq, db)
        if seq != last_seq:
            snap = await anyio.to_thread.run_sync(windows.display_snapshot)
            last_seq = snap.event_seq
            quiet = 0.0
            fields = msgspec.to_builtins(snap, builtin_types=(datetime,))
            data = json.dumps(fields, ensure_ascii=False, default=_json_default)
            yield ServerSentEventMessage(data=data, event="display", id=str(last_seq))
        elif quiet >= KEEPALIVE_SECONDS:
            quiet = 0.0
            yield ServerSentEventMessage(comment="keepalive")
        await anyio.sleep(STREAM_POLL_SECONDS)
        quiet += STREAM_POLL_SECONDS


class DisplayController(Controller):
    """The hall display (叫号屏): a snapshot, and a live stream of snapshots (SSE)."""

    path = "/api/display"

    @get("/", opt=PUBLIC, sync_to_thread=True)
    def display(self, windows: Windows) -> DisplaySnapshot:
        return windows.display_snapshot()

    @get("/stream", opt=PUBLIC, media_type="text/event-stream")
    async def display_stream(
        self, windows: Windows, db: NamedDependency[Database]
    ) -> ServerSentEvent:
        return ServerSentEvent(display_events(windows, db))
