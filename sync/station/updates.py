"""Update bundles offered over sync (升级包下载), the station's side.

The county announces each published bundle as an ``update`` reference row (id = version;
``file``, ``size``, ``sha256``, ``requires_from``, see ``sync/county/updates.py``). After the
reference data of a round, :func:`fetch_update` takes the newest offer that fits the installed
version, downloads it in signed, resumable chunks into ``DATA_DIR/updates/<file>.partial``,
checks the SHA-256 the row names, verifies the bundle itself (signature by the trusted county
key, every wheel's hash, the version) and only then renames it into place and raises the staff
alert "有可用更新 x.y.z". It never installs anything: that is ``yizhan upgrade``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import select

from appliance.db.database import Database
from appliance.settings import Settings
from appliance.upgrade.apply import UPDATES, trusted_key
from appliance.upgrade.bundle import verify_bundle
from appliance.upgrade.releases import installed_version
from appliance.upgrade.rules import (
    BundleInvalid,
    Manifest,
    bundle_name,
    fit_problem,
    parse_version,
)
from appliance.upgrade.service import UpdateService
from appliance.uplink.tables import ReferenceRow
from sync.station.client import CountyClient, CountyRefused

log = logging.getLogger("yizhan.sync")
TABLE = "update"
PATH = "/sync/v1/updates"
CHUNK = 1024 * 1024


class UpdateRefused(Exception):
    """An offered bundle was not taken (bad download or bundle); ``args[0]`` is Chinese."""


@dataclass(frozen=True)
class Offer:
    version: str
    file: str
    size: int
    sha256: str
    requires_from: str


def offers(db: Database) -> list[Offer]:
    """The live ``update`` rows that are well formed."""
    with db.read() as s:
        rows = s.exec(
            select(ReferenceRow).where(
                ReferenceRow.table_name == TABLE,
                ReferenceRow.deleted == False,  # noqa: E712
            )
        ).all()
    found = []
    for row in rows:
        try:
            data = json.loads(row.data)
            offer = Offer(
                version=str(data["version"]),
                file=str(data["file"]),
                size=int(data["size"]),
                sha256=str(data["sha256"]),
                requires_from=str(data.get("requires_from", "")),
            )
            parse_version(offer.version)
        except (ValueError, KeyError, TypeError):
            continue
        if offer.file == bundle_name(offer.version) and offer.size > 0:
            found.append(offer)
    return found


def choose(candidates: list[Offer], installed: str) -> Offer | None:
    """The newest offer this station may install over ``installed``."""
    fitting = []
    for offer in candidates:
        stub = _stub(offer)
        try:
            if fit_problem(stub, installed) is None:
                fitting.append(offer)
        except BundleInvalid:
            continue
    return max(fitting, key=lambda o: parse_version(o.version), default=None)


def _stub(offer: Offer) -> Manifest:
    return Manifest(offer.version, offer.requires_from, "", "", "", {})


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _download(client: CountyClient, offer: Offer, partial: Path) -> None:
    have = partial.stat().st_size if partial.exists() else 0
    if have > offer.size:
        partial.unlink()
        have = 0
    with open(partial, "ab") as fh:
        while have < offer.size:
            try:
                chunk = client.signed_get_bytes(
                    f"{PATH}/{offer.file}", {"offset": have, "length": CHUNK}
                )
            except CountyRefused as exc:
                raise UpdateRefused(f"县级中心拒绝提供升级包 {offer.file}：{exc.message}") from exc
            if not chunk:
                break
            fh.write(chunk)
            fh.flush()
            have += len(chunk)
        os.fsync(fh.fileno())


def fetch_update(
    db: Database, settings: Settings, client: CountyClient, now: datetime
) -> str | None:
    """Download and verify the newest fitting offer; returns its version when one waits."""
    offer = choose(offers(db), installed_version(Path(settings.releases_dir)))
    if offer is None:
        return None
    folder = settings.data_path / UPDATES
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / offer.file
    if not final.exists():
        partial = folder / f"{offer.file}.partial"
        _download(client, offer, partial)
        staging = folder / ".fetch-check"
        try:
            if partial.stat().st_size != offer.size or _sha256(partial) != offer.sha256:
                raise UpdateRefused(f"下载的升级包 {offer.file} 校验值不符，已删除，下轮重新下载")
            verify_bundle(partial, trusted_key(settings), staging)
        except (UpdateRefused, BundleInvalid) as exc:
            partial.unlink(missing_ok=True)
            raise UpdateRefused(str(exc)) from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        os.replace(partial, final)
        log.info("update %s downloaded and verified: %s", offer.version, final)
    UpdateService(db).announce(offer.version, now)
    return offer.version
