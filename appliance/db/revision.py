"""Is the station database already at the newest migration? Answered without Alembic.

``yizhan-server`` runs ``yizhan db upgrade`` before every start (``ExecStartPre``). After a
power cut that is one more Python start with Alembic and SQLAlchemy, seconds on a Pi Zero 2 W
against the 60 s in which the station must serve again (R-N2). Almost always there is nothing
to do, so the newest revision is read from the migration files' ``revision =`` lines and the
database's ``alembic_version`` with ``sqlite3`` alone; only a database behind it loads Alembic.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([^'\"\s]+)['\"]?\s*$", re.M)


def head_revisions(folder: Path = VERSIONS) -> set[str]:
    """The revisions no other migration builds on (Alembic's heads), from the files' text."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in folder.glob("*.py"):
        found = dict(_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
        if found.get("down_revision", "None") != "None":
            parents.add(found["down_revision"])
    return revisions - parents


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///…`` URL (None for any other database)."""
    prefix = "sqlite:///"
    return Path(url[len(prefix) :]) if url.startswith(prefix) else None


def at_head(url: str, folder: Path = VERSIONS) -> bool:
    """True when the SQLite database at ``url`` is exactly at the newest revision."""
    path = sqlite_path(url)
    if path is None or not path.is_file():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as conn:
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return False
    return {str(r[0]) for r in rows} == head_revisions(folder)
