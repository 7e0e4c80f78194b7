"""What the staff terminal adds to the station's wire types.

The answers themselves are the station's types (``appliance.<feature>.schemas``): one
definition for the server and this terminal, decoded by ``tui.api_client``. Unknown fields
are ignored there, so the server may grow without breaking older terminals. Only the
terminal's own helpers live here.
"""

from __future__ import annotations

from typing import TypeAlias

from appliance.queue.schemas import QueueSnapshot, TicketView, WindowState

Ticket: TypeAlias = TicketView
"""号票, the name the case screens use for the ticket being served."""


def window_of(snapshot: QueueSnapshot, number: int | None) -> WindowState | None:
    """The window with this number in the snapshot (None: no such window, or no number)."""
    return next((w for w in snapshot.windows if w.number == number), None)
