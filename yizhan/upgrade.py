"""``yizhan upgrade [BUNDLE] [--usb] [--check]``: the station's side of signed update bundles
(see docs/upgrade.md). Without a file or ``--usb``, the newest bundle the sync agent
downloaded into DATA_DIR/updates."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # the parser is built for every command: import the heavy parts lazily
    from appliance.core.clock import Clock
    from appliance.settings import Settings

UPGRADING_ENV = "YIZHAN_UPGRADING"  # set by `yizhan upgrade` for the new release's migration
STOP = "sudo systemctl stop yizhan-server yizhan-hw yizhan-sync"


def upgrade_main(
    settings: Settings,
    bundle: str | None,
    *,
    usb: bool = False,
    check_only: bool = False,
    config: str | None = None,
    out: TextIO | None = None,
    clock: Clock | None = None,
    server_check: bool = True,
    usb_sticks: list[Path] | None = None,
) -> int:
    """0 when installed (or, with ``check_only``, when the bundle would be accepted); 1 with
    one Chinese line otherwise."""
    from appliance.core.clock import SystemClock
    from appliance.upgrade.apply import UpgradeFailed, check_bundle, staging_dir, upgrade
    from appliance.upgrade.rules import BundleInvalid

    stream = out or sys.stdout
    clock = clock or SystemClock()
    path = _choose(settings, bundle, usb, stream, usb_sticks)
    if path is None:
        return 1
    if check_only:
        try:
            manifest = check_bundle(settings, path, Path(settings.releases_dir))
        except BundleInvalid as exc:
            stream.write(f"✘ 拒绝升级：{exc}\n")
            return 1
        finally:
            shutil.rmtree(staging_dir(settings), ignore_errors=True)
        stream.write(f"✔ 升级包 {path.name} 校验通过，可以安装版本 {manifest.version}\n")
        return 0
    if server_check:
        from appliance.backup.cli import server_running

        if server_running(settings.server_url):
            stream.write(f"✘ 站点服务器正在运行，不能升级：请先停止服务（{STOP}），再运行本命令\n")
            return 1
    try:
        result = upgrade(settings, path, clock.now(), config=config)
    except BundleInvalid as exc:
        stream.write(f"✘ 拒绝升级：{exc}\n")
        return 1
    except UpgradeFailed as exc:
        stream.write(f"✘ 升级失败：{exc}\n")
        return 1
    stream.write(
        f"✔ 已从 {result.previous} 升级到 {result.version}（{result.release}），"
        f"升级前的数据备份在 {result.backup}\n"
    )
    return 0


def _choose(
    settings: Settings, bundle: str | None, usb: bool, out: TextIO, sticks: list[Path] | None
) -> Path | None:
    from appliance.upgrade.apply import downloaded_bundles, newest_bundle, usb_bundles

    if bundle and usb:
        out.write("✘ 请只给出升级包文件，或只用 --usb\n")
        return None
    if bundle:
        return Path(bundle)
    if not usb:
        downloaded = newest_bundle(downloaded_bundles(settings))
        if downloaded is None:
            out.write(
                "✘ 没有已下载的升级包：请给出升级包文件（yizhan upgrade 升级包.tar），"
                "或插入 U 盘后用 --usb\n"
            )
            return None
        out.write(f"使用同步下载的升级包 {downloaded}\n")
        return downloaded
    path = newest_bundle(usb_bundles(settings, sticks))
    if path is None:
        out.write(f"✘ 未在 U 盘（{settings.backup_usb_glob}）上找到升级包 yizhan-update-*.tar\n")
        return None
    out.write(f"找到升级包 {path}\n")
    return path


def cmd_upgrade(args: argparse.Namespace) -> int:
    from appliance.settings import load_settings

    config = getattr(args, "config", None)
    return upgrade_main(
        load_settings(config),
        args.bundle,
        usb=args.usb,
        check_only=args.check,
        config=config,
    )


def add_upgrade_command(sub: Any) -> None:
    """Add ``upgrade`` to the ``yizhan`` subparsers."""
    p = sub.add_parser(
        "upgrade", help="install a signed update bundle from the county (verify, back up, migrate)"
    )
    p.add_argument(
        "bundle", nargs="?", help="yizhan-update-<version>.tar (default: the one sync downloaded)"
    )
    p.add_argument("--usb", action="store_true", help="the newest bundle on a mounted USB stick")
    p.add_argument("--check", action="store_true", help="only verify the bundle, change nothing")
    p.set_defaults(func=cmd_upgrade)


def recover_upgrade(settings: Settings) -> str | None:
    """Before ``db upgrade`` and ``serve``: undo an upgrade the power cut short (R-N2)."""
    if os.environ.get(UPGRADING_ENV) or not (settings.data_path / "updates").is_dir():
        return None  # the upgrade's own migration step, or no upgrade ever ran
    from appliance.backup.restore import RestoreRefused
    from appliance.core.clock import SystemClock
    from appliance.upgrade.journal import recover_interrupted_upgrade

    try:
        message = recover_interrupted_upgrade(settings, SystemClock().now())
    except (RestoreRefused, OSError) as exc:
        message = f"上次升级中断，自动恢复失败（{exc}）：请用 yizhan restore 恢复升级前的备份"
    if message:
        print(message, file=sys.stderr)
    return message
