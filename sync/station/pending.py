"""待登记: an enrolment queued at first boot until the county is reachable.

``yizhan provision`` keeps the one-time code in ``DATA_DIR/keys/enrolment.pending`` (0600, on
the data partition, not the readable FAT boot partition) when the county cannot be reached;
the sync agent tries it each round until it succeeds, then deletes it. A refusal (wrong,
used or expired code) is kept as the agent's visible error and the file stays for a retry
with a new code (``yizhan sync enrol``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import httpx

from appliance.core.clock import Clock
from appliance.db.database import Database
from appliance.settings import Settings
from appliance.uplink.tables import SyncState
from sync.station.enrol import EnrolError, enrol

log = logging.getLogger("yizhan.sync")
PENDING_FILE = "enrolment.pending"


def pending_path(settings: Settings) -> Path:
    return settings.data_path / "keys" / PENDING_FILE


def queue_enrolment(settings: Settings, code: str) -> Path:
    path = pending_path(settings)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(code.strip() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return path


def pending_code(settings: Settings) -> str | None:
    try:
        code = pending_path(settings).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return code or None


def try_pending_enrolment(
    settings: Settings,
    db: Database,
    clock: Clock | None = None,
    transport: httpx.BaseTransport | None = None,
) -> SyncState | None:
    """Enrol with the queued code; the stored state on success, None otherwise."""
    code = pending_code(settings)
    if code is None:
        return None
    try:
        state = enrol(settings, code, db=db, clock=clock, transport=transport)
    except EnrolError as exc:
        log.warning("queued enrolment not done yet: %s", exc.message)
        return None
    pending_path(settings).unlink(missing_ok=True)
    log.info("queued enrolment done: station %s", state.station_id)
    return state
