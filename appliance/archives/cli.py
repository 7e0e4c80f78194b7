"""``yizhan archive build`` and ``yizhan archive verify <package|--all>`` (R-A1, R-A3).

``verify`` takes a package file (anywhere: a copy on a stick, the county's) or an archive
number, or ``--all`` for every recorded package and every unrecorded zip in the folder. It
prints one line per package and one per finding (缺少文件 / 文件已改动 / 多出文件) and exits 1
when anything is wrong. A package whose number the station database records is also held to
its recorded digests, so a package rewritten whole with a fitting manifest is caught too.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from appliance.archives.schemas import VerifyView
from appliance.archives.service.archives import ArchiveService
from appliance.archives.service.store import verify_zip
from appliance.archives.service.sweep import archive_pass
from appliance.core.clock import Clock, SystemClock
from appliance.core.errors import DomainError
from appliance.db.database import Database
from appliance.settings import Settings


def _service(settings: Settings, clock: Clock | None) -> ArchiveService:
    return ArchiveService(Database(settings.sqlalchemy_url), settings, clock or SystemClock())


def _print(view: VerifyView, out: TextIO) -> None:
    print(f"{view.archive_no}：{'完好' if view.ok else '有问题'}", file=out)
    for line in view.lines:
        print(f"  {line}", file=out)


def verify_one(archives: ArchiveService, target: str) -> VerifyView:
    path = Path(target)
    if path.suffix == ".zip" or path.exists():
        try:
            record = archives.record(path.name.removesuffix(".zip"))
            expected = (record.sha256, record.content_digest)
        except DomainError:
            expected = ("", "")
        checked = verify_zip(path, *expected)
        f = checked.findings
        return VerifyView(archive_no=checked.archive_no, ok=f.ok, lines=f.lines())
    return archives.verify(target)


def verify_main(
    settings: Settings,
    target: str | None,
    every: bool,
    out: TextIO | None = None,
    clock: Clock | None = None,
) -> int:
    stream = out or sys.stdout
    archives = _service(settings, clock)
    try:
        if every:
            views = archives.verify_all()
            if not views:
                print("没有已归档的归档信息包", file=stream)
        elif target:
            views = [verify_one(archives, target)]
        else:
            print("请给出归档信息包文件或档号，或用 --all 检查全部", file=stream)
            return 2
    except DomainError as exc:
        print(exc.message, file=stream)
        return 1
    finally:
        archives.db.dispose()
    for view in views:
        _print(view, stream)
    bad = [v for v in views if not v.ok]
    if views:
        print(f"共检查 {len(views)} 个，{len(bad)} 个有问题", file=stream)
    return 1 if bad else 0


def build_main(settings: Settings, out: TextIO | None = None, clock: Clock | None = None) -> int:
    """One archive pass: build every due package, raise alerts for late ones."""
    stream = out or sys.stdout
    archives = _service(settings, clock)
    try:
        report = archive_pass(archives)
    finally:
        archives.db.dispose()
    for number in report.built:
        print(f"已归档：{number}", file=stream)
    for line in report.failed:
        print(f"未能归档：{line}", file=stream)
    print(f"本次归档 {len(report.built)} 件，失败 {len(report.failed)} 件", file=stream)
    return 1 if report.failed else 0
