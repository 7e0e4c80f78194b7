"""Every table of the station, imported once so that ``SQLModel.metadata`` is complete.

Each feature keeps its own tables (``appliance/<feature>/tables.py``); Alembic's environment
and the tests import this module to see them all. Changes to a table need an Alembic revision.
"""

from __future__ import annotations

from appliance.alerts.tables import Alert
from appliance.calendar.tables import CalendarDay, CalendarYear
from appliance.cases.tables import (
    CaseEscalation,
    CaseNoticeRecord,
    CaseRecord,
    CaseTransitionRecord,
    TolerantDefaultRecord,
)
from appliance.catalogue.tables import CatalogueItem, CatalogueMaterial, CatalogueVersion
from appliance.devices.tables import DeviceStatus
from appliance.events.tables import Event
from appliance.jobs.tables import InboundSms, PrintJob, SmsMessage, SmsTemplate
from appliance.queue.tables import Category, OvertimeLog, ServiceWindow, Ticket, WindowCategory
from appliance.staff.tables import Attendance, Staff, StaffSession
from appliance.uplink.tables import ReferenceRow, SyncQuarantine, SyncState

__all__ = [
    "Alert",
    "Attendance",
    "CalendarDay",
    "CalendarYear",
    "CaseEscalation",
    "CaseNoticeRecord",
    "CaseRecord",
    "CaseTransitionRecord",
    "CatalogueItem",
    "CatalogueMaterial",
    "CatalogueVersion",
    "Category",
    "DeviceStatus",
    "Event",
    "InboundSms",
    "OvertimeLog",
    "PrintJob",
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
