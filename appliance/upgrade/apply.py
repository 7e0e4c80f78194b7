"""``yizhan upgrade``: install a signed update bundle (升级包), or change nothing.

1. **Verify** (:mod:`appliance.upgrade.bundle`): signature by the trusted county key, every
   file's SHA-256, a version higher than the installed one that meets the bundle's
   ``requires_from``. A refusal changes nothing.
2. **Back up** the data (:func:`appliance.backup.archive.take_backup`, the nightly backup).
3. **Install** the wheels into a new release next to the running one
   (:mod:`appliance.upgrade.releases`); the running release is not touched.
4. **Migrate** the database with the new release's ``yizhan db upgrade heads`` (Alembic).
5. On success switch ``current`` atomically. When the migration fails, restore the data from
   the backup of step 2 (:func:`appliance.backup.restore.restore_backup`), remove the new
   release and leave ``current`` where it was. A journal written before step 4 lets the next
   start undo an upgrade the power cut short (:mod:`appliance.upgrade.journal`).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from appliance.backup.archive import BackupError, take_backup, usb_targets
from appliance.backup.restore import RestoreRefused, restore_backup
from appliance.db.database import Database
from appliance.settings import Settings
from appliance.upgrade.bundle import verify_bundle
from appliance.upgrade.journal import clear_journal, write_journal
from appliance.upgrade.releases import (
    InstallFailed,
    install_release,
    installed_version,
    migrate_release,
    switch_current,
)
from appliance.upgrade.rules import (
    BUNDLE_RE,
    BundleInvalid,
    Manifest,
    fit_problem,
    newest,
    parse_version,
)
from appliance.upgrade.service import UpdateService
from appliance.uplink.tables import SYNC_STATE_ID, SyncState

log = logging.getLogger("yizhan.upgrade")
UPDATES = "updates"
USB_FOLDER = "yizhan-updates"
Migrator = Callable[[Path], tuple[bool, str]]
"""``migrator(release)`` → (ok, output): runs the release's migrations on the database."""


class UpgradeFailed(Exception):
    """The upgrade was refused or undone; ``args[0]`` is one Chinese line."""


@dataclass(frozen=True)
class UpgradeResult:
    version: str
    previous: str
    release: Path
    backup: Path


def trusted_key(settings: Settings) -> str:
    """The county key a bundle must be signed with: the setting, else the one pinned at
    enrolment; :class:`BundleInvalid` when the station has neither."""
    if settings.county_update_pubkey.strip():
        return settings.county_update_pubkey.strip()
    db = Database(settings.sqlalchemy_url)
    try:
        with db.read() as s:
            state = s.get(SyncState, SYNC_STATE_ID)
            key = state.county_public_key if state is not None else ""
    except Exception:  # no database or no sync table yet: no pinned key
        key = ""
    finally:
        db.dispose()
    if not key:
        raise BundleInvalid(
            "本站没有可信的县级更新公钥：请先登记到县级中心（yizhan sync enrol），"
            "或在设置中填写 county_update_pubkey"
        )
    return key


def staging_dir(settings: Settings) -> Path:
    return settings.data_path / UPDATES / ".staging"


def check_bundle(settings: Settings, bundle: Path, releases: Path) -> Manifest:
    """Verify ``bundle`` fully (signature, hashes, version); raises :class:`BundleInvalid`.
    The wheels stay in the staging folder for :func:`upgrade`."""
    staging = staging_dir(settings)
    manifest = verify_bundle(bundle, trusted_key(settings), staging)
    problem = fit_problem(manifest, installed_version(releases))
    if problem:
        shutil.rmtree(staging, ignore_errors=True)
        raise BundleInvalid(problem)
    return manifest


