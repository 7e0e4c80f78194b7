"""Pure rules of backups: names of generations, which to prune, the manifest, the age text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

MANIFEST = "manifest.json"
FORMAT = 1
PREFIX = "yizhan-"
NAME_RE = re.compile(r"^yizhan-[A-Za-z0-9_-]+-\d{8}-\d{6}$")
DATABASE = "station.db"
TREES = ("case-notices", "keys", "sync")
"""Folders of DATA_DIR copied with the database: kept notice PDFs, the device and sync keys."""


def generation_name(station_code: str, at: datetime) -> str:
    """``yizhan-YZ0001-20261123-090000``: sorts by time within one station."""
    code = re.sub(r"[^A-Za-z0-9_-]", "_", station_code) or "station"
    return f"{PREFIX}{code}-{at.strftime('%Y%m%d-%H%M%S')}"


def is_generation(name: str) -> bool:
    return bool(NAME_RE.match(name))


def to_prune(names: Iterable[str], keep: int) -> list[str]:
    """The generations beyond the newest ``keep`` (at least one is always kept)."""
    ordered = sorted((n for n in names if is_generation(n)), key=lambda n: n[-15:])
    return ordered[: max(0, len(ordered) - max(1, keep))]


def age_text(seconds: float) -> str:
    """刚刚, 12 分钟前, 3 小时前, 2 天前."""
    if seconds < 60:
        return "刚刚"
    if seconds < 3600:
        return f"{int(seconds // 60)} 分钟前"
    if seconds < 86400 * 2:
        return f"{int(seconds // 3600)} 小时前"
    return f"{int(seconds // 86400)} 天前"


def backup_summary(age_s: float | None, warn_hours: float) -> tuple[str, bool]:
    """(status-bar text, warn): a warning when never backed up or older than ``warn_hours``."""
    if age_s is None:
        return "备份：从未备份", True
    text = f"备份：{age_text(max(0.0, age_s))}"
    if age_s > warn_hours * 3600:
        return f"{text}（已超过 {warn_hours:g} 小时，请检查备份）", True
    return text, False


class ManifestError(ValueError):
    """The manifest is not one this version can trust; ``args[0]`` is Chinese."""


def manifest_files(manifest: Any) -> dict[str, tuple[int, str]]:
    """Path → (size, sha256) of every file the manifest lists; refuses a malformed one.

    Paths are relative, with no ``..`` and no absolute part, so a crafted manifest cannot
    make a restore write outside its folder.
    """
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ManifestError("备份清单格式不对（不是本软件生成的备份，或版本不符）")
    files = manifest.get("files")
    if not isinstance(files, list) or not files:
        raise ManifestError("备份清单没有列出任何文件")
    out: dict[str, tuple[int, str]] = {}
    for entry in files:
        if not isinstance(entry, dict):
            raise ManifestError("备份清单中有无法识别的条目")
        path, size, digest = entry.get("path"), entry.get("size"), entry.get("sha256")
        if not isinstance(path, str) or not isinstance(size, int) or not isinstance(digest, str):
            raise ManifestError("备份清单中有无法识别的条目")
        parts = path.split("/")
        if path.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in path:
            raise ManifestError(f"备份清单中的路径不安全：{path}")
        if parts[0] != DATABASE and parts[0] not in TREES:
            raise ManifestError(f"备份清单中有不属于备份的文件：{path}")
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise ManifestError(f"备份清单中 {path} 的校验值格式不对")
        out[path] = (size, digest)
    if DATABASE not in out:
        raise ManifestError("备份中没有数据库文件")
    return out
