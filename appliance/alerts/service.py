"""Open staff alerts (提醒), oldest first: what the terminal's status bar counts."""

from __future__ import annotations

from sqlmodel import col, select

from appliance.alerts.schemas import AlertView
from appliance.alerts.tables import Alert
from appliance.db.database import Database


class AlertService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def open_alerts(self) -> list[Alert]:
        """Alerts not yet cleared (absence, overdue cases, failed SMS, device trouble)."""
        with self.db.read() as s:
            return list(
                s.exec(
                    select(Alert)
                    .where(col(Alert.cleared_at).is_(None))
                    .order_by(col(Alert.raised_at))
                )
            )

    def open_views(self) -> list[AlertView]:
        """The open alerts as staff terminals read them."""
        return [
            AlertView(
                id=a.id,
                kind=a.kind,
                message=a.message,
                window_id=a.window_id,
                raised_at=a.raised_at,
            )
            for a in self.open_alerts()
        ]
