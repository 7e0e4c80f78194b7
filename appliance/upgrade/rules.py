"""Pure rules of signed update bundles (升级包): versions, from-version constraints, the
manifest, the names a bundle may hold, and the exact bytes the county signs.

A bundle is an uncompressed tar ``yizhan-update-<version>.tar`` holding

- ``manifest.json``: ``{"format": 1, "kind": "yizhan-update", "package": "yizhan",
  "version": "0.2.0", "requires_from": ">=0.1.0,<0.2.0", "created_at": ISO time,
  "key_id": …, "notes": "…", "files": [{"path": "wheels/….whl", "size": n,
  "sha256": hex}, …]}``;
- ``manifest.sig``: base64 Ed25519 signature by the county key over
  :func:`signed_message` (a fixed prefix + the manifest bytes exactly as stored, so a
  signed reference page can never pass as a bundle);
- ``wheels/*.whl``: the project's wheel and any dependency wheels that changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

FORMAT = 1
KIND = "yizhan-update"
PACKAGE = "yizhan"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
WHEELS = "wheels"
SIGN_PREFIX = b"yizhan-update-v1\n"
BUNDLE_RE = re.compile(r"^yizhan-update-(\d+(?:\.\d+){1,3})\.tar$")
VERSION_RE = re.compile(r"^\d+(?:\.\d+){1,3}$")
WHEEL_RE = re.compile(r"^[A-Za-z0-9_.+-]+\.whl$")
_CLAUSE_RE = re.compile(r"^(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+){1,3})$")
MAX_FILES = 200


class BundleInvalid(ValueError):
    """The bundle cannot be trusted or does not fit this station; ``args[0]`` is Chinese."""


Version = tuple[int, ...]


def parse_version(text: str) -> Version:
    """``"0.2.10"`` → ``(0, 2, 10, 0)``: numeric release versions only (padded to 4)."""
    if not VERSION_RE.match(text.strip()):
        raise BundleInvalid(f"版本号“{text}”格式不对（应为数字，如 0.2.0）")
    parts = tuple(int(p) for p in text.strip().split("."))
    return parts + (0,) * (4 - len(parts))


def bundle_name(version: str) -> str:
    return f"yizhan-update-{version}.tar"


def satisfies(version: str, constraint: str) -> bool:
    """Whether ``version`` meets ``constraint`` (``">=0.1.0,<0.3"``; empty: any)."""
    have = parse_version(version)
    for clause in (c.strip() for c in constraint.split(",")):
        if not clause:
            continue
        m = _CLAUSE_RE.match(clause)
        if not m:
            raise BundleInvalid(f"升级包的适用版本条件“{constraint}”无法识别")
        op, want = m.group(1), parse_version(m.group(2))
        ok = {
            ">=": have >= want,
            "<=": have <= want,
            "==": have == want,
            "!=": have != want,
            ">": have > want,
            "<": have < want,
        }[op]
        if not ok:
            return False
    return True


def signed_message(manifest_bytes: bytes) -> bytes:
    """What the county's Ed25519 key signs: a fixed prefix, then the manifest bytes."""
    return SIGN_PREFIX + manifest_bytes


def safe_member(name: str) -> bool:
    """Only the manifest, its signature and ``wheels/<name>.whl`` may be in a bundle."""
    if name in (MANIFEST, SIGNATURE):
        return True
    parts = name.split("/")
    return len(parts) == 2 and parts[0] == WHEELS and bool(WHEEL_RE.match(parts[1]))


def wheel_version(filename: str) -> tuple[str, str] | None:
    """(distribution, version) of a wheel file name, or None when it is not one."""
    parts = filename[: -len(".whl")].split("-") if filename.endswith(".whl") else []
    if len(parts) < 5:
        return None
    return parts[0].lower().replace("_", "-"), parts[1]


@dataclass(frozen=True)
class Manifest:
    version: str
    requires_from: str
    created_at: str
    key_id: str
    notes: str
    files: dict[str, tuple[int, str]]  # path → (size, sha256)

    @property
    def project_wheel(self) -> str:
        for path in sorted(self.files):
            name = wheel_version(path.split("/")[-1])
            if name is not None and name == (PACKAGE, self.version):
                return path
        raise BundleInvalid(f"升级包中没有 {PACKAGE} {self.version} 的安装文件")


def parse_manifest(data: Any) -> Manifest:
    """A manifest this version understands, or :class:`BundleInvalid`."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("kind") != KIND:
        raise BundleInvalid("升级包清单格式不对（不是本软件的升级包，或格式版本不符）")
    if data.get("package") != PACKAGE:
        raise BundleInvalid(f"升级包是给“{data.get('package')}”的，不是本软件的升级包")
    version, requires = data.get("version"), data.get("requires_from", "")
    if not isinstance(version, str) or not isinstance(requires, str):
        raise BundleInvalid("升级包清单缺少版本号")
    parse_version(version)
    satisfies(version, requires)  # a malformed constraint is refused here
    files = data.get("files")
    if not isinstance(files, list) or not files or len(files) > MAX_FILES:
        raise BundleInvalid("升级包清单没有列出安装文件")
    out: dict[str, tuple[int, str]] = {}
    for entry in files:
        path = entry.get("path") if isinstance(entry, dict) else None
        size = entry.get("size") if isinstance(entry, dict) else None
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not isinstance(size, int) or not isinstance(digest, str):
            raise BundleInvalid("升级包清单中有无法识别的条目")
        if not safe_member(path) or path in (MANIFEST, SIGNATURE) or path in out:
            raise BundleInvalid(f"升级包清单中的文件名不安全或重复：{path}")
        if size < 0 or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise BundleInvalid(f"升级包清单中 {path} 的大小或校验值格式不对")
        out[path] = (size, digest)
    manifest = Manifest(
        version=version,
        requires_from=requires,
        created_at=str(data.get("created_at", "")),
        key_id=str(data.get("key_id", "")),
        notes=str(data.get("notes", "")),
        files=out,
    )
    _ = manifest.project_wheel
    return manifest


def fit_problem(manifest: Manifest, installed: str) -> str | None:
    """Why this bundle must not be installed over ``installed`` (None: it fits)."""
    if parse_version(manifest.version) <= parse_version(installed):
        return f"升级包版本 {manifest.version} 不高于本机版本 {installed}，不能降级或重复安装"
    if not satisfies(installed, manifest.requires_from):
        return (
            f"升级包 {manifest.version} 只适用于版本 {manifest.requires_from}，"
            f"本机是 {installed}，请先安装中间版本"
        )
    return None


def newest(versions: list[str]) -> str | None:
    """The highest of ``versions`` (bad ones skipped), or None."""
    good = []
    for v in versions:
        try:
            good.append((parse_version(v), v))
        except BundleInvalid:
            continue
    return max(good)[1] if good else None
