"""The hardware service's credential (设备密钥, ``X-Device-Key``) (R-I3).

Each station makes its own random key at setup: ``yizhan db upgrade`` (and the first
``yizhan serve``) writes ``DATA_DIR/keys/device.key`` with mode 0600 in a 0700 folder, so only
the service user (``yizhan``, which runs both the server and ``yizhan hw``) can read it. The
server and the hardware service read it from there unless ``device_key`` is set explicitly.

The published demo key is accepted only in demo mode (``demo = true``: ``make run``,
``yizhan demo``). Outside it, ``yizhan serve`` refuses to start with the demo key or a weak
explicit key, and ``yizhan doctor`` fails on either.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from appliance.settings import Settings
from appliance.staff.rules import DEMO_DEVICE_KEY, device_key_problem

KEY_FOLDER = "keys"
KEY_FILE = "device.key"


def device_key_path(settings: Settings) -> Path:
    return settings.data_path / KEY_FOLDER / KEY_FILE


def read_device_key(path: Path) -> str | None:
    """The key kept in ``path``; None when there is none (or it cannot be read)."""
    try:
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return key or None


def ensure_device_key(settings: Settings) -> Path:
    """Make the station's random key once (O_EXCL: two processes never make two keys) and
    keep it readable only by its owner; returns its path."""
    path = device_key_path(settings)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if too_open(path):
            os.chmod(path, 0o600)
        return path
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_urlsafe(32) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return path


def too_open(path: Path) -> bool:
    """True when group or others may read or write the key file."""
    return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def station_device_key(settings: Settings) -> str | None:
    """The key this station expects: the explicit setting, else the key file."""
    return settings.device_key or read_device_key(device_key_path(settings))


def client_device_key(settings: Settings) -> str:
    """The key the hardware service and ``yizhan button`` present: the station's key, else
    (no key file on this machine) the demo key, which only a demo server accepts."""
    return station_device_key(settings) or DEMO_DEVICE_KEY


def accepted_device_keys(settings: Settings) -> tuple[str, ...]:
    """Every key the server accepts: the station's key unless weak (any key in demo mode),
    and the demo key in demo mode only."""
    keys: list[str] = []
    key = station_device_key(settings)
    if key and (settings.demo or device_key_problem(key) is None):
        keys.append(key)
    if settings.demo:
        keys.append(DEMO_DEVICE_KEY)
    return tuple(keys)


def startup_problem(settings: Settings) -> str | None:
    """Why the server must not start with these settings' device key (Chinese), or None."""
    if settings.demo:
        return None
    key = station_device_key(settings)
    problem = device_key_problem(key or "")
    if problem is None:
        return None
    where = "设置项 device_key" if settings.device_key else str(device_key_path(settings))
    return (
        f"拒绝启动：{problem}（{where}）。任何能连上本站局域网的人都能用这样的密钥冒充硬件服务，"
        "读取短信中的手机号、发号和提交评价。请删除设置中的 device_key，运行 yizhan db upgrade "
        "为本站生成随机密钥；演示时请用 make run 或 yizhan demo（演示模式）。"
    )
