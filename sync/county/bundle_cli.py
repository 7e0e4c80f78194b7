"""``yizhan county bundle build|publish|pubkey``: the commands around :mod:`sync.county.bundles`
(imported only when one runs: the parser is built for every ``yizhan`` command)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def cmd_bundle_build(args: argparse.Namespace) -> int:
    from appliance.upgrade.rules import BundleInvalid
    from sync import crypto
    from sync.county.bundles import build_bundle

    if args.key:
        key_path = Path(args.key)
    else:
        from sync.county.settings import load_county_settings

        key_path = load_county_settings().signing_key_file
    try:
        key = crypto.load_private_key(key_path)
    except (OSError, ValueError) as exc:
        print(f"✘ 无法读取签名密钥 {key_path}：{exc}")
        return 1
    wheels = [Path(w) for w in args.wheels]
    missing = [w for w in wheels if not w.is_file()]
    if missing:
        print(f"✘ 找不到文件 {missing[0]}")
        return 1
    try:
        path = build_bundle(
            wheels, key, Path(args.out), requires_from=args.requires_from, notes=args.notes
        )
    except BundleInvalid as exc:
        print(f"✘ 未生成升级包：{exc}")
        return 1
    print(f"✔ 已生成升级包 {path}（签名密钥 {crypto.key_id(crypto.public_key_b64(key))}）")
    return 0


def cmd_bundle_pubkey(args: argparse.Namespace) -> int:
    from sync import crypto

    key_path = Path(args.key)
    try:
        print(crypto.public_key_b64(crypto.load_private_key(key_path)))
    except (OSError, ValueError) as exc:
        print(f"✘ 无法读取签名密钥 {key_path}：{exc}")
        return 1
    return 0


def cmd_bundle_publish(args: argparse.Namespace) -> int:
    from sync.county.cli import _run
    from sync.county.updates import publish_bundle

    def action(svc: Any) -> None:
        row = publish_bundle(svc, Path(args.bundle), args.pubkey or None)
        print(f"✔ 已发布升级包 {row['file']}（版本 {row['version']}），各站点下次同步时下载")

    return _run(args, action)


def add_bundle_commands(csub: Any) -> None:
    """``yizhan county bundle build|publish|pubkey`` (``csub``: the county subparsers)."""
    bundle = csub.add_parser("bundle", help="signed update bundles for the stations (升级包)")
    bsub = bundle.add_subparsers(dest="county_bundle_command", required=True)
    p = bsub.add_parser("build", help="sign wheels into yizhan-update-<version>.tar")
    p.add_argument("wheels", nargs="+", help="the yizhan wheel, and any dependency wheels")
    p.add_argument("--key", help="Ed25519 signing key file (default: the county key)")
    p.add_argument("--out", default=".", help="folder for the bundle (default: here)")
    p.add_argument(
        "--requires-from", default="", help="versions it may upgrade, e.g. '>=0.1.0,<0.2'"
    )
    p.add_argument("--notes", default="", help="release notes shown to the technician")
    p.set_defaults(func=cmd_bundle_build)
    p = bsub.add_parser("publish", help="offer a bundle to every station with the reference data")
    p.add_argument("bundle", help="yizhan-update-<version>.tar")
    p.add_argument("--pubkey", help="its signing public key, when not the county key (base64)")
    p.set_defaults(func=cmd_bundle_publish)
    p = bsub.add_parser("pubkey", help="print the base64 public key (county_update_pubkey)")
    p.add_argument("key", help="Ed25519 signing key file")
    p.set_defaults(func=cmd_bundle_pubkey)
