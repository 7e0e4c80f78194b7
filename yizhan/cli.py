"""The ``yizhan`` command: serve, tui, demo, db upgrade, button, settings-doc."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

from appliance.settings import Settings, load_settings
from appliance.settings_doc import settings_markdown
from yizhan.startup import device_key_ready, trusted_start, with_device_key

# httpx imports its own command-line client (click, rich.syntax, pygments) unless that module
# cannot be imported. No yizhan process runs it; skipping it saves the hardware service and
# the staff terminal 3-5 MB each (R-N4: a 512 MB Pi Zero 2 W; bench/memory.py).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(getattr(args, "config", None))


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from appliance.db.revision import at_head
    from yizhan.upgrade import recover_upgrade

    settings = _settings(args)
    recover_upgrade(settings)  # an upgrade the power cut short is undone first (R-N2)
    if args.revision in {"head", "heads"} and at_head(settings.sqlalchemy_url):
        print(f"数据库已是最新版本，无需升级：{settings.sqlalchemy_url}")  # no Alembic loaded
    else:
        from appliance.db.migrate import upgrade

        upgrade(settings.sqlalchemy_url, args.revision)
        print(f"数据库已升级到 {args.revision}：{settings.sqlalchemy_url}")
    if not settings.device_key:  # setup makes the station's own device key (R-I3)
        from appliance.staff.service.device_key import ensure_device_key

        print(f"设备密钥：{ensure_device_key(settings)}（仅服务用户可读）")
    return 0


def cmd_demo_seed(args: argparse.Namespace) -> int:
    from appliance.db.migrate import upgrade
    from appliance.demo.cases import seed_demo_cases
    from appliance.demo.seed import seed_demo
    from appliance.wiring import build_services

    settings = _settings(args)
    upgrade(settings.sqlalchemy_url)
    services = build_services(settings)
    try:
        seeded = seed_demo(services)
        cases = seed_demo_cases(services) if seeded else 0
    finally:
        services.close()
    print(f"已写入演示数据（含演示办件 {cases} 件）" if seeded else "已有数据，未重复写入演示数据")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from appliance.http.app import create_app, server_limits
    from appliance.http.serving import serve

    settings = _settings(args)
    if not device_key_ready(settings):
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    host, port = args.host or settings.http_host, args.port or settings.http_port
    if not trusted_start(settings, host, port):  # clock and an interrupted restore first
        return 1
    app = create_app(settings)
    serve(app, host, port, server_limits(settings))  # header/body timeouts, per-address limit
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    from tui.app import run_tui

    return run_tui(_settings(args))


def cmd_hw(args: argparse.Namespace) -> int:
    from hwservice.main import run_hw

    return run_hw(with_device_key(_settings(args)), keyboard=args.keyboard)


def cmd_button(args: argparse.Namespace) -> int:
    from hwservice.button_sim import run_button_simulator

    return run_button_simulator(with_device_key(_settings(args)))


def _wait_for_server(url: str, timeout: float = 20.0) -> bool:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=1.0).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def cmd_demo(args: argparse.Namespace) -> int:
    """Migrate, seed, start the server in the background and open the staff TUI."""
    cmd_demo_seed(args)
    settings = _settings(args)
    log_path = settings.data_path / "server.log"
    env = {**os.environ, "YIZHAN_DEMO": "1"}  # demo mode: the demo device key is accepted
    with open(log_path, "ab") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "yizhan.cli", "serve"], stdout=log, stderr=log, env=env
        )
    hardware: subprocess.Popen[bytes] | None = None
    try:
        if not _wait_for_server(settings.server_url):
            print(f"服务器未能启动，请查看 {log_path}", file=sys.stderr)
            return 1
        with open(settings.data_path / "hw.log", "ab") as log:
            hardware = subprocess.Popen(
                [sys.executable, "-m", "yizhan.cli", "hw"], stdout=log, stderr=log, env=env
            )
        print(f"大厅叫号屏：{settings.server_url}/display  取号页：{settings.server_url}/kiosk")
        if args.no_tui:
            server.wait()
            return 0
        return cmd_tui(args)
    finally:
        for proc in (hardware, server):
            if proc is None:
                continue
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def cmd_doctor(args: argparse.Namespace) -> int:
    from yizhan.doctor import doctor_main

    return doctor_main(_settings(args))


def cmd_sync_status(args: argparse.Namespace) -> int:
    from sync.station.cli import sync_status_main

    return sync_status_main(_settings(args))


def cmd_sync_run(args: argparse.Namespace) -> int:
    from sync.station.cli import sync_run_main

    return sync_run_main(_settings(args), once=args.once)


def cmd_sync_enrol(args: argparse.Namespace) -> int:
    from sync.station.cli import sync_enrol_main

    return sync_enrol_main(_settings(args), args.code, force=args.force)


def cmd_sync_export(args: argparse.Namespace) -> int:
    from sync.station.usb import usb_export_main

    return usb_export_main(_settings(args), args.path)


def cmd_sync_import(args: argparse.Namespace) -> int:
    from sync.station.usb import usb_import_main

    return usb_import_main(_settings(args), args.path)


def cmd_catalogue_import(args: argparse.Namespace) -> int:
    from appliance.catalogue.service.importer import catalogue_import_main

    return catalogue_import_main(_settings(args), args.path)


def cmd_catalogue_template(args: argparse.Namespace) -> int:
    from appliance.catalogue.service.xlsx import catalogue_template_main

    return catalogue_template_main(args.path)


def cmd_calendar_import(args: argparse.Namespace) -> int:
    from appliance.catalogue.service.importer import calendar_import_main

    return calendar_import_main(_settings(args), args.path)


def cmd_cases_sweep(args: argparse.Namespace) -> int:
    from appliance.cases.service.sweep import sweep_main
    from appliance.core.clock import SystemClock

    return sweep_main(_settings(args), SystemClock())


def cmd_backup(args: argparse.Namespace) -> int:
    from appliance.backup.cli import backup_main

    return backup_main(_settings(args))


def cmd_archive_build(args: argparse.Namespace) -> int:
    from appliance.archives.cli import build_main

    return build_main(_settings(args))


def cmd_archive_verify(args: argparse.Namespace) -> int:
    from appliance.archives.cli import verify_main

    return verify_main(_settings(args), args.package, args.all)


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from appliance.backup.cli import restore_main

    return restore_main(_settings(args), Path(args.path), other_station=args.other_station)


def cmd_settings_doc(args: argparse.Namespace) -> int:
    sys.stdout.write(settings_markdown())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yizhan", description="驿站 便民服务站设备")
    parser.add_argument("--config", help="TOML settings file (default: $YIZHAN_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="start the station HTTP server")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_serve)

    sub.add_parser("tui", help="open the staff terminal").set_defaults(func=cmd_tui)
    p = sub.add_parser("hw", help="hardware service: printers, SMS, buttons, voice")
    p.add_argument(
        "--keyboard", action="store_true", help="drive the fake GPIO pins from this terminal"
    )
    p.set_defaults(func=cmd_hw)
    sub.add_parser(
        "button", help="simulated door call button (the real button's device path): Enter issues"
    ).set_defaults(func=cmd_button)

    p = sub.add_parser("demo", help="demo station: migrate, seed, serve and open the TUI")
    p.add_argument("--no-tui", action="store_true", help="serve only")
    p.set_defaults(func=cmd_demo)
    demo_sub = p.add_subparsers(dest="demo_command")
    demo_sub.add_parser("seed", help="migrate and seed demo data only").set_defaults(
        func=cmd_demo_seed
    )

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    p = db_sub.add_parser("upgrade", help="apply Alembic migrations")
    p.add_argument("revision", nargs="?", default="heads")
    p.set_defaults(func=cmd_db_upgrade)

    sub.add_parser(
        "doctor", help="self-check: printers, modem, GPIO, voice, clock, disk, database, county"
    ).set_defaults(func=cmd_doctor)

    sync = sub.add_parser("sync", help="store-and-forward sync with the county centre")
    sync_sub = sync.add_subparsers(dest="sync_command", required=True)
    sync_sub.add_parser("status", help="what the TUI status bar shows").set_defaults(
        func=cmd_sync_status
    )
    p = sync_sub.add_parser("run", help="send events and fetch reference data")
    p.add_argument("--once", action="store_true", help="one round, then exit")
    p.set_defaults(func=cmd_sync_run)
    p = sync_sub.add_parser("enrol", help="enrol this station with a one-time county code")
    p.add_argument("code")
    p.add_argument("--force", action="store_true", help="enrol again with a new key")
    p.set_defaults(func=cmd_sync_enrol)
    p = sync_sub.add_parser("export", help="write pending batches to a USB stick (sneakernet)")
    p.add_argument("path")
    p.set_defaults(func=cmd_sync_export)
    p = sync_sub.add_parser("import", help="apply the county's answer from a USB stick")
    p.add_argument("path")
    p.set_defaults(func=cmd_sync_import)

    p = sub.add_parser("catalogue", help="service catalogue (事项清单)")
    cat_sub = p.add_subparsers(dest="catalogue_command", required=True)
    p = cat_sub.add_parser("import", help="replace the catalogue from a JSON or XLSX file")
    p.add_argument("path")
    p.set_defaults(func=cmd_catalogue_import)
    p = cat_sub.add_parser("template", help="write an empty XLSX of the catalogue layout")
    p.add_argument("path")
    p.set_defaults(func=cmd_catalogue_template)
    p = sub.add_parser("calendar", help="working-day calendar (节假日与调休)")
    cal_sub = p.add_subparsers(dest="calendar_command", required=True)
    p = cal_sub.add_parser("import", help="replace or extend years from a JSON file")
    p.add_argument("path")
    p.set_defaults(func=cmd_calendar_import)
    p = sub.add_parser("cases", help="case handling (办件)")
    cases_sub = p.add_subparsers(dest="cases_command", required=True)
    cases_sub.add_parser(
        "sweep", help="one sweep: auto-accept, lapse, reminders, overdue (prints what it did)"
    ).set_defaults(func=cmd_cases_sweep)

    sub.add_parser(
        "backup", help="back up the database, notices and keys (DATA_DIR/backups, USB stick)"
    ).set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="verify a backup, then restore it into DATA_DIR")
    p.add_argument("path", help="a backup folder, e.g. DATA_DIR/backups/yizhan-…")
    p.add_argument(
        "--other-station", action="store_true", help="allow a backup of another station code"
    )
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("archive", help="archive packages, 一事一档 (DATA_DIR/archives)")
    arc_sub = p.add_subparsers(dest="archive_command", required=True)
    arc_sub.add_parser(
        "build", help="build every due package and alert on late ones (prints what it did)"
    ).set_defaults(func=cmd_archive_build)
    p = arc_sub.add_parser("verify", help="recheck packages: missing, changed or extra files")
    p.add_argument("package", nargs="?", help="a package .zip file or an archive number")
    p.add_argument("--all", action="store_true", help="every recorded package")
    p.set_defaults(func=cmd_archive_verify)

    from sync.county.cli import add_county_commands

    add_county_commands(sub)
    from yizhan.provision_file import add_provision_command

    add_provision_command(sub)
    from yizhan.upgrade import add_upgrade_command

    add_upgrade_command(sub)

    sub.add_parser("settings-doc", help="print docs/settings.md").set_defaults(
        func=cmd_settings_doc
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
