"""The upgrade journal (升级日志): what to undo when the power goes mid-upgrade (R-N2).

``yizhan upgrade`` writes ``DATA_DIR/updates/upgrade-journal.json`` (version, previous
version, backup, new release) after the new release is installed and before the database is
migrated, and removes it once ``current`` points at the new release (or the data has been
restored). If the station loses power in between, the database may carry revisions the
running (old) release does not know. So before ``yizhan db upgrade`` and ``yizhan serve``,
:func:`recover_interrupted_upgrade` finishes the job: when ``current`` already names the new
version the upgrade was complete; otherwise the data is restored from the backup the upgrade
took and the new release folder is removed.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

from appliance.backup.restore import restore_backup
from appliance.settings import Settings
from appliance.upgrade.releases import current_release

NAME = "upgrade-journal.json"


def journal_path(settings: Settings) -> Path:
    return settings.data_path / "updates" / NAME


def write_journal(
    settings: Settings, version: str, previous: str, backup: Path, release: Path
) -> None:
    path = journal_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    data = {
        "version": version,
        "previous": previous,
        "backup": str(backup),
        "release": str(release),
    }
    with open(tmp, "w") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clear_journal(settings: Settings) -> None:
    journal_path(settings).unlink(missing_ok=True)


def recover_interrupted_upgrade(settings: Settings, at: datetime) -> str | None:
    """Complete or undo an upgrade cut short; a Chinese line saying what was done, or None."""
    path = journal_path(settings)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
        version, previous = str(data["version"]), str(data["previous"])
        backup, release = Path(data["backup"]), Path(data["release"])
    except (OSError, ValueError, KeyError, TypeError):
        path.unlink(missing_ok=True)
        return "升级日志无法读取，已删除（如数据异常，请用 yizhan restore 恢复升级前的备份）"
    releases = Path(settings.releases_dir).absolute()
    current = current_release(releases)
    if current is not None and current.name == version:
        clear_journal(settings)
        return None  # the switch happened: the upgrade was complete
    restore_backup(settings, backup, at, allow_other_station=True)
    if release.parent == releases and release.name == version and release != current:
        shutil.rmtree(release, ignore_errors=True)
    clear_journal(settings)
    return (
        f"上次升级到 {version} 在完成前中断，已从升级前的备份 {backup.name} 恢复数据，"
        f"仍运行版本 {previous}"
    )
