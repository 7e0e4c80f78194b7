"""Fixtures for update bundles: a county key, tiny real wheels, a station whose releases
live in a tmp folder (nothing is ever installed into the project's .venv)."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import crypto
from tests.support.station import Station, make_station

REAL_CLI = "yizhan.cli:main"
"""The tiny wheel's ``yizhan`` command: the project's own CLI, reached through the running
release's site-packages (``yizhan-base.pth``), so ``db upgrade heads`` is real Alembic."""


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"sha256={digest.decode()}"


def make_wheel(
    folder: Path,
    version: str,
    *,
    name: str = "yizhan",
    script: str = REAL_CLI,
    modules: dict[str, str] | None = None,
) -> Path:
    """A real, minimal wheel of ``name`` ``version`` with a ``yizhan`` console script."""
    dist = f"{name.replace('-', '_')}-{version}"
    files: dict[str, str] = {f"{name.replace('-', '_')}_probe/__init__.py": "VALUE = 1\n"}
    files.update(modules or {})
    files[f"{dist}.dist-info/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    )
    files[f"{dist}.dist-info/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: yizhan-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    if script:
        files[f"{dist}.dist-info/entry_points.txt"] = f"[console_scripts]\nyizhan = {script}\n"
    record = "".join(
        f"{p},{_record_hash(t.encode())},{len(t.encode())}\n" for p, t in files.items()
    )
    files[f"{dist}.dist-info/RECORD"] = record + f"{dist}.dist-info/RECORD,,\n"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, text in files.items():
            zf.writestr(rel, text)
    return path


@dataclass
class Upgradable:
    station: Station
    key: Ed25519PrivateKey
    releases: Path
    root: Path

    @property
    def db(self) -> Path:
        return self.station.data_dir / "station.db"


@pytest.fixture
def county_key() -> Ed25519PrivateKey:
    return crypto.new_signing_key()


@pytest.fixture
def upgradable(tmp_path: Path, county_key: Ed25519PrivateKey) -> Iterator[Upgradable]:
    releases = tmp_path / "releases"
    st = make_station(
        tmp_path / "data",
        releases_dir=str(releases),
        county_update_pubkey=crypto.public_key_b64(county_key),
        backup_usb_glob=str(tmp_path / "no-usb-*"),
    )
    st.services.close()  # an upgrade runs with the station's services stopped
    yield Upgradable(st, county_key, releases, tmp_path)
