"""Every dashboard projection the county applies, in one explicit list.

A new projection is added here; a handler module that is not listed is never applied, and
``tests/county/test_county_registry.py`` fails when a handler is defined but not listed.
"""

from __future__ import annotations

from sync.county.apply import Projection, one_at_a_time
from sync.county.appointment_handlers import APPOINTMENT_TYPES, appointment_facts
from sync.county.archive_handlers import ARCHIVE_TYPES, archive_built
from sync.county.case_handlers import CASE_TYPES, case_facts
from sync.county.complaint_handlers import COMPLAINT_TYPES, complaint_facts
from sync.county.consultation_handlers import CONSULTATION_TYPES, consultation_facts
from sync.county.delegation_handlers import DELEGATION_TYPES, delegation_facts
from sync.county.fault_handlers import FAULT_TYPES, fault_fact
from sync.county.handlers import TICKET_TYPES, device_state, rating_press, ticket_facts

DEVICE_TYPES = frozenset({"device.state_changed"})
RATING_TYPES = frozenset({"rating.keypad_pressed", "rating.given"})

PROJECTIONS: tuple[Projection, ...] = (
    Projection("appointment_fact", frozenset(APPOINTMENT_TYPES), appointment_facts),
    Projection("county_archive", frozenset(ARCHIVE_TYPES), one_at_a_time(archive_built)),
    Projection("ticket_fact", frozenset(TICKET_TYPES), ticket_facts),
    Projection("device_state", DEVICE_TYPES, one_at_a_time(device_state)),
    Projection("rating_press", RATING_TYPES, one_at_a_time(rating_press)),
    Projection("case_fact", frozenset(CASE_TYPES), case_facts),
    Projection("consultation_fact", frozenset(CONSULTATION_TYPES), consultation_facts),
    Projection("complaint_fact", frozenset(COMPLAINT_TYPES), complaint_facts),
    Projection("delegation_fact", frozenset(DELEGATION_TYPES), delegation_facts),
    Projection("fault_fact", frozenset(FAULT_TYPES), one_at_a_time(fault_fact)),
)
