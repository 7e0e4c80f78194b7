"""Every dashboard projection the county applies, in one explicit list.

A new projection is added here; a handler module that is not listed is never applied, and
``tests/county/test_county_registry.py`` fails when a handler is defined but not listed.
"""

from __future__ import annotations

from sync.county.apply import Projection, one_at_a_time
from sync.county.case_handlers import CASE_TYPES, case_facts
from sync.county.handlers import TICKET_TYPES, device_state, rating_press, ticket_facts

DEVICE_TYPES = frozenset({"device.state_changed"})
RATING_TYPES = frozenset({"rating.keypad_pressed"})

PROJECTIONS: tuple[Projection, ...] = (
    Projection("ticket_fact", frozenset(TICKET_TYPES), ticket_facts),
    Projection("device_state", DEVICE_TYPES, one_at_a_time(device_state)),
    Projection("rating_press", RATING_TYPES, one_at_a_time(rating_press)),
    Projection("case_fact", frozenset(CASE_TYPES), case_facts),
)
