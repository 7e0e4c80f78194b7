"""Who is at which window (窗口值守, issue 16 item 2): ``service_window.staff_id``.

A window is staffed while a staff member bound to it (``staff.window_id``) has a login
session open: login sets it, and the end of their last session (logout, deactivation)
clears it. The queue reads the column to show 无人值守 on the display and to tell a visitor
at issue time that nobody serves their category.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from appliance.queue.tables import ServiceWindow
from appliance.staff.tables import Staff, StaffSession


def staff_window(s: Session, st: Staff) -> None:
    """On login: the staff member's window is staffed by them."""
    if st.window_id is None:
        return
    win = s.get(ServiceWindow, st.window_id)
    if win is not None and win.staff_id != st.id:
        win.staff_id = st.id
        s.add(win)


def leave_windows(s: Session, staff_id: str, now: datetime) -> None:
    """After a session ends: windows held by this staff member and by nobody else logged in
    are no longer staffed."""
    live = s.exec(
        select(StaffSession.token_hash).where(
            StaffSession.staff_id == staff_id,
            col(StaffSession.revoked_at).is_(None),
            col(StaffSession.expires_at) > now,
        )
    ).first()
    if live is not None:
        return
    for win in s.exec(select(ServiceWindow).where(ServiceWindow.staff_id == staff_id)):
        win.staff_id = None
        s.add(win)


def release_expired(s: Session, now: datetime) -> list[tuple[str, int]]:
    """Windows whose clerk's every session has expired (12 h without a logout) are no longer
    staffed; returns their (id, number). The server's watch calls this every few seconds."""
    released: list[tuple[str, int]] = []
    for win in s.exec(select(ServiceWindow).where(col(ServiceWindow.staff_id).is_not(None))):
        live = s.exec(
            select(StaffSession.token_hash).where(
                StaffSession.staff_id == win.staff_id,
                col(StaffSession.revoked_at).is_(None),
                col(StaffSession.expires_at) > now,
            )
        ).first()
        if live is None:
            win.staff_id = None
            s.add(win)
            released.append((win.id, win.number))
    return released
