"""The station's Ed25519 key pair (站点密钥), made at enrolment, kept at DATA_DIR/sync."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.settings import Settings
from sync import crypto

KEY_FILE = "station.key"


class KeyMissing(Exception):
    """The station has no private key (not enrolled, or the file was lost)."""


def key_path(settings: Settings) -> Path:
    return settings.data_path / "sync" / KEY_FILE


def new_station_key() -> Ed25519PrivateKey:
    return crypto.new_signing_key()


def save_station_key(settings: Settings, key: Ed25519PrivateKey) -> Path:
    """Write the private key with mode 0600 (temp file, fsync, rename)."""
    path = key_path(settings)
    crypto.save_private_key(key, path)
    return path


def load_station_key(settings: Settings) -> Ed25519PrivateKey:
    path = key_path(settings)
    try:
        return crypto.load_private_key(path)
    except (OSError, ValueError) as exc:
        raise KeyMissing(f"找不到站点密钥 {path}，请重新登记（yizhan sync enrol）") from exc
