"""Package files under ``DATA_DIR/archives`` (R-A1, R-A3): written atomically, rechecked.

A package is written to a temporary file beside its final name and fsync'ed before the write
transaction; inside it (after the row and the event are added) it is renamed into place and
the folder fsync'ed, so a committed row always has its file. Anything failing removes it.

``verify_zip`` rechecks a package on its own (its ``manifest.json``) and, given the recorded
digests, against the record too: it names every file missing, changed or extra.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlmodel import Session

from appliance.archives import rules
from appliance.archives.rules import Findings
from appliance.core.ids import new_id
from appliance.db.database import Database

T = TypeVar("T")
PACKAGES = "packages"
TRANSFERS = "transfers"


def archive_root(data_dir: Path) -> Path:
    return data_dir / "archives"


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Staged:
    tmp: Path
    final: Path


def write_temp(final: Path, data: bytes) -> Staged:
    """``data`` in a fsync'ed temporary file beside ``final``."""
    new = not final.parent.exists()
    final.parent.mkdir(parents=True, exist_ok=True)
    if new:
        fsync_dir(final.parent.parent)
    tmp = final.parent / f".{final.name}.{new_id()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Staged(tmp, final)


def commit_with_file(db: Database, staged: Staged, write: Callable[[Session], T]) -> T:
    """One write transaction that renames ``staged`` into place before it commits."""
    published = False
    try:
        with db.write() as s:
            result = write(s)
            os.replace(staged.tmp, staged.final)
            published = True
            fsync_dir(staged.final.parent)
            return result
    except BaseException:
        staged.tmp.unlink(missing_ok=True)
        if published:
            with contextlib.suppress(OSError):
                staged.final.unlink()
        raise


@dataclass
class Checked:
    """One verified package: its archive number (from its name), digests and findings."""

    archive_no: str
    sha256: str
    content_digest: str
    findings: Findings


def _manifest(z: zipfile.ZipFile, prefix: str) -> dict[str, Any] | None:
    try:
        data = json.loads(z.read(prefix + rules.MANIFEST))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else None


def verify_zip(path: Path, expected_sha256: str = "", expected_digest: str = "") -> Checked:
    """Recheck a package file; ``expected_*`` are the recorded digests ("" = not known)."""
    archive_no = path.name.removesuffix(".zip")
    if not path.is_file():
        found = Findings(problems=[f"归档信息包 {path.name} 不存在"])
        return Checked(archive_no, "", "", found)
    return verify_bytes(path.read_bytes(), archive_no, expected_sha256, expected_digest)


def verify_bytes(
    data: bytes, archive_no: str, expected_sha256: str = "", expected_digest: str = ""
) -> Checked:
    """Recheck a package's bytes (the station's file, or what the county received)."""
    name = f"{archive_no}.zip"
    found = Findings()
    digest = hashlib.sha256(data).hexdigest()
    if expected_sha256 and digest != expected_sha256:
        found.problems.append(f"归档信息包 {name} 的摘要与登记不符（已被改动或损坏）")
    prefix = f"{archive_no}/"
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        found.problems.append(f"归档信息包 {name} 无法打开（不是完整的 zip 文件）")
        return Checked(archive_no, digest, "", found)
    with z:
        manifest = _manifest(z, prefix)
        if manifest is None:
            found.problems.append(f"归档信息包 {name} 缺少或无法读取 {rules.MANIFEST}")
            return Checked(archive_no, digest, "", found)
        listed: dict[str, dict[str, Any]] = manifest["files"]
        actual: dict[str, str | None] = {}
        for info in z.infolist():
            if info.filename.endswith("/"):
                continue
            inner = info.filename.removeprefix(prefix)
            try:
                actual[inner] = hashlib.sha256(z.read(info)).hexdigest()
            except (zipfile.BadZipFile, OSError, ValueError, zlib.error):
                actual[inner] = None  # a flipped byte fails the entry's CRC: changed
    result = rules.compare(listed, actual)
    found.missing, found.changed, found.extra = result.missing, result.changed, result.extra
    content = rules.content_digest(listed)
    if content != manifest.get("digest"):
        found.problems.append(f"{rules.MANIFEST} 的总摘要与其文件清单不符")
    elif expected_digest and content != expected_digest:
        found.problems.append(f"{rules.MANIFEST} 与登记的内容摘要不符（清单被改写）")
    return Checked(archive_no, digest, content, found)
