"""Keys: Ed25519 signatures (station batches, county pages) and sealed boxes for USB sticks.

A sealed box is X25519 ECDH with an ephemeral key + HKDF-SHA256 + ChaCha20-Poly1305: only
the holder of the recipient's private key can open it, and tampering is detected.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from sync.canonical import sha256_hex

_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw
_RAW_PRIV = serialization.PrivateFormat.Raw
_NOENC = serialization.NoEncryption()


class SignatureInvalid(Exception):
    """A signature or sealed box does not verify."""


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode()


def b64d(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode(), validate=True)
    except (ValueError, TypeError) as exc:
        raise SignatureInvalid("不是合法的 base64 数据") from exc


# ---- Ed25519 -------------------------------------------------------------------------------
def new_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_key_b64(key: Ed25519PrivateKey) -> str:
    return b64e(key.public_key().public_bytes(_RAW, _RAW_PUB))


def key_id(public_b64: str) -> str:
    """A short, stable id of a public key (first 16 hex of its SHA-256)."""
    return sha256_hex(b64d(public_b64))[:16]


def load_public_key(public_b64: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(b64d(public_b64))
    except ValueError as exc:
        raise SignatureInvalid("公钥格式不正确") from exc


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return b64e(key.sign(message))


def verify(public_b64: str, message: bytes, signature_b64: str) -> None:
    try:
        load_public_key(public_b64).verify(b64d(signature_b64), message)
    except InvalidSignature as exc:
        raise SignatureInvalid("签名校验失败") from exc


def save_private_key(key: Ed25519PrivateKey, path: Path) -> None:
    """Write a raw private key with mode 0600 (temp file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.private_bytes(_RAW, _RAW_PRIV, _NOENC))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(path.read_bytes())


# ---- sealed boxes (USB) ----------------------------------------------------------------------
def new_box_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def box_public_b64(key: X25519PrivateKey) -> str:
    return b64e(key.public_key().public_bytes(_RAW, _RAW_PUB))


def _box_key(shared: bytes, eph_pub: bytes, recipient_pub: bytes) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=eph_pub + recipient_pub, info=b"yizhan-usb-v1"
    )
    return hkdf.derive(shared)


def seal(recipient_public_b64: str, plaintext: bytes) -> bytes:
    """Encrypt to the recipient's X25519 public key: eph_pub(32) | nonce(12) | ciphertext."""
    recipient = X25519PublicKey.from_public_bytes(b64d(recipient_public_b64))
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(_RAW, _RAW_PUB)
    key = _box_key(eph.exchange(recipient), eph_pub, b64d(recipient_public_b64))
    nonce = os.urandom(12)
    return eph_pub + nonce + ChaCha20Poly1305(key).encrypt(nonce, plaintext, None)


def unseal(private: X25519PrivateKey, sealed: bytes) -> bytes:
    if len(sealed) < 32 + 12 + 16:
        raise SignatureInvalid("密封数据已截断")
    eph_pub, nonce, body = sealed[:32], sealed[32:44], sealed[44:]
    own_pub = private.public_key().public_bytes(_RAW, _RAW_PUB)
    key = _box_key(private.exchange(X25519PublicKey.from_public_bytes(eph_pub)), eph_pub, own_pub)
    try:
        return ChaCha20Poly1305(key).decrypt(nonce, body, None)
    except InvalidTag as exc:
        raise SignatureInvalid("密封数据已损坏或被篡改") from exc
