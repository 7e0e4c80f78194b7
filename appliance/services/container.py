"""Wires services from settings, database and clock (one per process)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from appliance.domain.clock import Clock, SystemClock
from appliance.domain.wait_estimate import BusinessDay, parse_hhmm
from appliance.settings import Settings
from appliance.storage.database import Database

from .case_query import CaseQueryService
from .device_service import DeviceService
from .print_jobs import PrintJobService
from .queue_service import QueueService
from .sms_service import SmsService
from .staff_service import StaffService
from .station_config import StationConfigService
from .window_service import WindowService


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    queue: QueueService
    windows: WindowService
    staff: StaffService
    config: StationConfigService
    print_jobs: PrintJobService
    sms: SmsService
    devices: DeviceService
    case_query: CaseQueryService

    def close(self) -> None:
        self.db.dispose()


def build_services(
    settings: Settings, clock: Clock | None = None, db: Database | None = None
) -> Services:
    clock = clock or SystemClock()
    db = db or Database(settings.sqlalchemy_url)
    day = BusinessDay(
        ZoneInfo(settings.timezone), parse_hhmm(settings.open_time), parse_hhmm(settings.close_time)
    )
    return Services(
        settings=settings,
        db=db,
        clock=clock,
        queue=QueueService(db, settings, clock, day),
        windows=WindowService(db, settings, clock, day),
        staff=StaffService(db, settings, clock),
        config=StationConfigService(db, clock),
        print_jobs=PrintJobService(db, settings, clock),
        sms=SmsService(db, settings, clock),
        devices=DeviceService(db, clock, day),
        case_query=CaseQueryService(db, settings, clock),
    )
