"""The staff alert for a downloaded update (有可用更新): raised when a verified bundle waits in
``DATA_DIR/updates``, cleared once ``yizhan upgrade`` has installed it. Installing is never
automatic: the head (站长) or the technician runs ``yizhan upgrade``."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from appliance.alerts.tables import Alert
from appliance.db.database import Database
from appliance.events.log import append_event

ALERT_KIND = "update_available"


def available_message(version: str) -> str:
    return f"有可用更新 {version}：已下载并校验，请技术员在方便时停机运行 yizhan upgrade 安装"


class UpdateService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def _open(s: Session) -> Alert | None:
        query = select(Alert).where(Alert.kind == ALERT_KIND, col(Alert.cleared_at).is_(None))
        return s.exec(query).first()

    def announce(self, version: str, now: datetime) -> bool:
        """One open alert naming ``version`` (an older announcement is replaced)."""
        message = available_message(version)
        with self.db.write() as s:
            current = self._open(s)
            if current is not None and current.message == message:
                return False
            if current is not None:
                current.cleared_at = now
                s.add(current)
                append_event(s, "alert.cleared", "alert", current.id, {"kind": ALERT_KIND}, now)
            alert = Alert(kind=ALERT_KIND, message=message, raised_at=now)
            s.add(alert)
            s.flush()
            append_event(
                s, "alert.raised", "alert", alert.id, {"kind": ALERT_KIND, "message": message}, now
            )
            return True

    def clear(self, now: datetime) -> bool:
        """The update was installed: the alert goes."""
        with self.db.write() as s:
            current = self._open(s)
            if current is None:
                return False
            current.cleared_at = now
            s.add(current)
            append_event(s, "alert.cleared", "alert", current.id, {"kind": ALERT_KIND}, now)
            return True
