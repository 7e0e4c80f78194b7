"""``yizhan backup``: one consistent generation of the station's data (备份).

A generation is a folder ``DATA_DIR/backups/yizhan-<station>-<YYYYmmdd-HHMMSS>`` with

- ``station.db``: a consistent copy taken with SQLite's online backup API while the server
  runs (one read transaction; WAL lets writers go on), switched to a self-contained
  rollback journal and checked with ``PRAGMA integrity_check``;
- ``case-notices/``, ``keys/``, ``sync/``: the kept notice PDFs and the keys;
- ``manifest.json``: format, station, time, schema revision, last event seq, and the size
  and SHA-256 of every file.

It is written as ``.partial-<name>`` and renamed when complete, so a folder with a
generation's name is always whole. A copy goes to every mounted USB stick that matches
``backup_usb_glob`` (``<mount>/yizhan-backups/<name>``, same rename), and each place keeps
the newest ``backup_keep`` generations.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url

from appliance.backup.rules import DATABASE, FORMAT, MANIFEST, TREES, generation_name, to_prune
from appliance.settings import Settings

BACKUPS = "backups"
USB_FOLDER = "yizhan-backups"
CHUNK = 1024 * 1024

Progress = Callable[[str, int], None]
"""``progress(what, bytes_done_now)``: called as bytes are copied (for a progress bar)."""


class BackupError(Exception):
    """The backup could not be taken; ``args[0]`` is Chinese."""


@dataclass
class BackupResult:
    name: str
    path: Path
    files: int
    bytes: int
    manifest_sha256: str
    event_seq: int
    taken_at: datetime
    usb_paths: list[Path] = field(default_factory=list)
    usb_errors: list[str] = field(default_factory=list)


def database_file(settings: Settings) -> Path:
    url = make_url(settings.sqlalchemy_url)
    if not url.drivername.startswith("sqlite") or not url.database or url.database == ":memory:":
        raise BackupError("只能备份 SQLite 文件数据库（database_url 指向了别的数据库）")
    return Path(url.database)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_file(src: Path, dst: Path, progress: Progress | None = None) -> tuple[int, str]:
    """Copy with fsync, keeping the mode (keys stay 0600); returns (size, sha256)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        while chunk := fin.read(CHUNK):
            fout.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            if progress is not None:
                progress(str(src.name), len(chunk))
        fout.flush()
        os.fsync(fout.fileno())
    shutil.copymode(src, dst)
    return size, digest.hexdigest()


def tree_files(root: Path) -> list[Path]:
    """Regular files under ``root`` (symlinks are not followed), sorted."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def integrity_problems(db: Path) -> list[str]:
    """``PRAGMA integrity_check`` of a database file opened read-only ([] when ok)."""
    try:
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            rows = [str(r[0]) for r in con.execute("PRAGMA integrity_check(5)").fetchall()]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def _copy_database(src: Path, dst: Path) -> tuple[int, list[str]]:
    """Online backup of the live database into ``dst``; (last event seq, revisions)."""
    source = sqlite3.connect(src, timeout=30)  # read only in effect: backup() only reads
    target = sqlite3.connect(dst)
    try:
        source.backup(target)  # one step: one consistent read transaction
        target.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal
        seq = int(target.execute("SELECT coalesce(max(seq), 0) FROM event").fetchone()[0])
        revisions = [str(r[0]) for r in target.execute("SELECT version_num FROM alembic_version")]
        target.commit()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"数据库无法读取，备份未完成：{exc}") from exc
    finally:
        target.close()
        source.close()
    return seq, sorted(revisions)


def _prune(folder: Path, keep: int) -> None:
    for name in to_prune((p.name for p in folder.iterdir() if p.is_dir()), keep):
        shutil.rmtree(folder / name, ignore_errors=True)
    for stale in folder.glob(".partial-*"):
        shutil.rmtree(stale, ignore_errors=True)


def write_generation(
    settings: Settings, target: Path, at: datetime, progress: Progress | None = None
) -> tuple[dict[str, Any], int]:
    """Fill ``target`` (an empty folder) with the data and the manifest; (manifest, bytes)."""
    data = settings.data_path
    db = database_file(settings)
    if not db.is_file():
        raise BackupError(f"找不到数据库文件 {db}，没有可备份的数据")
    seq, revisions = _copy_database(db, target / DATABASE)
    problems = integrity_problems(target / DATABASE)
    if problems:
        raise BackupError(f"数据库副本完整性检查未通过：{'；'.join(problems[:2])}")
    size = (target / DATABASE).stat().st_size
    if progress is not None:
        progress(DATABASE, size)
    files: list[dict[str, Any]] = [
        {"path": DATABASE, "size": size, "sha256": sha256_file(target / DATABASE)}
    ]
    for tree in TREES:
        for src in tree_files(data / tree):
            rel = src.relative_to(data).as_posix()
            n, digest = copy_file(src, target / rel, progress)
            files.append({"path": rel, "size": n, "sha256": digest})
    manifest = {
        "format": FORMAT,
        "station_code": settings.station_code,
        "station_name": settings.station_name,
        "created_at": at.isoformat(),
        "schema_revisions": revisions,
        "event_seq": seq,
        "files": files,
    }
    raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    with open(target / MANIFEST, "wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    for folder in sorted({p.parent for p in target.rglob("*")}, reverse=True):
        fsync_dir(folder)
    return manifest, sum(int(f["size"]) for f in files)


def usb_targets(pattern: str, is_mount: Callable[[str], bool] = os.path.ismount) -> list[Path]:
    """Mounted USB sticks matching ``backup_usb_glob`` (an empty mount point is skipped)."""
    return [Path(p) for p in sorted(glob.glob(pattern)) if os.path.isdir(p) and is_mount(p)]


def _copy_generation(src: Path, folder: Path, keep: int, progress: Progress | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".partial-{src.name}"
    shutil.rmtree(partial, ignore_errors=True)
    for path in sorted(p for p in src.rglob("*") if p.is_file()):
        copy_file(path, partial / path.relative_to(src), progress)
    for sub in sorted({p.parent for p in partial.rglob("*")}, reverse=True):
        fsync_dir(sub)
    final = folder / src.name
    os.replace(partial, final)
    fsync_dir(folder)
    _prune(folder, keep)
    return final


def total_bytes(settings: Settings) -> int:
    """Roughly what one generation copies (for the progress bar)."""
    data = settings.data_path
    db = database_file(settings)
    sizes = [db.stat().st_size if db.exists() else 0]
    sizes += [p.stat().st_size for t in TREES for p in tree_files(data / t)]
    return sum(sizes)


def take_backup(
    settings: Settings,
    at: datetime,
    *,
    usb: Iterable[Path] = (),
    progress: Progress | None = None,
) -> BackupResult:
    """One generation in ``DATA_DIR/backups`` and on each stick in ``usb``.

    The local copy must succeed (else :class:`BackupError`, and nothing named like a
    generation is left behind); a stick that fails is reported in ``usb_errors``.
    """
    folder = settings.data_path / BACKUPS
    folder.mkdir(parents=True, exist_ok=True)
    name = generation_name(settings.station_code, at.astimezone(ZoneInfo(settings.timezone)))
    final = folder / name
    if final.exists():
        raise BackupError(f"同名备份 {name} 已存在，请一分钟后再试")
    partial = folder / f".partial-{name}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        manifest, size = write_generation(settings, partial, at, progress)
        os.replace(partial, final)
        fsync_dir(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _prune(folder, settings.backup_keep)
    result = BackupResult(
        name=name,
        path=final,
        files=len(manifest["files"]),
        bytes=size,
        manifest_sha256=sha256_file(final / MANIFEST),
        event_seq=int(manifest["event_seq"]),
        taken_at=at,
    )
    for stick in usb:
        try:
            result.usb_paths.append(
                _copy_generation(final, stick / USB_FOLDER, settings.backup_keep, progress)
            )
        except OSError as exc:
            result.usb_errors.append(f"U 盘 {stick} 写入失败：{exc.strerror or exc}")
    return result
