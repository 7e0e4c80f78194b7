"""Every table of the station, imported once so that ``SQLModel.metadata`` is complete.

Each feature keeps its own tables (``appliance/<feature>/tables.py``); Alembic's environment
and the tests import this module to see them all. Changes to a table need an Alembic revision.
"""

from __future__ import annotations

from appliance.alerts.tables import Alert
from appliance.appointments.tables import Appointment, Outage
from appliance.archives.tables import (
    ArchiveDueAlert,
    ArchivePackage,
    ArchiveTransfer,
    ArchiveTransferLine,
    ArchiveTransferRound,
)
from appliance.backup.tables import BackupRecord
from appliance.calendar.tables import CalendarDay, CalendarYear
from appliance.cases.tables import (
    CaseEscalation,
    CaseNoticeRecord,
    CaseNumberSeq,
    CaseRecord,
    CaseTransitionRecord,
    TolerantDefaultRecord,
)
from appliance.catalogue.tables import CatalogueItem, CatalogueMaterial, CatalogueVersion
from appliance.complaints.tables import Complaint, ComplaintStep
from appliance.consultations.tables import ConsultationRecord
from appliance.contacts.tables import ContactRecord
from appliance.delegation.tables import (
    Delegation,
    DelegationDocument,
    DelegationEntry,
    DelegationVisit,
)
from appliance.desk.tables import DeskEntry, DeskEntryStep
from appliance.devices.tables import DeviceStatus
from appliance.events.tables import Event
from appliance.faults.tables import EmergencyRecord, EmergencyStep, FaultAction, FaultRecord
from appliance.figures.tables import FigureDay, FigureMark
from appliance.jobs.tables import InboundSms, PrintJob, SmsMessage, SmsTemplate
from appliance.knowledge.tables import KnowledgeEntry
from appliance.queue.tables import Category, OvertimeLog, ServiceWindow, Ticket, WindowCategory
from appliance.ratings.tables import Rating, RatingFollowUp, RatingFollowUpStep, RatingInvite
from appliance.staff.tables import Attendance, Staff, StaffSession
from appliance.uplink.tables import ReferenceRow, SyncQuarantine, SyncState

__all__ = [
    "Alert",
    "Appointment",
    "Outage",
    "ArchiveDueAlert",
    "ArchivePackage",
    "ArchiveTransfer",
    "ArchiveTransferLine",
    "ArchiveTransferRound",
    "Attendance",
    "BackupRecord",
    "CalendarDay",
    "CalendarYear",
    "CaseEscalation",
    "CaseNoticeRecord",
    "CaseNumberSeq",
    "CaseRecord",
    "CaseTransitionRecord",
    "CatalogueItem",
    "CatalogueMaterial",
    "CatalogueVersion",
    "Category",
    "Complaint",
    "ComplaintStep",
    "ConsultationRecord",
    "Delegation",
    "DelegationDocument",
    "DelegationEntry",
    "DelegationVisit",
    "ContactRecord",
    "DeskEntry",
    "DeskEntryStep",
    "DeviceStatus",
    "EmergencyRecord",
    "EmergencyStep",
    "Event",
    "FaultAction",
    "FaultRecord",
    "FigureDay",
    "FigureMark",
    "InboundSms",
    "KnowledgeEntry",
    "OvertimeLog",
    "PrintJob",
    "Rating",
    "RatingFollowUp",
    "RatingFollowUpStep",
    "RatingInvite",
    "ReferenceRow",
    "ServiceWindow",
    "SmsMessage",
    "SmsTemplate",
    "Staff",
    "StaffSession",
    "SyncQuarantine",
    "SyncState",
    "Ticket",
    "TolerantDefaultRecord",
    "WindowCategory",
]
