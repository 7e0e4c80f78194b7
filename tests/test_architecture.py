"""The house keeps its shape: layer contracts (import-linter) and small modules.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``) and ``make test`` runs
``lint-imports``. These tests make sure the contracts exist, hold, and really catch a
violation: a pure rule that imports storage, a feature that reaches a higher layer, a staff
terminal that reads the database, a device driver that imports the station.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("yizhan", "appliance", "tui", "hw", "hwservice", "sync")
CHECKED = (*PACKAGES, "tests", "bench", "scripts")
MAX_LINES = 400
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    linter = config["tool"]["importlinter"]
    return {c["id"]: c for c in linter["contracts"]}


def test_every_layer_rule_has_a_contract() -> None:
    found = contracts()
    assert {
        "top",
        "appliance",
        "feature-layers",
        "pure-rules",
        "services-no-http",
        "edges-speak-http",
        "drivers",
    } <= set(found)
    assert found["top"]["layers"] == ["yizhan", "tui | hwservice | sync", "appliance", "hw"]
    assert "sqlmodel" in found["pure-rules"]["forbidden_modules"]  # type: ignore[operator]
    assert found["drivers"]["source_modules"] == ["hw"]


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the packages and pyproject.toml, to break on purpose."""
    tree = tmp_path_factory.mktemp("house")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__", "*.wav")
        )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_contracts_hold(scratch: Path) -> None:
    result = lint_imports(scratch)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("appliance/cases/rules/states.py", "import sqlmodel", "Pure rules"),
        (
            "appliance/queue/rules/tickets.py",
            "from appliance.queue.tables import Ticket",
            "Pure rules",
        ),
        (
            "appliance/calendar/service.py",
            "from appliance.cases.service import cases",
            "Inside the station",
        ),
        ("appliance/jobs/tables.py", "from appliance.jobs.service import sms", "In every feature"),
        ("tui/session.py", "from appliance.db import database", "staff terminal"),
        ("hw/printers.py", "from appliance.settings import Settings", "Device drivers"),
    ],
)
def test_a_broken_layer_is_caught(
    scratch: Path, module: str, bad_import: str, contract: str
) -> None:
    path = scratch / module
    original = path.read_text(encoding="utf-8")
    path.write_text(original + f"\n{bad_import}  # noqa\n", encoding="utf-8")
    try:
        result = lint_imports(scratch)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode != 0
    broken = result.stdout[result.stdout.index("Broken contracts") :]
    assert contract in broken, broken[:2000]


def test_modules_stay_small() -> None:
    """Every module, tests included, stays under 400 lines (one concept per file)."""
    too_long = []
    for package in CHECKED:
        for f in (ROOT / package).rglob("*.py"):
            if "versions" in f.parts and "migrations" in f.parts:
                continue
            lines = len(f.read_text(encoding="utf-8").splitlines())
            if lines >= MAX_LINES:
                too_long.append(f"{f.relative_to(ROOT)}: {lines}")
    assert not too_long, too_long
