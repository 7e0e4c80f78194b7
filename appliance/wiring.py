"""Wires every feature's service from settings, database and clock (one set per process).

The HTTP app hands each service to the handlers that name it (``queue: QueueService``), so a
controller depends on its feature's service, never on this container.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any
from zoneinfo import ZoneInfo

from appliance.alerts.service import AlertService
from appliance.appointments.service.booking import AppointmentService
from appliance.appointments.service.outages import OutageService
from appliance.archives.service.archives import ArchiveService
from appliance.archives.service.transfers import TransferService
from appliance.backup.service import BackupService
from appliance.cases.service.cases import CaseService
from appliance.cases.service.notice_store import CaseNoticeService
from appliance.cases.service.query import CaseQueryService
from appliance.catalogue.service.catalogue import CatalogueService
from appliance.catalogue.service.guide import GuideService
from appliance.complaints.service.complaints import ComplaintService
from appliance.consultations.service.ledger import ConsultationService
from appliance.contacts.service.contacts import ContactService
from appliance.core.clock import Clock, SystemClock
from appliance.db.database import Database
from appliance.delegation.service.ledger import DelegationService
from appliance.desk.service.desk import DeskService
from appliance.devices.service import DeviceService
from appliance.faults.service.emergency import EmergencyService
from appliance.faults.service.ledger import FaultService
from appliance.figures.service.figures import FigureService
from appliance.jobs.service.print_jobs import PrintJobService
from appliance.jobs.service.sms import SmsService
from appliance.knowledge.service.entries import KnowledgeService
from appliance.queue.rules.wait_estimate import BusinessDay, parse_hhmm
from appliance.queue.service.station_config import StationConfigService
from appliance.queue.service.tickets import QueueService
from appliance.queue.service.windows import WindowService
from appliance.ratings.service.followups import FollowUpService
from appliance.ratings.service.ratings import RatingService
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
    backups: BackupService
    contacts: ContactService
    consultations: ConsultationService
    delegations: DelegationService
    knowledge: KnowledgeService
    archives: ArchiveService
    archive_transfers: TransferService
    ratings: RatingService
    followups: FollowUpService
    desk: DeskService
    complaints: ComplaintService
    appointments: AppointmentService
    outages: OutageService
    figures: FigureService
    faults: FaultService
    emergencies: EmergencyService

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
    cases = CaseService(db, settings, clock)
    ratings = RatingService(db, settings, clock, day)
    cases.after_step.append(ratings.on_case_step)  # a finished case: 邀请评价 SMS (R-E2)
    queue = QueueService(db, settings, clock, day)
    return Services(
        settings=settings,
        db=db,
        clock=clock,
        queue=queue,
        windows=WindowService(db, settings, clock, day),
        staff=StaffService(db, settings, clock),
        config=StationConfigService(db, clock),
        alerts=AlertService(db),
        print_jobs=PrintJobService(db, settings, clock),
        sms=SmsService(db, settings, clock),
        devices=DeviceService(db, clock, day, settings),
        cases=cases,
        case_notices=CaseNoticeService(db, settings, clock),
        case_query=CaseQueryService(db, settings, clock),
        catalogue=CatalogueService(db, clock),
        guides=GuideService(db, settings, clock),
        sync_status=SyncStatusService(db, clock, settings.timezone, settings.county_url),
        backups=BackupService(db, settings, clock),
        contacts=ContactService(db, settings, clock, day),
        consultations=ConsultationService(db, settings, clock),
        delegations=DelegationService(db, settings, clock),
        knowledge=KnowledgeService(db, settings, clock),
        archives=ArchiveService(db, settings, clock),
        archive_transfers=TransferService(db, settings, clock),
        ratings=ratings,
        followups=FollowUpService(db, clock, day),
        desk=DeskService(db, settings, clock),
        complaints=ComplaintService(db, settings, clock),
        appointments=AppointmentService(db, settings, clock, queue),  # 预约 (R-Q7)
        outages=OutageService(db, settings, clock),  # 停电断网登记 (R-Q8)
        figures=FigureService(db, settings, clock),
        faults=FaultService(db, settings, clock),
        emergencies=EmergencyService(db, clock, settings.timezone),
    )
