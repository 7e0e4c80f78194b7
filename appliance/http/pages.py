"""The public pages (hall display, kiosk, ticket progress, staff board, case progress query)
and ``/api/health``. The pages are static HTML whose scripts call the feature APIs."""

from __future__ import annotations

import json
from pathlib import Path

from litestar import Controller, MediaType, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from appliance.core.clock import Clock
from appliance.core.schemas import StationHealth
from appliance.db.database import Database
from appliance.events.log import last_event_seq
from appliance.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
PUBLIC = {"public": True}
HTML = MediaType.HTML


def _page(name: str, headers: dict[str, str] | None = None) -> Response[bytes]:
    return Response(
        (STATIC / name).read_bytes(), media_type="text/html; charset=utf-8", headers=headers
    )


def _case_query_page() -> Response[bytes]:
    return _page("case-query.html", {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


class PublicController(Controller):
    path = "/"

    @get("/api/health", opt=PUBLIC, sync_to_thread=True)
    def health(
        self,
        settings: NamedDependency[Settings],
        clock: NamedDependency[Clock],
        db: NamedDependency[Database],
    ) -> StationHealth:
        return StationHealth(
            ok=True,
            station_code=settings.station_code,
            station_name=settings.station_name,
            time=clock.now().isoformat(),
            event_seq=last_event_seq(db),
        )

    @get("/station.js", opt=PUBLIC, media_type="text/javascript", sync_to_thread=False)
    def station_script(self, settings: NamedDependency[Settings]) -> Response[bytes]:
        """The station's time zone for the pages' clocks and times (never the browser's)."""
        script = f"window.YZ_TZ = {json.dumps(settings.timezone)};\n"
        return Response(script.encode(), media_type="text/javascript; charset=utf-8")

    @get(["/", "/display"], opt=PUBLIC, media_type=HTML, sync_to_thread=False)
    def display_page(self) -> Response[bytes]:
        return _page("display.html")

    @get("/kiosk", opt=PUBLIC, media_type=HTML, sync_to_thread=False)
    def kiosk_page(self) -> Response[bytes]:
        return _page("kiosk.html")

    @get("/t/{ticket_id:str}", opt=PUBLIC, media_type=HTML, sync_to_thread=False)
    def progress_page(self, ticket_id: FromPath[str]) -> Response[bytes]:
        """排队进度: the page a ticket's QR code opens (the id is read by the page script)."""
        return _page("progress.html")

    @get("/board", opt=PUBLIC, media_type=HTML, sync_to_thread=False)
    def board_page(self) -> Response[bytes]:
        return _page("board.html")

    @get("/faq", opt=PUBLIC, media_type=HTML, sync_to_thread=False)
    def faq_page(self) -> Response[bytes]:
        """常见问题 (R-C3): the most-asked knowledge entries, read from ``/api/public/knowledge``."""
        return _page("faq.html")

    @get("/book", opt=PUBLIC, media_type=HTML, sync_to_thread=False)
    def booking_page(self) -> Response[bytes]:
        """网上预约 (R-Q7): slots from ``/api/public/appointments/slots``, booked by posting
        to ``/api/public/appointments`` (limited per address, confirmed by SMS)."""
        return _page("book.html", {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    @get("/cases", opt=PUBLIC, media_type=HTML, sync_to_thread=False)
    def case_query_form(self) -> Response[bytes]:
        """办件进度查询: 办件编号 + 手机号后4位, posted to ``/api/public/case-query`` (R-K7)."""
        return _case_query_page()

    @get("/cases/{case_number:str}", opt=PUBLIC, media_type=HTML, sync_to_thread=False)
    def case_query_page(self, case_number: FromPath[str]) -> Response[bytes]:
        """The QR target of a notice: the page script reads the number from the path."""
        return _case_query_page()

    @get("/rate", opt=PUBLIC, media_type=HTML, sync_to_thread=False)
    def rating_link_page(self) -> Response[bytes]:
        """服务评价 by the one-time link of a receipt or a case notice (R-E2); the token is
        in the fragment, which the page posts to ``/api/ratings/link``."""
        return _page("rate.html", {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    @get("/rate/window/{window:str}", opt=PUBLIC, media_type=HTML, sync_to_thread=False)
    def rating_window_page(self, window: FromPath[str]) -> Response[bytes]:
        """服务评价 on the window's tablet or the kiosk: the service just finished there (R-E2)."""
        return _page("rate.html", {"Cache-Control": "no-store"})
