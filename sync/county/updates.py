"""Update bundles over sync (升级包下发): the county publishes, the stations download.

``yizhan county bundle publish FILE`` checks the bundle's signature, copies it to
``DATA_DIR/updates/`` and writes one ``update`` reference row (id = version) with the
file's name, size and SHA-256, so every station learns of it with its reference data.
A station then fetches the file in chunks, by signed GETs of
``/sync/v1/updates/{name}?offset=N&length=M`` (resumable over a poor link), verifies it, and
shows staff "有可用更新 x.y.z"; installing it stays a deliberate ``yizhan upgrade``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

from appliance.core.errors import Invalid, NotFound
from appliance.upgrade.bundle import read_manifest
from appliance.upgrade.rules import BUNDLE_RE, BundleInvalid, bundle_name
from sync.county.reference import upsert_reference
from sync.county.services import CountyServices

TABLE = "update"
FOLDER = "updates"
MAX_CHUNK = 4 * 1024 * 1024


def updates_dir(svc: CountyServices) -> Path:
    return svc.settings.data_path / FOLDER


def publish_bundle(
    svc: CountyServices, path: Path, public_b64: str | None = None
) -> dict[str, Any]:
    """Verify ``path`` (with the county key, or ``public_b64``), keep a copy, announce it."""
    try:
        manifest = read_manifest(path, public_b64 or svc.keys.public_b64)
    except BundleInvalid as exc:
        raise Invalid(str(exc), "bad_bundle") from exc
    name = bundle_name(manifest.version)
    folder = updates_dir(svc)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{name}.partial"
    shutil.copyfile(path, tmp)
    digest = hashlib.sha256()
    with open(tmp, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
        os.fsync(fh.fileno())
    os.replace(tmp, folder / name)
    row = {
        "version": manifest.version,
        "file": name,
        "size": (folder / name).stat().st_size,
        "sha256": digest.hexdigest(),
        "requires_from": manifest.requires_from,
        "notes": manifest.notes,
        "created_at": manifest.created_at,
    }
    upsert_reference(svc, TABLE, manifest.version, row)
    return row


def bundle_chunk(svc: CountyServices, name: str, offset: int, length: int) -> bytes:
    """``length`` bytes of a published bundle from ``offset`` (fewer at its end)."""
    if not BUNDLE_RE.match(name):
        raise NotFound("没有这个升级包", "no_bundle")
    path = updates_dir(svc) / name
    if not path.is_file():
        raise NotFound("没有这个升级包", "no_bundle")
    if offset < 0 or not 1 <= length <= MAX_CHUNK:
        raise Invalid(f"offset 须 ≥ 0，length 须在 1–{MAX_CHUNK} 之间", "bad_range")
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.read(length)
