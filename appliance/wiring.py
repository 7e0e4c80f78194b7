"""Wires every feature's service from settings, database and clock (one set per process).

The HTTP app hands each service to the handlers that name it (``queue: QueueService``), so a
controller depends on its feature's service, never on this container.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any
from zoneinfo import ZoneInfo

from appliance.alerts.service import AlertService
from appliance.cases.service.cases import CaseService
from appliance.cases.service.notice_store import CaseNoticeService
from appliance.cases.service.query import CaseQueryService
from appliance.catalogue.service.catalogue import CatalogueService
from appliance.catalogue.service.guide import GuideService
from appliance.core.clock import Clock, SystemClock
from appliance.db.database import Database
from appliance.devices.service import DeviceService
from appliance.jobs.service.print_jobs import PrintJobService
from appliance.jobs.service.sms import SmsService
from appliance.queue.rules.wait_estimate import BusinessDay, parse_hhmm
from appliance.queue.service.station_config import StationConfigService
from appliance.queue.service.tickets import QueueService
from appliance.queue.service.windows import WindowService
from appliance.settings import Settings
from appliance.staff.service.accounts import StaffService
from appliance.uplink.service import SyncStatusService


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    queue: QueueService
    windows: WindowService
    staff: StaffService
    config: StationConfigService
    alerts: AlertService
    print_jobs: PrintJobService
    sms: SmsService
    devices: DeviceService
    cases: CaseService
    case_notices: CaseNoticeService
    case_query: CaseQueryService
    catalogue: CatalogueService
    guides: GuideService
    sync_status: SyncStatusService

    def by_name(self) -> dict[str, Any]:
        """Every field by its name: the HTTP app offers each as a dependency."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

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
        alerts=AlertService(db),
        print_jobs=PrintJobService(db, settings, clock),
        sms=SmsService(db, settings, clock),
        devices=DeviceService(db, clock, day),
        cases=CaseService(db, settings, clock),
        case_notices=CaseNoticeService(db, settings, clock),
        case_query=CaseQueryService(db, settings, clock),
        catalogue=CatalogueService(db, clock),
        guides=GuideService(db, settings, clock),
        sync_status=SyncStatusService(db, clock, settings.timezone, settings.county_url),
    )
