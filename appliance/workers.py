"""Background workers of the server process: each loops until ``stop`` and never dies of an error."""

from __future__ import annotations

import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable

from sqlalchemy import text

from appliance.appointments.service.sweep import AppointmentSweep
from appliance.archives.service.sweep import archive_pass
from appliance.cases.service.sweep import CaseSweep
from appliance.consultations.service.sweep import ConsultationSweep
from appliance.desk.service.sweep import DeskSweep
from appliance.devices.watch import hardware_watch
from appliance.faults.watch import fault_watch
from appliance.ratings.service.sweep import RatingSweep
from appliance.sdnotify import Watchdog, watchdog_seconds
from appliance.wiring import Services

log = logging.getLogger("yizhan.server")

BackgroundWorker = Callable[[Services, threading.Event], None]


def absence_watch(services: Services, stop: threading.Event) -> None:
    """Periodically raise alerts for pauses past the allowed absence (R-Q6)."""
    while not stop.wait(services.settings.alert_check_seconds):
        try:
            for alert in services.windows.check_absences():
                log.warning("alert: %s", alert.message)
        except Exception:  # keep watching; the next round retries
            log.exception("absence check failed")


FIRST_SWEEP_S = 10.0


def case_sweep_watch(services: Services, stop: threading.Event) -> None:
    """Server worker: sweep every ``case_sweep_seconds`` (0 = off) until ``stop``.

    The first pass comes soon after start-up (at most ``FIRST_SWEEP_S``), so alerts and
    auto-acceptances missed while the station was off are there when staff log in.
    """
    interval = services.settings.case_sweep_seconds
    if interval <= 0:
        return
    sweep = CaseSweep(services.db, services.settings, services.clock)
    wait = min(interval, FIRST_SWEEP_S)
    while not stop.wait(wait):
        wait = interval
        try:
            report = sweep.run()
        except Exception:  # keep sweeping; the next round retries
            log.exception("case sweep failed")
            continue
        for line in report.lines:
            log.info("case sweep: %s %s", line.what, line.case_number)


def consultation_watch(services: Services, stop: threading.Event) -> None:
    """Server worker: alerts for consultations past their agreed reply date (R-C2), every
    ``consultation_check_seconds`` (0 = off); the first check soon after start-up."""
    interval = services.settings.consultation_check_seconds
    if interval <= 0:
        return
    sweep = ConsultationSweep(services.db, services.settings.timezone, services.clock)
    wait = min(interval, FIRST_SWEEP_S)
    while not stop.wait(wait):
        wait = interval
        try:
            report = sweep.run()
        except Exception:  # keep checking; the next round retries
            log.exception("consultation check failed")
            continue
        for number in report.raised:
            log.warning("alert: consultation %s is past its reply date", number)


def rating_watch(services: Services, stop: threading.Event) -> None:
    """Server worker (``rating_sweep_seconds``, 0 = off): SMS rating replies, defaults for
    services left unrated, overdue follow-ups (R-E2, R-E3)."""
    interval = services.settings.rating_sweep_seconds
    if interval <= 0:
        return
    sweep = RatingSweep(services.ratings, services.followups)
    wait = min(interval, FIRST_SWEEP_S)
    while not stop.wait(wait):
        wait = interval
        try:
            report = sweep.run()
        except Exception:  # keep sweeping; the next round retries
            log.exception("rating sweep failed")
            continue
        for line in report.lines:
            log.info("rating sweep: %s", line)


def archive_watch(services: Services, stop: threading.Event) -> None:
    """Server worker: build due archive packages and alert on late ones (R-A1), every
    ``archive_sweep_seconds`` (0 = off); the first pass soon after start-up."""
    interval = services.settings.archive_sweep_seconds
    if interval <= 0:
        return
    wait = min(interval, FIRST_SWEEP_S)
    while not stop.wait(wait):
        wait = interval
        try:
            report = archive_pass(services.archives)
        except Exception:  # keep filing; the next pass retries
            log.exception("archive pass failed")
            continue
        for number in report.built:
            log.info("archive package built: %s", number)
        for line in report.failed:
            log.warning("archive package not built: %s", line)


def desk_watch(services: Services, stop: threading.Event) -> None:
    """Server worker: alerts for complex "办不成事" entries past their 5 working days (R-P1),
    every ``desk_check_seconds`` (0 = off); the first check soon after start-up."""
    interval = services.settings.desk_check_seconds
    if interval <= 0:
        return
    sweep = DeskSweep(services.db, services.settings.timezone, services.clock)
    wait = min(interval, FIRST_SWEEP_S)
    while not stop.wait(wait):
        wait = interval
        try:
            report = sweep.run()
        except Exception:  # keep checking; the next round retries
            log.exception("desk check failed")
            continue
        for number in report.raised:
            log.warning("alert: 办不成事 %s is past its 5 working days", number)


def appointment_watch(services: Services, stop: threading.Event) -> None:
    """Server worker: forfeit missed appointments and queue the reminders of the day before
    (R-Q7), every ``appointment_sweep_seconds`` (0 = off); the first pass soon after start-up."""
    interval = services.settings.appointment_sweep_seconds
    if interval <= 0:
        return
    sweep = AppointmentSweep(services.db, services.settings, services.clock)
    wait = min(interval, FIRST_SWEEP_S)
    while not stop.wait(wait):
        wait = interval
        try:
            report = sweep.run()
        except Exception:  # keep sweeping; the next round retries
            log.exception("appointment sweep failed")
            continue
        for number in report.forfeited:
            log.info("appointment forfeited: %s", number)


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
    """Server worker: ping systemd's watchdog (WatchdogSec=, 看门狗) after each check that the
    database and the HTTP loop answer, every half period. A no-op outside systemd."""
    period = watchdog_seconds()
    if period is None:
        return
    dog = Watchdog(min_interval=0.0)
    while not stop.wait(period / 2 if dog.sent else 0.5):
        if server_alive(services):
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
