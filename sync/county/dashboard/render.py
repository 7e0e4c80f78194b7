"""Jinja2 rendering for the dashboard: templates live in this package, autoescaped."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Response
from litestar.enums import MediaType
from markupsafe import Markup

from sync.county.admins import ROLES, AdminPrincipal
from sync.county.dashboard.common import PREFIX, ago, fmt_time

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
NAV = (
    ("health", "站点健康"),
    ("oversight", "电子监察"),
    ("followups", "回访与投诉"),
    ("consultations", "咨询台账"),
    ("delegations", "帮办代办"),
    ("faults", "故障台账"),
    ("figures", "统计"),
    ("quarantine", "隔离与冲突"),
    ("publish", "发布"),
)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(prefix=PREFIX, nav=NAV, fmt_time=fmt_time, ago=ago, roles=ROLES)
    env.filters["svg"] = lambda text: Markup(text)  # charts.py escapes every text itself
    return env


def render(
    template: str,
    admin: AdminPrincipal | None = None,
    status: int = 200,
    **context: Any,
) -> Response[str]:
    """A whole HTML page; ``admin`` drives the header and which actions are shown."""
    html = (
        environment()
        .get_template(template)
        .render(
            admin=admin, can_write=admin is not None and admin.role == "county_admin", **context
        )
    )
    return Response(
        html,
        status_code=status,
        media_type=MediaType.HTML,
        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"},
    )
