"""The one-time rating link (评价二维码, R-E2) printed on the queue receipt and on case notices.

The link names one service and carries a token that only this station can make::

    {visitor_url}/rate#t=t.<ticket id>.<mac>      a ticket served at a window (一次一评)
    {visitor_url}/rate#t=c.<case number>.<mac>    a case (一事一评)

``mac`` is HMAC-SHA256 over the kind and the service, keyed with the station's random link
key (``DATA_DIR/keys/rating-link.key``, 32 random bytes made once, mode 0600), cut to 132
bits: unguessable, and verifiable without a table row. The receipt is printed when the
ticket is issued, long before the service ends, and the queue and case features sit below
ratings, so a stored random token would need a row they cannot write; a keyed token needs
none. The link is valid for that one service only and works once: the service can be
rated once (``rating`` is unique per service) and only in its rating period. The token
rides in the URL fragment, which a browser never sends to the server (no access log, no
Referer); the page posts it in a request body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path

from appliance.settings import Settings

KEY_FOLDER = "keys"
KEY_FILE = "rating-link.key"
KIND_LETTERS = {"ticket": "t", "case": "c", "delegation": "d"}
LETTER_KINDS = {v: k for k, v in KIND_LETTERS.items()}
MAC_CHARS = 22  # 132 bits of base64url

_keys: dict[Path, bytes] = {}
_lock = threading.Lock()


def key_path(settings: Settings) -> Path:
    return settings.data_path / KEY_FOLDER / KEY_FILE


def _make_key(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first: use theirs
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_urlsafe(32) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def link_key(settings: Settings) -> bytes:
    """The station's link key, made on first use (O_EXCL: two processes never make two)."""
    path = key_path(settings)
    with _lock:
        key = _keys.get(path)
        if key is None:
            if not path.exists():
                _make_key(path)
            key = path.read_text(encoding="ascii").strip().encode()
            if len(key) < 32:
                raise RuntimeError(f"rating link key {path} is too short")
            _keys[path] = key
        return key


def _mac(key: bytes, kind: str, subject: str) -> str:
    digest = hmac.new(key, f"{kind}:{subject}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:MAC_CHARS]


def link_token(key: bytes, kind: str, subject: str) -> str:
    """The token of one service: ``<kind letter>.<subject>.<mac>``."""
    return f"{KIND_LETTERS[kind]}.{subject}.{_mac(key, kind, subject)}"


def verify_token(key: bytes, token: str) -> tuple[str, str] | None:
    """``(kind, subject)`` of a token this station made, else None (forged, cut, unknown)."""
    letter, _, rest = token.strip().partition(".")
    subject, _, mac = rest.rpartition(".")
    kind = LETTER_KINDS.get(letter)
    if kind is None or not subject or len(mac) != MAC_CHARS:
        return None
    if not hmac.compare_digest(mac.encode(), _mac(key, kind, subject).encode()):
        return None
    return kind, subject


def rating_url(settings: Settings, kind: str, subject: str) -> str:
    """The link printed as a QR code: the rating page with the token in its fragment."""
    token = link_token(link_key(settings), kind, subject)
    return f"{settings.visitor_url}/rate#t={token}"
