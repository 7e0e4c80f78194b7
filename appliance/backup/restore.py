"""``yizhan restore <backup>``: verify a generation, then swap it into DATA_DIR (恢复).

1. **Verify before touching anything**: the manifest is this format and lists only the
   database and the backed-up folders (no path outside the folder), every listed file is
   there with its size and SHA-256, nothing unlisted is there, ``PRAGMA integrity_check``
   passes, and the schema revision is one this version knows. Any problem refuses the
   restore with one Chinese line and changes nothing.
2. **Stage**: copy the files into ``DATA_DIR/.restore/new`` (hashed again while copying),
   check the staged database again, fsync.
3. **Swap**: write ``.restore/journal.json``, then for each item (``station.db`` with its
   ``-wal``/``-shm``, ``case-notices``, ``keys``, ``sync``) move the current one into
   ``.restore/old`` and the staged one into place. A crash in this step is completed on
   the next ``yizhan serve`` or ``yizhan restore`` (:func:`recover_interrupted_restore`),
   so the server never opens a half-restored data directory.
4. **Done**: the previous data is kept as ``DATA_DIR/restore-previous-<time>`` (only the
   latest such folder is kept).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from appliance.backup.archive import (
    Progress,
    copy_file,
    fsync_dir,
    integrity_problems,
    sha256_file,
)
from appliance.backup.rules import DATABASE, MANIFEST, TREES, ManifestError, manifest_files
from appliance.settings import Settings

WORK = ".restore"
JOURNAL = "journal.json"
ITEMS = (DATABASE, *TREES)
SIDECARS = (f"{DATABASE}-wal", f"{DATABASE}-shm", f"{DATABASE}-journal")


class RestoreRefused(Exception):
    """The backup cannot be trusted or used; ``args[0]`` is one Chinese line."""


@dataclass(frozen=True)
class RestoreResult:
    station_code: str
    created_at: str
    event_seq: int
    files: int
    previous: Path | None


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not folder.is_dir():
        raise RestoreRefused(f"找不到备份文件夹 {folder}")
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise RestoreRefused(f"{folder} 中没有备份清单 {MANIFEST}，不是完整的备份") from None
    except (OSError, ValueError) as exc:
        raise RestoreRefused(f"备份清单无法读取（{exc}），备份可能已损坏") from exc
    if not isinstance(data, dict):
        raise RestoreRefused("备份清单格式不对，备份可能已损坏")
    return data


def verify_backup(folder: Path, known_revisions: set[str] | None = None) -> dict[str, Any]:
    """The manifest of a sound backup; :class:`RestoreRefused` says what is wrong."""
    manifest = _manifest(folder)
    try:
        listed = manifest_files(manifest)
    except ManifestError as exc:
        raise RestoreRefused(str(exc)) from exc
    present = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if (p.is_file() or p.is_symlink()) and p.name != MANIFEST
    }
    extra = sorted(present - set(listed))
    if extra:
        raise RestoreRefused(f"备份中有清单之外的文件（{extra[0]}），备份可能被改动过，不能恢复")
    for rel, (size, digest) in sorted(listed.items()):
        path = folder / rel
        if path.is_symlink() or not path.is_file():
            raise RestoreRefused(f"备份缺少文件 {rel}，备份不完整，不能恢复")
        if path.stat().st_size != size or sha256_file(path) != digest:
            raise RestoreRefused(f"备份文件 {rel} 的校验值不符（文件已损坏或被改动），不能恢复")
    problems = integrity_problems(folder / DATABASE)
    if problems:
        raise RestoreRefused(f"备份中的数据库完整性检查未通过：{problems[0]}，不能恢复")
    revisions = manifest.get("schema_revisions")
    if known_revisions is not None and isinstance(revisions, list):
        unknown = sorted(set(map(str, revisions)) - known_revisions)
        if unknown:
            raise RestoreRefused(
                f"备份来自更新版本的软件（数据库版本 {unknown[0]}），请先升级本机软件再恢复"
            )
    return manifest


def _move(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dst)


def _roll_forward(data: Path) -> None:
    """Finish a swap described by the journal: idempotent, so a crash mid-way is safe."""
    work = data / WORK
    new, old = work / "new", work / "old"
    for item in ITEMS:
        staged = new / item
        if not staged.exists():
            continue  # already moved into place
        if item == DATABASE:  # a stale WAL must never meet the restored database
            for side in SIDECARS:
                if (data / side).exists():
                    _move(data / side, old / side)
        if (data / item).exists() or (data / item).is_symlink():
            _move(data / item, old / item)
        _move(staged, data / item)
    fsync_dir(data)


def _finish(data: Path, stamp: str) -> Path | None:
    work = data / WORK
    old = work / "old"
    previous = None
    if old.exists():
        for earlier in data.glob("restore-previous-*"):
            shutil.rmtree(earlier, ignore_errors=True)
        previous = data / f"restore-previous-{stamp}"
        os.replace(old, previous)
    (work / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(work, ignore_errors=True)
    fsync_dir(data)
    return previous


def recover_interrupted_restore(data: Path) -> str | None:
    """Complete a restore cut short in its swap, or drop one cut short while staging.
    Returns a Chinese line saying what was done, or None when there was nothing to do."""
    work = data / WORK
    if not work.exists():
        return None
    journal = work / JOURNAL
    if not journal.exists():
        shutil.rmtree(work, ignore_errors=True)
        return "上次恢复在准备阶段中断，数据未被改动，已清理临时文件"
    stamp = str(json.loads(journal.read_text()).get("stamp", "interrupted"))
    _roll_forward(data)
    _finish(data, stamp)
    return "上次恢复在替换阶段中断，已完成恢复"


def restore_backup(
    settings: Settings,
    folder: Path,
    at: datetime,
    *,
    known_revisions: set[str] | None = None,
    allow_other_station: bool = False,
    progress: Progress | None = None,
) -> RestoreResult:
    """Verify ``folder``, stage it, swap it into DATA_DIR; nothing changes on a refusal."""
    manifest = verify_backup(folder, known_revisions)
    station = str(manifest.get("station_code", ""))
    if station != settings.station_code and not allow_other_station:
        raise RestoreRefused(
            f"这是站点 {station} 的备份，本站是 {settings.station_code}；"
            "确需恢复请加 --other-station"
        )
    data = settings.data_path
    data.mkdir(parents=True, exist_ok=True)
    recover_interrupted_restore(data)
    work = data / WORK
    new = work / "new"
    new.mkdir(parents=True)
    listed = manifest_files(manifest)
    try:
        for rel, (_size, digest) in sorted(listed.items()):
            _, copied = copy_file(folder / rel, new / rel, progress)
            if copied != digest:
                raise RestoreRefused(f"复制备份文件 {rel} 时校验值不符，恢复已取消，数据未改动")
        for tree in TREES:
            (new / tree).mkdir(exist_ok=True)  # an item the backup lacks becomes empty
        problems = integrity_problems(new / DATABASE)
        if problems:
            raise RestoreRefused(f"复制后的数据库完整性检查未通过：{problems[0]}，数据未改动")
        for sub in sorted({p.parent for p in new.rglob("*")} | {new}, reverse=True):
            fsync_dir(sub)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    stamp = at.strftime("%Y%m%d-%H%M%S")
    journal = work / JOURNAL
    journal.write_text(json.dumps({"stamp": stamp, "backup": str(folder)}))
    with open(journal, "rb+") as fh:
        os.fsync(fh.fileno())
    fsync_dir(work)
    _roll_forward(data)
    previous = _finish(data, stamp)
    return RestoreResult(
        station_code=station,
        created_at=str(manifest.get("created_at", "")),
        event_seq=int(manifest.get("event_seq", 0)),
        files=len(listed),
        previous=previous,
    )