def upgrade(
    settings: Settings,
    bundle: Path,
    at: datetime,
    *,
    config: str | None = None,
    migrator: Migrator | None = None,
) -> UpgradeResult:
    """Verify, back up, install, migrate, switch; see the module text. Raises
    :class:`BundleInvalid` (nothing changed) or :class:`UpgradeFailed`."""
    releases = Path(settings.releases_dir)
    manifest = check_bundle(settings, bundle, releases)
    staging = staging_dir(settings)
    previous = installed_version(releases)
    run_migrations = migrator or (
        lambda release: migrate_release(release, settings.sqlalchemy_url, settings.data_dir, config)
    )
    try:
        try:
            backup = take_backup(settings, at)
        except (BackupError, OSError) as exc:
            raise UpgradeFailed(f"升级前备份失败，未做任何改动：{exc}") from exc
        wheels = [staging / rel for rel in sorted(manifest.files)]
        try:
            release = install_release(releases, manifest.version, wheels)
            write_journal(settings, manifest.version, previous, backup.path, release)
        except (InstallFailed, OSError) as exc:
            shutil.rmtree(releases / manifest.version, ignore_errors=True)  # never `current`
            raise UpgradeFailed(f"新版本安装失败，仍在运行版本 {previous}：{exc}") from exc
        try:
            ok, output = run_migrations(release)
        except Exception as exc:  # a migrator that breaks is a failed migration
            ok, output = False, str(exc)
        if ok:
            try:
                switch_current(releases, manifest.version)
            except OSError as exc:
                ok, output = False, f"无法切换到新版本：{exc}"
        if not ok:
            _undo(settings, release, backup.path, at)
            last = output.strip().splitlines()[-1:] or ["无输出"]
            raise UpgradeFailed(
                f"数据库迁移失败，已从升级前的备份 {backup.name} 恢复数据，"
                f"仍在运行版本 {previous}（{last[0][:200]}）"
            )
        clear_journal(settings)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _tidy(settings, manifest.version, at)
    return UpgradeResult(
        version=manifest.version, previous=previous, release=release, backup=backup.path
    )


def _undo(settings: Settings, release: Path, backup: Path, at: datetime) -> None:
    try:
        restore_backup(settings, backup, at, allow_other_station=True)
        clear_journal(settings)
    except (RestoreRefused, OSError) as exc:
        raise UpgradeFailed(
            f"数据库迁移失败，且从备份 {backup} 恢复失败（{exc}）：请勿启动服务，"
            f"用 yizhan restore {backup} 恢复"
        ) from exc
    finally:
        shutil.rmtree(release, ignore_errors=True)


def _tidy(settings: Settings, version: str, at: datetime) -> None:
    """After a good upgrade: downloaded bundles up to ``version`` go, and so does the
    "有可用更新" alert (a problem here never undoes the upgrade)."""
    for path in downloaded_bundles(settings):
        m = BUNDLE_RE.match(path.name)
        if m and parse_version(m.group(1)) <= parse_version(version):
            path.unlink(missing_ok=True)
    db = Database(settings.sqlalchemy_url)
    try:
        UpdateService(db).clear(at)
    except Exception as exc:  # the new schema may lack it; the alert is only a reminder
        log.warning("could not clear the update alert: %s", exc)
    finally:
        db.dispose()


def downloaded_bundles(settings: Settings) -> list[Path]:
    """Bundles the sync agent downloaded and verified into ``DATA_DIR/updates``."""
    folder = settings.data_path / UPDATES
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if BUNDLE_RE.match(p.name) and p.is_file()]


def usb_bundles(settings: Settings, sticks: list[Path] | None = None) -> list[Path]:
    """Bundles on the mounted USB sticks (``backup_usb_glob``, as for backups):
    ``yizhan-update-<v>.tar`` at a stick's top level or in its ``yizhan-updates`` folder."""
    found: list[Path] = []
    for stick in usb_targets(settings.backup_usb_glob) if sticks is None else sticks:
        for folder in (stick, stick / USB_FOLDER):
            if folder.is_dir():
                found += [p for p in folder.iterdir() if BUNDLE_RE.match(p.name) and p.is_file()]
    return found


def newest_bundle(paths: list[Path]) -> Path | None:
    """The bundle with the highest version in its file name."""
    by_version: dict[str, Path] = {}
    for path in paths:
        m = BUNDLE_RE.match(path.name)
        if m:
            by_version[m.group(1)] = path
    best = newest(list(by_version))
    return by_version[best] if best else None
