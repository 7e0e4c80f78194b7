"""``yizhan county …`` commands: serve, db upgrade, create-station, enrol-code, revoke,
force-backlog, create-admin, settings-doc. ``add_county_commands`` wires them into argparse."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
from typing import Any

from appliance.core.errors import DomainError
from sync.county.settings import CountySettings, county_settings_markdown, load_county_settings


def _settings(args: argparse.Namespace) -> CountySettings:
    return load_county_settings()


def _run(args: argparse.Namespace, action: Any) -> int:
    """Build services, run ``action(services)``, print a Chinese refusal on a domain error."""
    from sync.county.services import build_county_services

    services = build_county_services(_settings(args))
    try:
        action(services)
        return 0
    except DomainError as exc:
        print(f"操作未完成：{exc.message}")
        return 1
    finally:
        services.close()


def cmd_county_serve(args: argparse.Namespace) -> int:
    from appliance.http.serving import serve
    from sync.county.app import county_server_limits, create_county_app

    settings = _settings(args)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    host, port = args.host or settings.http_host, args.port or settings.http_port
    serve(create_county_app(settings), host, port, county_server_limits(settings))
    return 0


def cmd_county_db_upgrade(args: argparse.Namespace) -> int:
    from sync.county.migrate import upgrade

    settings = _settings(args)
    upgrade(settings.database_url, args.revision)
    print(f"县级数据库已升级到 {args.revision}")
    return 0


def cmd_county_create_station(args: argparse.Namespace) -> int:
    from sync.county.enrolment import create_station

    def action(svc: Any) -> None:
        issued = create_station(svc, args.code, args.name)
        print(f"已登记站点 {issued.station_id}（{args.name}）")
        print(f"入网码（只显示这一次）：{issued.code}")
        print(f"有效期至：{issued.expires_at:%Y-%m-%d %H:%M} UTC")

    return _run(args, action)


def cmd_county_enrol_code(args: argparse.Namespace) -> int:
    from sync.county.enrolment import issue_enrolment_code

    def action(svc: Any) -> None:
        issued = issue_enrolment_code(svc, args.station)
        print(f"站点 {issued.station_id} 的新入网码（只显示这一次）：{issued.code}")
        print(f"有效期至：{issued.expires_at:%Y-%m-%d %H:%M} UTC")

    return _run(args, action)


def cmd_county_revoke(args: argparse.Namespace) -> int:
    from sync.county.enrolment import revoke_station

    def action(svc: Any) -> None:
        revoke_station(svc, args.station)
        print(f"已吊销站点 {args.station} 的密钥，此后其上传与下载一律拒绝")

    return _run(args, action)


def cmd_county_force_backlog(args: argparse.Namespace) -> int:
    from sync.county.ingest import force_backlog

    def action(svc: Any) -> None:
        count = force_backlog(svc, args.station)
        print(f"已强制入账站点 {args.station} 等待补齐的 {count} 条记录")

    return _run(args, action)


def cmd_county_create_admin(args: argparse.Namespace) -> int:
    from sync.county.admins import create_admin

    password = os.environ.get("YIZHAN_COUNTY_ADMIN_PASSWORD") or getpass.getpass("密码：")

    def action(svc: Any) -> None:
        admin = create_admin(svc, args.username, password, args.role, args.display_name or "")
        print(f"已创建管理员 {admin.username}（{admin.role}）")

    return _run(args, action)


def cmd_county_import_usb(args: argparse.Namespace) -> int:
    from sync.county.usb import county_usb_import_main

    return county_usb_import_main(_settings(args), args.path)


def cmd_county_settings_doc(args: argparse.Namespace) -> int:
    print(county_settings_markdown(), end="")
    return 0


def add_county_commands(sub: Any) -> None:
    """Add ``county …`` to the ``yizhan`` subparsers (``sub`` from ``add_subparsers``)."""
    county = sub.add_parser("county", help="county centre server (县级中心)")
    csub = county.add_subparsers(dest="county_command", required=True)
    p = csub.add_parser("serve", help="start the county sync server")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_county_serve)
    db = csub.add_parser("db", help="county database maintenance")
    db_sub = db.add_subparsers(dest="county_db_command", required=True)
    p = db_sub.add_parser("upgrade", help="apply the county Alembic migrations")
    p.add_argument("revision", nargs="?", default="heads")
    p.set_defaults(func=cmd_county_db_upgrade)
    p = csub.add_parser(
        "import-usb", help="import station batches from a USB stick, write answers back"
    )
    p.add_argument("path")
    p.set_defaults(func=cmd_county_import_usb)
    p = csub.add_parser("create-station", help="register a station; prints its enrolment code")
    p.add_argument("code", help="station code (站点编码)")
    p.add_argument("name", help="station name")
    p.set_defaults(func=cmd_county_create_station)
    p = csub.add_parser("enrol-code", help="issue a new one-time enrolment code")
    p.add_argument("station")
    p.set_defaults(func=cmd_county_enrol_code)
    p = csub.add_parser("revoke", help="revoke a station's key")
    p.add_argument("station")
    p.set_defaults(func=cmd_county_revoke)
    p = csub.add_parser("force-backlog", help="apply a station's events waiting behind a gap")
    p.add_argument("station")
    p.set_defaults(func=cmd_county_force_backlog)
    p = csub.add_parser("create-admin", help="create a dashboard user (password asked)")
    p.add_argument("username")
    p.add_argument("--role", default="county_admin", choices=["county_admin", "viewer"])
    p.add_argument("--display-name")
    p.set_defaults(func=cmd_county_create_admin)
    csub.add_parser("settings-doc", help="print the county settings reference").set_defaults(
        func=cmd_county_settings_doc
    )
    from sync.county.bundle_cli import add_bundle_commands

    add_bundle_commands(csub)
