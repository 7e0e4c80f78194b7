"""Typed county-server settings, read from ``YIZHAN_COUNTY_*`` environment variables.

Every field has a default and a line of help (``help`` metadata);
``county_settings_markdown()`` renders them for ``docs/``.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync.protocol import DEFAULT_MAX_BODY, DEFAULT_MAX_INFLATED

ENV_PREFIX = "YIZHAN_COUNTY_"


def _f(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class CountySettings:
    """All settings of the county server (县级中心服务器)."""

    database_url: str = _f(
        "postgresql+psycopg://yizhan@/yizhan_county",
        "SQLAlchemy URL of the county PostgreSQL database (postgresql+psycopg://…).",
    )
    data_dir: str = _f("./var/county", "Directory for the county keys and logs.")
    http_host: str = _f("127.0.0.1", "Address the county server listens on.")
    http_port: int = _f(8090, "Port the county server listens on.")
    max_batch_bytes: int = _f(
        DEFAULT_MAX_BODY, "Largest compressed batch accepted (bytes); advertised to stations."
    )
    max_inflated_bytes: int = _f(
        DEFAULT_MAX_INFLATED, "Largest inflated batch body (bytes); stops gzip bombs."
    )
    signing_key_path: str = _f(
        "",
        "Ed25519 county signing key; empty means DATA_DIR/county.key (made on first start). "
        "The X25519 USB box key lives next to it as county-box.key.",
    )
    reference_page_size: int = _f(500, "Most reference rows in one down-sync page.")
    snapshot_after: int = _f(
        50_000,
        "A station more than this many reference revisions behind must take the snapshot; "
        "tombstones older than that may be purged.",
    )
    enrolment_code_hours: int = _f(72, "How long a one-time enrolment code stays valid (hours).")
    require_signed_reads: bool = _f(
        True,
        "Down-sync requests must carry X-Yizhan-Signature by the station key "
        "(see sync/county/station_auth.py).",
    )
    refusal_max_per_address: int = _f(
        30,
        "Refused batches and enrolments one client address may cause per window; more are "
        "answered 429 (counted in memory, never stored).",
    )
    refusal_window_minutes: int = _f(10, "Window, in minutes, over which refusals are counted.")
    http_header_timeout_s: int = _f(
        10, "A request's headers must arrive within this many seconds, else the connection closes."
    )
    http_body_timeout_s: int = _f(
        60, "A request's body must arrive within this many seconds of its headers (else 408)."
    )
    http_max_json_depth: int = _f(
        32, "Deepest nesting of arrays and objects in a JSON body, checked before parsing."
    )
    http_max_connections_per_client: int = _f(
        16, "Open connections one client address may hold; more are refused (503)."
    )
    http_max_connections: int = _f(
        512, "Open connections and requests in progress in all; more are answered 503."
    )

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def signing_key_file(self) -> Path:
        return (
            Path(self.signing_key_path) if self.signing_key_path else self.data_path / "county.key"
        )

    @property
    def box_key_file(self) -> Path:
        return self.signing_key_file.with_name("county-box.key")


def county_setting_fields() -> list[dataclasses.Field[Any]]:
    return list(dataclasses.fields(CountySettings))


def _coerce(raw: Any, kind: type, name: str) -> Any:
    try:
        if kind is bool:
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in {"1", "true", "yes", "on"}
        if kind is int:
            return int(raw)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"setting {name}: cannot read {raw!r} as {kind.__name__}") from exc


def load_county_settings(env: dict[str, str] | None = None, **overrides: Any) -> CountySettings:
    """Defaults, then ``YIZHAN_COUNTY_*`` environment, then explicit overrides."""
    env = dict(os.environ) if env is None else env
    known = {f.name: f for f in county_setting_fields()}
    unknown = set(overrides) - set(known)
    if unknown:
        raise ValueError(f"unknown county settings: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name in known:
        key = ENV_PREFIX + name.upper()
        if key in env:
            values[name] = env[key]
    values.update(overrides)
    typed = {n: _coerce(v, type(known[n].default), n) for n, v in values.items()}
    settings = CountySettings(**typed)
    if not settings.database_url.startswith("postgresql"):
        raise ValueError("setting database_url: the county server needs PostgreSQL")
    if settings.max_batch_bytes <= 0 or settings.max_inflated_bytes <= 0:
        raise ValueError("settings max_batch_bytes and max_inflated_bytes must be positive")
    if settings.reference_page_size <= 0:
        raise ValueError("setting reference_page_size must be positive")
    return settings


def county_settings_markdown() -> str:
    """Render the county settings reference (for docs/county-settings.md)."""
    lines = [
        "# County server settings",
        "",
        "Read from environment variables `YIZHAN_COUNTY_<NAME>`.",
        "",
        "| name | environment | default | help |",
        "|---|---|---|---|",
    ]
    for f in county_setting_fields():
        lines.append(
            f"| `{f.name}` | `{ENV_PREFIX}{f.name.upper()}` | `{f.default!r}` | {f.metadata['help']} |"
        )
    return "\n".join(lines) + "\n"
