"""Releases side by side (版本目录): ``<releases_dir>/<version>/`` is one virtual environment
per installed version, and ``<releases_dir>/current`` a symlink to the one that runs.

A new release is a fresh venv (no pip inside) into which the running pip installs the
bundle's wheels (``pip --python``, offline, ``--no-deps``). Only then is a
``yizhan-base.pth`` added that appends the ``current`` release's site-packages (whose own
``.pth`` chains on to the ones before; without ``current``, the running program's), so
packages the bundle does not replace are shared, while the bundle's own wheels come first on
``sys.path``. The previous release is never touched, so it stays runnable; ``current`` is
switched with one atomic ``rename`` after the database has been migrated.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from appliance.upgrade.rules import PACKAGE, VERSION_RE

CURRENT = "current"
PREVIOUS = "previous"
MARK = ".yizhan-release.json"
BASE_PTH = "yizhan-base.pth"


class InstallFailed(Exception):
    """Installing the release failed; ``args[0]`` is Chinese. Nothing else was changed."""


def running_version() -> str:
    try:
        return importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return "0.0.0"


def current_release(releases: Path) -> Path | None:
    link = releases / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def installed_version(releases: Path) -> str:
    """The version ``current`` points at; without one, the version of this program."""
    release = current_release(releases)
    if release is not None and VERSION_RE.match(release.name):
        return release.name
    return running_version()


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python*/site-packages"))
    if not found:
        raise InstallFailed(f"{venv} 中找不到 site-packages，新版本环境不完整")
    return found[-1]


def base_site(releases: Path) -> str:
    """The site-packages the new release falls back to: the ``current`` release's (whose own
    ``yizhan-base.pth`` chains on), else that of the program running now."""
    current = current_release(releases)
    if current is not None:
        return str(site_packages(current))
    return str(sysconfig.get_paths()["purelib"])


def _run(cmd: list[str], what: str) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["无输出"]
        raise InstallFailed(f"{what}失败：{tail[0][:200]}")


def install_release(releases: Path, version: str, wheels: list[Path]) -> Path:
    """Make ``<releases>/<version>`` from ``wheels``; removed again if anything fails."""
    releases = releases.absolute()  # the venv's scripts name their interpreter by path
    target = releases / version
    if current_release(releases) == target.resolve():
        raise InstallFailed(f"版本 {version} 正在运行，不能覆盖安装")
    releases.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(target, ignore_errors=True)  # a leftover of an attempt that failed
    try:
        _run([sys.executable, "-m", "venv", "--without-pip", str(target)], "创建新版本环境")
        python = target / "bin" / "python"
        _run(
            [
                sys.executable, "-m", "pip", "--python", str(python), "install",
                "--no-index", "--no-deps", "--disable-pip-version-check", "--quiet",
                "--no-warn-script-location", *map(str, wheels),
            ],
            "安装升级包",
        )  # fmt: skip
        (site_packages(target) / BASE_PTH).write_text(
            f"import site; site.addsitedir({base_site(releases)!r})\n"
        )
        probe = f"import importlib.metadata as m; print(m.version({PACKAGE!r}))"
        proc = subprocess.run(
            [str(python), "-I", "-c", probe],
            capture_output=True,
            text=True,
            check=False,
            cwd=target,
        )
        if proc.returncode != 0 or proc.stdout.strip() != version:
            raise InstallFailed(f"新版本自检未通过（得到“{proc.stdout.strip()}”，应为 {version}）")
        (target / MARK).write_text(json.dumps({"version": version}))
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _link(releases: Path, name: str, target: str) -> None:
    tmp = releases / f".{name}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, releases / name)


def switch_current(releases: Path, version: str) -> None:
    """Point ``current`` at ``version`` in one rename (and ``previous`` at the old one)."""
    old = current_release(releases)
    if old is not None:
        _link(releases, PREVIOUS, old.name)
    _link(releases, CURRENT, version)
    fd = os.open(releases, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def migrate_release(
    release: Path, database_url: str, data_dir: str, config: str | None
) -> tuple[bool, str]:
    """Run the new release's ``yizhan db upgrade heads`` on the station's database.
    Returns (ok, the last lines of its output)."""
    env = {
        **os.environ,
        "YIZHAN_DATABASE_URL": database_url,
        "YIZHAN_DATA_DIR": data_dir,
        "YIZHAN_UPGRADING": "1",  # its journal is ours: no recovery in this run
    }
    cmd = [str(release / "bin" / "yizhan")]
    if config:
        cmd += ["--config", config]
    try:
        proc = subprocess.run(
            [*cmd, "db", "upgrade", "heads"], capture_output=True, text=True, env=env, check=False
        )
    except OSError as exc:
        return False, str(exc)
    lines = (proc.stderr + proc.stdout).strip().splitlines()
    return proc.returncode == 0, "\n".join(lines[-5:])
