"""The county's own keys: Ed25519 (signs pages and snapshots) and X25519 (opens USB boxes).

Both are made on first start and kept next to each other, mode 0600.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync import crypto
from sync.county.settings import CountySettings


def _write_secret(raw: bytes, path: Path) -> None:
    """Temp file with mode 0600, fsync, rename (a crash never leaves half a key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@dataclass(frozen=True)
class CountyKeys:
    """The county signing key (县级签名密钥) and USB box key."""

    signing: Ed25519PrivateKey
    box: X25519PrivateKey

    @property
    def public_b64(self) -> str:
        return crypto.public_key_b64(self.signing)

    @property
    def key_id(self) -> str:
        return crypto.key_id(self.public_b64)

    @property
    def box_public_b64(self) -> str:
        return crypto.box_public_b64(self.box)

    def sign(self, message: bytes) -> str:
        return crypto.sign(self.signing, message)


def load_or_create_keys(settings: CountySettings) -> CountyKeys:
    sign_path, box_path = settings.signing_key_file, settings.box_key_file
    if not sign_path.exists():
        crypto.save_private_key(crypto.new_signing_key(), sign_path)
    if not box_path.exists():
        raw = crypto.new_box_key().private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        _write_secret(raw, box_path)
    return CountyKeys(
        signing=crypto.load_private_key(sign_path),
        box=X25519PrivateKey.from_private_bytes(box_path.read_bytes()),
    )
