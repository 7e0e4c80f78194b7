"""``yizhan doctor``: the station self-check (自检), one line per check with a plain fix.

    ✔ 小票打印机：打印机就绪
    ✘ 小票打印机：打印机缺纸 —— 请装入 58 mm 热敏纸（光面朝打印头），合上盖子；…
    ⚠ 县级中心：未配置县级中心地址（本站单机运行，数据留在本机） —— 联网后在设置中填写 county_url 并执行 yizhan sync enrol

Checks: printers and paper, modem / SIM / signal, GPIO chip and pins, voice calling, the
clock (not before the release date, not behind the newest event), free disk, SQLite
``PRAGMA integrity_check``, county reachability and the device key
(:mod:`yizhan.doctor_keys`). A check never raises and never hangs the report: an error or a
timeout becomes a ✘ line. The exit code is 0 when no line is ✘.

The device checks live in :mod:`yizhan.doctor_checks`; the station checks (clock, disk,
database, county) and the runner live here.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

import httpx
from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import select

from appliance.core.clock import SystemClock
from appliance.db.database import Database
from appliance.events.tables import Event
from appliance.settings import Settings
from yizhan.doctor_checks import (
    COUNTY_TIMEOUT_SECONDS,
    SUPPORT_FIX,
    CheckResult,
    DoctorContext,
    ModemStatusSource,
    Printers,
    Status,
    check_gpio,
    check_hardware_service,
    check_modem,
    check_notice_printer,
    check_public_url,
    check_receipt_printer,
    check_voice,
    fail,
    ok,
    warn,
)
from yizhan.doctor_keys import check_device_key

__all__ = [
    "CHECK_TIMEOUT_SECONDS",
    "MARKS",
    "CheckResult",
    "Printers",
    "doctor_main",
    "exit_code",
    "format_line",
    "format_report",
    "run_doctor",
    "summary_line",
]

MARKS: dict[Status, str] = {"ok": "✔", "warn": "⚠", "fail": "✘"}
CHECK_TIMEOUT_SECONDS = 20.0

Check = Callable[[DoctorContext], CheckResult]

RELEASE_DATE = date(2026, 11, 22)
"""This version was built on or after this day; a clock before it is certainly wrong."""

CLOCK_TOLERANCE = timedelta(minutes=2)
"""How far the clock may lag the newest event before it counts as behind."""

DISK_WARN_MB = 1024
DISK_FAIL_MB = 200
TIME_FIX = (
    "请校准时间：连上网络后会自动校时；不能联网时运行 "
    "sudo timedatectl set-time 'YYYY-MM-DD HH:MM:SS'（北京时间）。树莓派没有时钟电池，断电后要重新校时"
)


# ---- clock ----------------------------------------------------------------------------------


def _build_date(ctx: DoctorContext) -> date:
    raw = str(ctx.setting("build_date", "") or "")
    return date.fromisoformat(raw) if raw else RELEASE_DATE


def last_event_at(db: Database) -> datetime | None:
    with db.read() as s:
        value = s.exec(select(func.max(Event.occurred_at))).one()
    return value if isinstance(value, datetime) else None


def check_clock(ctx: DoctorContext) -> CheckResult:
    name = "系统时钟"
    now = f"现在 {ctx.local(ctx.now)}"
    built = _build_date(ctx)
    if ctx.now.astimezone(ctx.tz).date() < built:
        return fail(name, f"{now}，早于软件发布日期 {built.isoformat()}", TIME_FIX)
    if ctx.db is None:
        return warn(
            name, f"{now}；无法读取数据库，未能与最近记录比对", "请先处理下面“数据库”一行的问题"
        )
    try:
        last = last_event_at(ctx.db)
    except Exception as exc:
        return warn(
            name, f"{now}；读取最近记录失败：{type(exc).__name__}", "请先处理下面“数据库”一行的问题"
        )
    if last is not None and ctx.now < last - CLOCK_TOLERANCE:
        return fail(name, f"{now}，比最近一条记录（{ctx.local(last)}）还早", TIME_FIX)
    return ok(name, f"{now}" + (f"，最近记录 {ctx.local(last)}" if last else ""))


# ---- disk, database, county ------------------------------------------------------------------


def _existing(path: Path) -> Path:
    path = path.resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk(ctx: DoctorContext) -> CheckResult:
    name = "磁盘空间"
    where = _existing(ctx.settings.data_path)
    free_mb = int(ctx.disk_usage(str(where)).free) // (1024 * 1024)
    found = (
        f"{where} 剩余 {free_mb / 1024:.1f} GB" if free_mb >= 1024 else f"{where} 剩余 {free_mb} MB"
    )
    fail_mb = int(ctx.setting("disk_fail_mb", DISK_FAIL_MB))
    warn_mb = int(ctx.setting("disk_warn_mb", DISK_WARN_MB))
    fix = "请删除不用的旧备份和日志，或换用更大的存储卡"
    if free_mb < fail_mb:
        return fail(name, f"{found}，低于 {fail_mb} MB，数据可能写不进去", fix)
    if free_mb < warn_mb:
        return warn(name, f"{found}，低于 {warn_mb} MB", fix)
    return ok(name, found)


def sqlite_path(settings: Settings) -> Path | None:
    """The database file when the station uses SQLite on disk, else ``None``."""
    url = make_url(settings.sqlalchemy_url)
    if not url.drivername.startswith("sqlite") or not url.database:
        return None
    if url.database == ":memory:":
        return None
    return Path(url.database)


def check_integrity(ctx: DoctorContext) -> CheckResult:
    name = "数据库"
    path = sqlite_path(ctx.settings)
    if path is None:
        return warn(name, "不是 SQLite 文件数据库，未做完整性检查", "请用该数据库自带的工具检查")
    if not path.is_file():
        return fail(name, f"找不到数据库文件 {path}", "请运行 yizhan db upgrade 建立数据库")
    restore = "数据库已损坏：请停止服务，备份 data 目录后从最近的备份恢复，并联系县级技术支持"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=10)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(5)").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return fail(name, f"{path} 无法读取（{exc}）", restore)
    if rows == ["ok"]:
        return ok(name, f"{path} 完整性检查通过")
    return fail(name, f"{path} 完整性检查发现问题：{'；'.join(rows[:2])}", restore)


def check_county(ctx: DoctorContext) -> CheckResult:
    name = "县级中心"
    url = str(ctx.setting("county_url", "") or "").strip()
    if not url:
        return warn(
            name,
            "未配置县级中心地址（本站单机运行，数据留在本机）",
            "联网后在设置中填写 county_url 并执行 yizhan sync enrol",
        )
    offline = "请检查网络（路由器、网线或 4G 信号）；断网不影响本站办理业务"
    try:
        response = httpx.get(url, timeout=ctx.county_timeout, follow_redirects=True)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return warn(name, f"无法连接 {url}（{type(exc).__name__}）", offline)
    ms = response.elapsed.total_seconds() * 1000
    if response.status_code >= 500:
        return warn(
            name, f"{url} 出错（HTTP {response.status_code}）", "县级中心暂时故障，稍后再试"
        )
    if response.status_code >= 400:
        return warn(
            name, f"{url} 可连接，但返回 HTTP {response.status_code}", "请核对设置中的 county_url"
        )
    return ok(name, f"{url} 可连接（HTTP {response.status_code}，{ms:.0f} ms）")


ALL_CHECKS: tuple[tuple[str, Check], ...] = (
    ("小票打印机", check_receipt_printer),
    ("A4 打印机", check_notice_printer),
    ("短信猫", check_modem),
    ("GPIO", check_gpio),
    ("语音叫号", check_voice),
    ("系统时钟", check_clock),
    ("磁盘空间", check_disk),
    ("数据库", check_integrity),
    ("县级中心", check_county),
    ("硬件服务", check_hardware_service),
    ("设备密钥", check_device_key),
    ("访客地址", check_public_url),
)
"""(line name, check) in report order; the name labels a ✘ line when the check itself fails."""


# ---- running and reporting ------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _run_check(name: str, check: Check, ctx: DoctorContext, timeout: float) -> CheckResult:
    """Run one check on a daemon thread: an exception or a hang becomes a ✘ line."""
    box: list[CheckResult] = []

    def target() -> None:
        try:
            box.append(check(ctx))
        except Exception as exc:
            box.append(fail(name, f"检查出错：{type(exc).__name__}: {exc}", SUPPORT_FIX))

    thread = threading.Thread(target=target, name=f"doctor-{name}", daemon=True)
    thread.start()
    thread.join(timeout)
    if not box:
        return fail(
            name,
            f"检查 {timeout:.0f} 秒没有结果",
            "设备可能卡住了：请重新插拔该设备或重启后再运行 yizhan doctor",
        )
    result = box[0]
    return CheckResult(
        _one_line(result.name), result.status, _one_line(result.found), _one_line(result.fix)
    )


def _open_database(settings: Settings) -> Database | None:
    """The station database, without creating it when its file does not exist yet."""
    path = sqlite_path(settings)
    is_sqlite = settings.sqlalchemy_url.startswith("sqlite")
    if (is_sqlite and (path is None or not path.is_file())) or not settings.sqlalchemy_url:
        return None
    try:
        return Database(settings.sqlalchemy_url)
    except Exception:  # e.g. a driver that is not installed; the checks report it
        return None


def run_doctor(
    settings: Settings,
    *,
    printers: Printers | None = None,
    modem: ModemStatusSource | None = None,
    now: datetime | None = None,
    db: Database | None = None,
    dev_dir: str | Path = "/dev",
    disk_usage: Callable[[str], Any] = shutil.disk_usage,
    county_timeout: float = COUNTY_TIMEOUT_SECONDS,
    check_timeout: float = CHECK_TIMEOUT_SECONDS,
    checks: Sequence[tuple[str, Check]] = ALL_CHECKS,
) -> list[CheckResult]:
    """Run every check and return one result per check, in report order.

    ``printers`` and ``modem`` default to the backends the settings build (a backend whose
    factory does not exist yet is reported as 未配置). ``db`` defaults to the station
    database named by the settings; ``now`` to the system clock.
    """
    own_db = db is None
    database = _open_database(settings) if db is None else db
    ctx = DoctorContext(
        settings=settings,
        now=now or SystemClock().now(),
        printers=printers,
        modem=modem,
        db=database,
        dev_dir=Path(dev_dir),
        disk_usage=disk_usage,
        county_timeout=county_timeout,
    )
    try:
        return [_run_check(name, check, ctx, check_timeout) for name, check in checks]
    finally:
        if own_db and database is not None:
            database.dispose()


def format_line(result: CheckResult) -> str:
    """``✘ 小票打印机：打印机缺纸 —— 请装入 58 mm 热敏纸…`` (always one line)."""
    line = f"{MARKS[result.status]} {result.name}：{result.found}"
    return f"{line} —— {result.fix}" if result.fix else line


def format_report(results: Sequence[CheckResult]) -> str:
    """One line per check, in order, ending with a newline."""
    return "".join(format_line(r) + "\n" for r in results)


def summary_line(results: Sequence[CheckResult]) -> str:
    counts = {s: sum(1 for r in results if r.status == s) for s in MARKS}
    verdict = "有故障需要处理" if counts["fail"] else "设备正常，可以开门办理"
    return (
        f"自检完成：{counts['ok']} 项正常，{counts['warn']} 项提醒，{counts['fail']} 项故障。"
        f"{verdict}"
    )


def exit_code(results: Sequence[CheckResult]) -> int:
    """0 when no check failed (✘), else 1."""
    return 1 if any(r.status == "fail" for r in results) else 0


def doctor_main(settings: Settings, out: TextIO | None = None) -> int:
    """What ``yizhan doctor`` runs: print the report and a summary, return the exit code."""
    stream = out or sys.stdout
    stream.write(f"驿站自检：{settings.station_name}（{settings.station_code}）\n")
    results = run_doctor(settings)
    stream.write(format_report(results))
    stream.write(summary_line(results) + "\n")
    stream.flush()
    return exit_code(results)
