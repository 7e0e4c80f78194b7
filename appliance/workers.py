"""Background workers of the server process: each loops until ``stop`` and never dies of an error."""

from __future__ import annotations

import logging
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable

from sqlalchemy import text

from appliance.appointments.service.sweep import AppointmentSweep
from appliance.archives.service.sweep import archive_pass
from appliance.cases.service.sweep import CaseSweep
from appliance.consultations.service.sweep import ConsultationSweep
from appliance.desk.service.sweep import DeskSweep
from appliance.devices.watch import hardware_watch
from appliance.faults.watch import fault_watch
from appliance.ratings.service.sweep import RatingSweep
from appliance.sdnotify import ENV_SOCKET, Watchdog, notify, watchdog_seconds
from appliance.wiring import Services

log = logging.getLogger("yizhan.server")

BackgroundWorker = Callable[[Services, threading.Event], None]


def absence_watch(services: Services, stop: threading.Event) -> None:
    """Periodically raise alerts for pauses past the allowed absence (R-Q6), and mark windows
    whose clerk's session expired as unstaffed (issue 16, item 2)."""
    while not stop.wait(services.settings.alert_check_seconds):
        try:
            for alert in services.windows.check_absences():
                log.warning("alert: %s", alert.message)
            for number in services.staff.release_expired_windows():
                log.info("window %s: the clerk's session expired, now unstaffed", number)
        except Exception:  # keep watching; the next round retries
            log.exception("absence check failed")


FIRST_SWEEP_S = 10.0


def every(
    interval: float, stop: threading.Event, what: str, step: Callable[[], Iterable[str]]
) -> None:
    """Run ``step`` every ``interval`` seconds (0 = off) until ``stop``; the first run soon
    after start-up (at most ``FIRST_SWEEP_S``), so what was missed while the station was off
    is there when staff log in. Each line ``step`` returns is logged; an error is logged and
    the next round retries."""
    if interval <= 0:
        return
    wait = min(interval, FIRST_SWEEP_S)
    while not stop.wait(wait):
        wait = interval
        try:
            lines = list(step())
        except Exception:  # keep going; the next round retries
            log.exception("%s failed", what)
            continue
        for line in lines:
            log.info("%s: %s", what, line)


def case_sweep_watch(services: Services, stop: threading.Event) -> None:
    """逾期视为受理, 容缺逾期, reminders, overdue (R-K2–R-K6), every ``case_sweep_seconds``."""
    sweep = CaseSweep(services.db, services.settings, services.clock)

    def step() -> Iterable[str]:
        return (f"{line.what} {line.case_number}" for line in sweep.run().lines)

    every(services.settings.case_sweep_seconds, stop, "case sweep", step)


def consultation_watch(services: Services, stop: threading.Event) -> None:
    """Alerts for consultations past their agreed reply date (R-C2)."""
    sweep = ConsultationSweep(services.db, services.settings.timezone, services.clock)

    def step() -> Iterable[str]:
        return (f"alert: {n} is past its reply date" for n in sweep.run().raised)

    every(services.settings.consultation_check_seconds, stop, "consultation check", step)


def rating_watch(services: Services, stop: threading.Event) -> None:
    """SMS rating replies, defaults for services left unrated, overdue follow-ups (R-E2, R-E3)."""
    sweep = RatingSweep(services.ratings, services.followups)
    every(services.settings.rating_sweep_seconds, stop, "rating sweep", lambda: sweep.run().lines)


def archive_watch(services: Services, stop: threading.Event) -> None:
    """Build due archive packages and alert on late ones (R-A1)."""

    def step() -> Iterable[str]:
        report = archive_pass(services.archives)
        return [*(f"built {n}" for n in report.built), *(f"not built: {x}" for x in report.failed)]

    every(services.settings.archive_sweep_seconds, stop, "archive pass", step)


def desk_watch(services: Services, stop: threading.Event) -> None:
    """Alerts for complex "办不成事" entries past their 5 working days (R-P1)."""
    sweep = DeskSweep(services.db, services.settings.timezone, services.clock)

    def step() -> Iterable[str]:
        return (f"alert: {n} is past its 5 working days" for n in sweep.run().raised)

    every(services.settings.desk_check_seconds, stop, "desk check", step)


def appointment_watch(services: Services, stop: threading.Event) -> None:
    """Forfeit missed appointments and queue the reminders of the day before (R-Q7)."""
    sweep = AppointmentSweep(services.db, services.settings, services.clock)

    def step() -> Iterable[str]:
        return (f"forfeited {n}" for n in sweep.run().forfeited)

    every(services.settings.appointment_sweep_seconds, stop, "appointment sweep", step)


def server_alive(services: Services, timeout: float = 5.0) -> bool:
    """The server does real work: the database answers and the HTTP loop answers /api/health."""
    try:
        with services.db.read() as session:
            session.execute(text("SELECT 1"))
        host = services.settings.http_host
        host = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host
        url = f"http://{host}:{services.settings.http_port}/api/health"
        with urllib.request.urlopen(url, timeout=timeout):
            return True
    except urllib.error.HTTPError:  # any answer (even a 503 when busy): the HTTP loop serves
        return True
    except Exception:  # any failure: no ping, and systemd restarts a server that stays so
        log.warning("watchdog: the server did not answer its own check", exc_info=True)
        return False


def systemd_watchdog(services: Services, stop: threading.Event) -> None:
    """Server worker: tell systemd ``READY=1`` once the database and the HTTP loop first
    answer (the unit is ``Type=notify``: slow imports on a Pi Zero do not count against the
    watchdog), then ping its watchdog (WatchdogSec=, 看门狗) after each such check, every half
    period. A no-op outside systemd."""
    if not os.environ.get(ENV_SOCKET):
        return
    period = watchdog_seconds()
    dog = Watchdog(min_interval=0.0)
    ready = False
    while not stop.wait(period / 2 if period and ready else 0.5):
        if not server_alive(services):
            continue
        if not ready:
            ready = notify("READY=1")
        if period is None:
            return  # no watchdog: READY was all systemd asked for
        dog.progressed()


SERVER_WORKERS: list[BackgroundWorker] = [
    appointment_watch,
    archive_watch,
    absence_watch,
    case_sweep_watch,
    hardware_watch,
    consultation_watch,
    rating_watch,
    desk_watch,
    fault_watch,
    systemd_watchdog,
]
