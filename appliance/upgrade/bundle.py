"""Reading a signed update bundle (升级包) without trusting it.

:func:`verify_bundle` checks, before anything on the station changes:

1. the file is a plain tar whose members are only ``manifest.json``, ``manifest.sig`` and
   ``wheels/<name>.whl`` regular files (no links, no paths outside, no duplicates);
2. the signature over the manifest verifies with the county key the station trusts;
3. the manifest is one this version understands and lists exactly the wheels present;
4. every wheel, copied into ``staging``, has the listed size and SHA-256.

Any problem raises :class:`BundleInvalid` with one Chinese line; ``staging`` is then removed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import shutil
import tarfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from appliance.upgrade.rules import (
    MANIFEST,
    SIGNATURE,
    BundleInvalid,
    Manifest,
    parse_manifest,
    safe_member,
    signed_message,
)

MAX_META = 1024 * 1024
MAX_TOTAL = 1024 * 1024 * 1024
CHUNK = 1024 * 1024


def verify_signature(public_b64: str, manifest_bytes: bytes, signature_text: str) -> None:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64, validate=True))
    except (ValueError, binascii.Error) as exc:
        raise BundleInvalid("本站保存的县级更新公钥格式不对（county_update_pubkey）") from exc
    try:
        signature = base64.b64decode(signature_text.strip(), validate=True)
        key.verify(signature, signed_message(manifest_bytes))
    except (ValueError, binascii.Error, InvalidSignature) as exc:
        raise BundleInvalid(
            "升级包签名校验失败：不是本站信任的县级中心签发，或已被改动，拒绝安装"
        ) from exc


def _members(tar: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    members: dict[str, tarfile.TarInfo] = {}
    total = 0
    for info in tar.getmembers():
        if not info.isreg() or not safe_member(info.name) or info.name in members:
            raise BundleInvalid(f"升级包中有不允许的内容（{info.name}），拒绝安装")
        total += info.size
        members[info.name] = info
    if total > MAX_TOTAL:
        raise BundleInvalid("升级包过大，拒绝安装")
    for name in (MANIFEST, SIGNATURE):
        if name not in members:
            raise BundleInvalid(f"升级包缺少 {name}，不是完整的升级包")
        if members[name].size > MAX_META:
            raise BundleInvalid(f"升级包中的 {name} 过大，拒绝安装")
    return members


def _read(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    fh = tar.extractfile(info)
    if fh is None:
        raise BundleInvalid(f"升级包中的 {info.name} 无法读取")
    with fh:
        return fh.read()


def read_manifest(path: Path, public_b64: str) -> Manifest:
    """The verified manifest of the bundle at ``path`` (wheels not hashed)."""
    try:
        with tarfile.open(path, mode="r:") as tar:
            members = _members(tar)
            raw = _read(tar, members[MANIFEST])
            signature = _read(tar, members[SIGNATURE]).decode("ascii", "replace")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BundleInvalid(f"升级包 {path.name} 无法读取（不是升级包或已损坏）") from exc
    verify_signature(public_b64, raw, signature)
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise BundleInvalid("升级包清单无法解析") from exc
    return parse_manifest(data)


def _copy_checked(tar: tarfile.TarFile, info: tarfile.TarInfo, dst: Path, want: str) -> None:
    fh = tar.extractfile(info)
    if fh is None:
        raise BundleInvalid(f"升级包中的 {info.name} 无法读取")
    digest = hashlib.sha256()
    dst.parent.mkdir(parents=True, exist_ok=True)
    with fh, open(dst, "wb") as out:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != want:
        raise BundleInvalid(f"升级包中 {info.name} 的校验值不符（文件已损坏或被改动），拒绝安装")


def verify_bundle(path: Path, public_b64: str, staging: Path) -> Manifest:
    """Verify the whole bundle and copy its wheels into ``staging/wheels`` (hashed)."""
    if not path.is_file():
        raise BundleInvalid(f"找不到升级包 {path}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with tarfile.open(path, mode="r:") as tar:
            members = _members(tar)
            raw = _read(tar, members[MANIFEST])
            verify_signature(public_b64, raw, _read(tar, members[SIGNATURE]).decode("latin-1"))
            try:
                manifest = parse_manifest(json.loads(raw))
            except ValueError as exc:
                if isinstance(exc, BundleInvalid):
                    raise
                raise BundleInvalid("升级包清单无法解析") from exc
            present = set(members) - {MANIFEST, SIGNATURE}
            if present != set(manifest.files):
                odd = sorted(present ^ set(manifest.files))[0]
                raise BundleInvalid(f"升级包内容与清单不一致（{odd}），可能被改动过，拒绝安装")
            for rel, (size, digest) in sorted(manifest.files.items()):
                if members[rel].size != size:
                    raise BundleInvalid(f"升级包中 {rel} 的大小不符，可能被改动过，拒绝安装")
                _copy_checked(tar, members[rel], staging / rel, digest)
    except (tarfile.TarError, OSError, EOFError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BundleInvalid(f"升级包 {path.name} 无法读取（不是升级包或已损坏）") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest
