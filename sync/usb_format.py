"""The USB stick format shared by the station and the county (docs/usb-sync.md)."""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sync import crypto
from sync.canonical import canonical_json, sha256_hex

USB_DIR, OUT_DIR, IN_DIR, MANIFEST_NAME = "yizhan", "out", "in", "station.json"
BATCH_SUFFIX, ACK_SUFFIX, PAGE_SUFFIX, PAGE_PREFIX = ".batch", ".ack", ".page", "reference-"
USB_VERSION = 1
KIND_BATCH, KIND_MANIFEST, KIND_ACK, KIND_REFERENCE = "batch", "manifest", "ack", "reference"
MAX_FILE_BYTES = 64 * 1024 * 1024
# archive packages (一事一档): out/archives/<archive_no>.archive, in/archives.ack
ARCHIVE_DIR, ARCHIVE_SUFFIX, ARCHIVE_ACK_NAME = "archives", ".archive", "archives.ack"
KIND_ARCHIVE, KIND_ARCHIVE_ACK = "archive", "archive_ack"
STATION_ID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
Doc = dict[str, Any]


class UsbError(Exception):
    """The whole command cannot go on (not enrolled, no stick, write failed); Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StickFileError(UsbError):
    """One file on the stick is refused; ``message`` is Chinese and names the file."""


# ---- the stick format (shared with sync/county/usb.py) -----------------------------------------
def usb_root(path: Path) -> Path:
    """``<stick>/yizhan``; accepts the mount point or the ``yizhan`` folder itself."""
    if path.name == USB_DIR and not (path / USB_DIR).is_dir():
        return path
    return path / USB_DIR


def station_dir(path: Path, station_id: str) -> Path:
    if not STATION_ID_RE.match(station_id):
        raise UsbError(f"站点编号“{station_id}”不能用作 U 盘目录名")
    return usb_root(path) / station_id


def shown(path: Path) -> str:
    """A file's name as shown to staff: from the ``yizhan`` folder on."""
    parts = path.parts
    if USB_DIR in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index(USB_DIR) :])
    return str(path)


def fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # a few filesystems refuse a directory fsync
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_verified(path: Path, data: bytes) -> None:
    """Temp file, fsync, rename, fsync the directory, then re-read and compare the hash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
        back = path.read_bytes()
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsbError(f"写入 U 盘失败：{shown(path)}（{exc.strerror or exc}）") from exc
    if sha256_hex(back) != sha256_hex(data):
        path.unlink(missing_ok=True)
        raise UsbError(f"写入 U 盘后回读校验失败：{shown(path)}，U 盘可能已损坏，请换一个 U 盘")


def doc_bytes(doc: Doc) -> bytes:
    return canonical_json(doc) + b"\n"


def sign_doc(doc: Doc, sign: Callable[[bytes], str]) -> Doc:
    """The document plus ``signature`` over the canonical JSON of every other field."""
    body = {k: v for k, v in doc.items() if k != "signature"}
    return {**body, "signature": sign(canonical_json(body))}


def verify_doc(doc: Doc, public_b64: str) -> None:
    body = {k: v for k, v in doc.items() if k != "signature"}
    crypto.verify(public_b64, canonical_json(body), str(doc.get("signature", "")))


def read_doc(path: Path, kind: str) -> Doc:
    """Parse one stick file; a truncated or damaged file is a ``StickFileError``."""
    name = shown(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise StickFileError(f"文件 {name} 过大，不是驿站生成的文件，已跳过")
        raw = path.read_bytes()
    except OSError as exc:
        raise StickFileError(f"无法读取文件 {name}（{exc.strerror or exc}），已跳过") from exc
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise StickFileError(f"文件 {name} 不完整或已损坏（可能已截断），已跳过") from exc
    if not isinstance(doc, dict) or doc.get("kind") != kind:
        raise StickFileError(f"文件 {name} 不是驿站的{_KIND_NAMES.get(kind, kind)}文件，已跳过")
    if doc.get("version") != USB_VERSION:
        raise StickFileError(f"文件 {name} 的格式版本 {doc.get('version')} 不受支持，已跳过")
    return doc


_KIND_NAMES = {
    KIND_BATCH: "批次",
    KIND_MANIFEST: "站点清单",
    KIND_ACK: "回执",
    KIND_REFERENCE: "参考数据",
    KIND_ARCHIVE: "归档信息包",
    KIND_ARCHIVE_ACK: "归档回执",
}
