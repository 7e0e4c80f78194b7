"""``yizhan county bundle build``: make a signed update bundle (升级包) for the stations.

The county signs the manifest with its Ed25519 signing key (``county.key``, the key the
stations pinned at enrolment, or another key given with ``--key`` whose public half the
stations hold as ``county_update_pubkey``). The format is in :mod:`appliance.upgrade.rules`;
the station's side is ``yizhan upgrade`` (docs/upgrade.md).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.upgrade.rules import (
    FORMAT,
    KIND,
    MANIFEST,
    PACKAGE,
    SIGNATURE,
    WHEELS,
    BundleInvalid,
    bundle_name,
    parse_manifest,
    satisfies,
    signed_message,
    wheel_version,
)
from sync import crypto


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_bytes(
    wheels: list[Path], requires_from: str, key: Ed25519PrivateKey, at: datetime, notes: str = ""
) -> tuple[str, bytes]:
    """(version, manifest JSON) for ``wheels``; the version is that of the yizhan wheel."""
    versions = [v for w in wheels if (v := wheel_version(w.name)) and v[0] == PACKAGE]
    if len(versions) != 1:
        raise BundleInvalid(f"升级包需要恰好一个 {PACKAGE} 的 wheel 文件")
    version = versions[0][1]
    satisfies(version, requires_from)  # refuses a malformed constraint
    data: dict[str, Any] = {
        "format": FORMAT,
        "kind": KIND,
        "package": PACKAGE,
        "version": version,
        "requires_from": requires_from,
        "created_at": at.isoformat(),
        "key_id": crypto.key_id(crypto.public_key_b64(key)),
        "notes": notes,
        "files": [
            {"path": f"{WHEELS}/{w.name}", "size": w.stat().st_size, "sha256": _sha256(w)}
            for w in sorted(wheels, key=lambda p: p.name)
        ],
    }
    raw = json.dumps(data, ensure_ascii=False, indent=1).encode()
    parse_manifest(json.loads(raw))  # the station must be able to read what we write
    return version, raw


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(mtime), 0o644
    tar.addfile(info, io.BytesIO(data))


def build_bundle(
    wheels: list[Path],
    key: Ed25519PrivateKey,
    out_dir: Path,
    *,
    requires_from: str = "",
    notes: str = "",
    at: datetime | None = None,
) -> Path:
    """Write ``out_dir/yizhan-update-<version>.tar`` (temp file, fsync, rename)."""
    at = at or datetime.now(UTC)
    version, raw = manifest_bytes(wheels, requires_from, key, at, notes)
    signature = crypto.sign(key, signed_message(raw)).encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / bundle_name(version)
    tmp = out_dir / f".{final.name}.partial"
    with tarfile.open(tmp, mode="w", format=tarfile.PAX_FORMAT) as tar:
        _add_bytes(tar, MANIFEST, raw, at.timestamp())
        _add_bytes(tar, SIGNATURE, signature, at.timestamp())
        for wheel in sorted(wheels, key=lambda p: p.name):
            info = tar.gettarinfo(str(wheel), arcname=f"{WHEELS}/{wheel.name}")
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with open(wheel, "rb") as fh:
                tar.addfile(info, fh)
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    return final
