"""``yizhan backup`` and ``yizhan restore``: the commands around :mod:`archive` and
:mod:`restore`, with a progress bar on a terminal and one plain line per step otherwise
(the nightly timer's journal)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import httpx

from appliance.backup.archive import BackupError, take_backup, total_bytes, usb_targets
from appliance.backup.restore import RestoreRefused, restore_backup
from appliance.backup.service import BackupService
from appliance.backup.tables import BackupRecord
from appliance.core.clock import Clock, SystemClock
from appliance.db.database import Database
from appliance.settings import Settings

Progress = Callable[[str, int], None]


@contextmanager
def progress_bar(title: str, total: int, out: TextIO) -> Iterator[Progress | None]:
    """A rich progress bar when ``out`` is a terminal; no bar otherwise."""
    if not out.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    columns = (TextColumn(title), BarColumn(), DownloadColumn())
    with Progress(*columns, console=Console(file=out), transient=True) as bar:
        task = bar.add_task(title, total=max(1, total))
        yield lambda _what, n: bar.advance(task, n)


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from appliance.db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


def backup_main(
    settings: Settings,
    out: TextIO | None = None,
    clock: Clock | None = None,
    usb: list[Path] | None = None,
) -> int:
    """Take one generation, record it for the status bar; 0 when the local copy is good."""
    stream = out or sys.stdout
    clock = clock or SystemClock()
    sticks = usb_targets(settings.backup_usb_glob) if usb is None else usb
    try:
        total = total_bytes(settings) * (1 + len(sticks))
        with progress_bar("备份中", total, stream) as advance:
            result = take_backup(settings, clock.now(), usb=sticks, progress=advance)
    except (BackupError, OSError) as exc:
        stream.write(f"✘ 备份失败：{exc}\n")
        return 1
    db = Database(settings.sqlalchemy_url)
    try:
        BackupService(db, settings, clock).record(
            BackupRecord(
                name=result.name,
                taken_at=result.taken_at,
                path=str(result.path),
                usb_paths="\n".join(map(str, result.usb_paths)),
                files=result.files,
                bytes=result.bytes,
                manifest_sha256=result.manifest_sha256,
                event_seq=result.event_seq,
            )
        )
    finally:
        db.dispose()
    mb = result.bytes / 1024 / 1024
    stream.write(f"✔ 已备份 {result.files} 个文件（{mb:.1f} MB）到 {result.path}\n")
    for path in result.usb_paths:
        stream.write(f"✔ 已复制到 U 盘 {path}\n")
    if not sticks:
        stream.write("⚠ 未插入备份 U 盘，只备份在本机存储卡上\n")
    for error in result.usb_errors:
        stream.write(f"⚠ {error}\n")
    return 0


def server_running(url: str) -> bool:
    try:
        return httpx.get(f"{url.rstrip('/')}/api/health", timeout=1.0).status_code < 500
    except httpx.HTTPError:
        return False


def restore_main(
    settings: Settings,
    folder: Path,
    out: TextIO | None = None,
    clock: Clock | None = None,
    other_station: bool = False,
) -> int:
    """Verify and restore one generation; refuses (exit 1) with one Chinese line."""
    stream = out or sys.stdout
    clock = clock or SystemClock()
    if server_running(settings.server_url):
        stream.write(
            "✘ 站点服务器正在运行，不能恢复：请先停止服务"
            "（sudo systemctl stop yizhan-server yizhan-hw yizhan-sync），再运行本命令\n"
        )
        return 1
    try:
        with progress_bar("恢复中", _size(folder), stream) as advance:
            result = restore_backup(
                settings,
                folder,
                clock.now(),
                known_revisions=known_revisions(),
                allow_other_station=other_station,
                progress=advance,
            )
    except RestoreRefused as exc:
        stream.write(f"✘ 拒绝恢复：{exc}\n")
        return 1
    except OSError as exc:
        stream.write(f"✘ 恢复失败：{exc}（数据目录会在下次启动时自动完成或撤销恢复）\n")
        return 1
    from appliance.db.migrate import upgrade

    upgrade(settings.sqlalchemy_url)
    stream.write(
        f"✔ 已从 {folder.name} 恢复 {result.files} 个文件（站点 {result.station_code}，"
        f"备份于 {result.created_at}，记录至第 {result.event_seq} 条）\n"
    )
    if result.previous is not None:
        stream.write(f"  恢复前的数据保存在 {result.previous}\n")
    return 0


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
