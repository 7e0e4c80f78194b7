"""Before a process starts: the station's device key and a clock that can be trusted (R-I3)."""

from __future__ import annotations

import logging
import sys

from appliance.settings import Settings


def device_key_ready(settings: Settings) -> bool:
    """Before serving: make the station's device key if there is none; refuse (False, with a
    Chinese message) the demo key or a weak key outside demo mode (R-I3)."""
    from appliance.staff.service.device_key import ensure_device_key, startup_problem

    if not settings.device_key:
        ensure_device_key(settings)
    problem = startup_problem(settings)
    if problem:
        print(problem, file=sys.stderr)
        return False
    return True


def with_device_key(settings: Settings) -> Settings:
    """The settings the hardware service and ``yizhan button`` use: the station's key."""
    import dataclasses

    from appliance.staff.service.device_key import client_device_key

    return dataclasses.replace(settings, device_key=client_device_key(settings))


def trusted_start(settings: Settings, host: str, port: int) -> bool:
    """Before serving: finish a restore cut short, and hold with the restricted clock
    server until the clock can be trusted (False: stopped while waiting)."""
    from appliance.backup.restore import recover_interrupted_restore
    from appliance.clock.gate import hold_until_clock_ok
    from appliance.clock.service import ClockGuard, SystemTimeSetter
    from appliance.core.clock import SystemClock
    from appliance.db.database import Database

    recovered = recover_interrupted_restore(settings.data_path)
    if recovered:
        logging.getLogger("yizhan.server").warning("%s", recovered)
    from yizhan.upgrade import recover_upgrade

    recover_upgrade(settings)
    db = Database(settings.sqlalchemy_url)
    guard = ClockGuard(db, settings, SystemClock(), SystemTimeSetter(settings.clock_set_command))
    try:
        return hold_until_clock_ok(guard, host, port)
    finally:
        db.dispose()
