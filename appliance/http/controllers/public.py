"""Public endpoints: hall display data and its live stream, the staff board, pages, health."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio
from litestar import Controller, Response, get
from litestar.params import FromPath
from litestar.response import ServerSentEvent, ServerSentEventMessage

from appliance.http.deps import ServicesDep
from appliance.services.staff_service import BoardEntry
from appliance.services.views import DisplaySnapshot

STATIC = Path(__file__).resolve().parent.parent / "static"
PUBLIC = {"public": True}
STREAM_POLL_SECONDS = 0.2
KEEPALIVE_SECONDS = 15.0


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


async def display_events(services: ServicesDep) -> AsyncGenerator[ServerSentEventMessage, None]:
    """Push a fresh display snapshot whenever the event log grows (<1 s after a call)."""
    last_seq = -1
    quiet = 0.0
    while True:
        seq = await anyio.to_thread.run_sync(services.db.last_event_seq)
        if seq != last_seq:
            snap = await anyio.to_thread.run_sync(services.windows.display_snapshot)
            last_seq = snap.event_seq
            quiet = 0.0
            data = json.dumps(asdict(snap), ensure_ascii=False, default=_json_default)
            yield ServerSentEventMessage(data=data, event="display", id=str(last_seq))
        elif quiet >= KEEPALIVE_SECONDS:
            quiet = 0.0
            yield ServerSentEventMessage(comment="keepalive")
        await anyio.sleep(STREAM_POLL_SECONDS)
        quiet += STREAM_POLL_SECONDS


def _page(name: str) -> Response[bytes]:
    return Response((STATIC / name).read_bytes(), media_type="text/html; charset=utf-8")


class PublicController(Controller):
    path = "/"

    @get("/api/display", opt=PUBLIC, sync_to_thread=True)
    def display(self, services: ServicesDep) -> DisplaySnapshot:
        return services.windows.display_snapshot()

    @get("/api/display/stream", opt=PUBLIC)
    async def display_stream(self, services: ServicesDep) -> ServerSentEvent:
        return ServerSentEvent(display_events(services))

    @get("/api/board", opt=PUBLIC, sync_to_thread=True)
    def board(self, services: ServicesDep) -> list[BoardEntry]:
        """公示栏 (R-T1)."""
        return services.staff.board()

    @get("/api/health", opt=PUBLIC, sync_to_thread=True)
    def health(self, services: ServicesDep) -> dict[str, Any]:
        return {
            "ok": True,
            "station_code": services.settings.station_code,
            "station_name": services.settings.station_name,
            "time": services.clock.now().isoformat(),
            "event_seq": services.db.last_event_seq(),
        }

    @get(["/", "/display"], opt=PUBLIC, sync_to_thread=False)
    def display_page(self) -> Response[bytes]:
        return _page("display.html")

    @get("/kiosk", opt=PUBLIC, sync_to_thread=False)
    def kiosk_page(self) -> Response[bytes]:
        return _page("kiosk.html")

    @get("/t/{ticket_id:str}", opt=PUBLIC, sync_to_thread=False)
    def progress_page(self, ticket_id: FromPath[str]) -> Response[bytes]:
        """排队进度: the page a ticket's QR code opens (the id is read by the page script)."""
        return _page("progress.html")

    @get("/board", opt=PUBLIC, sync_to_thread=False)
    def board_page(self) -> Response[bytes]:
        return _page("board.html")
