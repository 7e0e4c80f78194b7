"""The domain stays pure: no I/O library is imported under appliance/domain."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "litestar", "textual", "cups", "serial", "RPi", "lgpio", "httpx", "sqlmodel",
    "sqlalchemy", "uvicorn", "alembic", "argon2", "requests", "socket", "sqlite3",
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_imports_no_io_library() -> None:
    files = list((ROOT / "appliance" / "domain").rglob("*.py"))
    assert files
    for f in files:
        bad = imported_roots(f) & FORBIDDEN
        assert not bad, f"{f.name} imports {bad}"


def test_modules_stay_small() -> None:
    for pkg in ("appliance", "tui", "sync", "hw"):
        for f in (ROOT / pkg).rglob("*.py"):
            if "migrations" in f.parts:
                continue
            lines = len(f.read_text(encoding="utf-8").splitlines())
            assert lines < 400, f"{f.relative_to(ROOT)} has {lines} lines"
