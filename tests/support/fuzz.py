"""The fuzzing gate (R-I3): schemathesis against a live server's OpenAPI document.

``fuzz`` runs ``st run`` (the schemathesis CLI of the venv) stateless, with a fixed seed and
a bounded number of examples per operation, under one caller's headers, and returns what
it found: the number of test cases and every failure. The checks are the ones the gate
holds the apps to: no 5xx, and every answer as documented (status code, content type,
headers, body schema).

``YIZHAN_FUZZ_SCALE`` multiplies the examples per operation (``make fuzz`` sets it for the
long run); ``YIZHAN_FUZZ_REPORT`` names a file that collects one JSON line per run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
ST = Path(sys.executable).with_name("st")
ROOT = Path(__file__).resolve().parents[2]


def scale() -> int:
    return max(1, int(os.environ.get("YIZHAN_FUZZ_SCALE", "1")))


@dataclass
class FuzzRun:
    """One schemathesis run: who called, how many cases, what failed."""

    name: str
    generated: int
    failures: list[dict[str, Any]]
    errors: list[Any]
    exit_code: int
    output: str = field(repr=False)
    seconds: float = 0.0

    def callers_used(self, work_dir: Path) -> set[int]:
        """Which of the ``callers`` sent at least one case (their indexes)."""
        log = work_dir / f"fuzz-{self.name}.calls"
        return {int(x) for x in log.read_text().split()} if log.exists() else set()

    def problems(self) -> str:
        """The run's report for an assertion message (the tail of its console output)."""
        return f"fuzzing as {self.name}: exit {self.exit_code}\n" + self.output[-12000:]

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.failures and not self.errors


def fuzz(
    base_url: str,
    name: str,
    work_dir: Path,
    *,
    headers: Mapping[str, str] | None = None,
    callers: Sequence[Mapping[str, str]] = (),
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    max_examples: int = 3,
    seed: int = 20261123,
    phases: str = "coverage,fuzzing",
    timeout: float = 900,
) -> FuzzRun:
    """Fuzz the operations of ``base_url`` (path regexes ``include`` / ``exclude``) as one
    caller (``headers``), or as each of ``callers`` in turn (``tests.support.fuzz_hooks``)."""
    report = work_dir / f"fuzz-{name}.json"
    cmd = [
        str(ST),
        "run",
        f"{base_url}/schema/openapi.json",
        "--max-examples",
        str(max_examples * scale()),
        "--seed",
        str(seed),
        "--phases",
        phases,
        "--checks",
        ",".join(CHECKS),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",
        "--no-shrink",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    if include:
        cmd += ["--include-path-regex", "|".join(f"(?:{p})" for p in include)]
    if exclude:
        cmd += ["--exclude-path-regex", "|".join(f"(?:{p})" for p in exclude)]
    for key, value in (headers or {}).items():
        cmd += ["--header", f"{key}: {value}"]
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"}
    if callers:
        env["SCHEMATHESIS_HOOKS"] = "tests.support.fuzz_hooks"
        env["YIZHAN_FUZZ_CALLERS"] = json.dumps([dict(c) for c in callers])
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
        env["YIZHAN_FUZZ_CALLS"] = str(work_dir / f"fuzz-{name}.calls")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    output = done.stdout + done.stderr
    if not report.exists():
        return FuzzRun(name, 0, [], [output], done.returncode, output)
    data = json.loads(report.read_text())
    run = FuzzRun(
        name,
        int(data["test_cases"]["generated"]),
        list(data["failures"]),
        list(data["errors"]),
        done.returncode,
        output,
        float(data.get("running_time", 0.0)),
    )
    _record(run)
    return run


def _record(run: FuzzRun) -> None:
    target = os.environ.get("YIZHAN_FUZZ_REPORT")
    if not target:
        return
    line = {"run": run.name, "cases": run.generated, "failures": len(run.failures)}
    line["seconds"] = round(run.seconds, 1)
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
