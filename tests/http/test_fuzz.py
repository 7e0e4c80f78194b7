"""The fuzzing gate of the station (R-I3): no 5xx and no answer off its documented schema,
for anonymous visitors, the hardware service's device key and a token of every staff role.

schemathesis reads the live ``/schema/openapi.json`` of a real uvicorn, stateless, with a
fixed seed and a few examples per operation (``tests.support.fuzz``; ``make fuzz`` runs
the same with many more). Three runs, two at a time:

- a visitor on the public operations, and the hardware service (device key) on the device
  operations, each with the coverage phase (boundary values of every field: the longest
  text, the largest number, a control character …) and random cases;
- every other operation with random cases, each case sent as the next caller in turn: a
  token of every staff role, the device key, nobody (``tests.support.fuzz_hooks``). Their
  coverage phase runs in the long run (``make fuzz``), to keep ``make test`` within about
  two minutes.

Left out: the SSE stream (it never ends, by design) and logout (it would end the session
the rest of the run uses).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.routes import HTTPRoute

from appliance.http.app import create_app
from tests.support.fuzz import FuzzRun, fuzz, scale
from tests.support.openapi import openapi_path
from tests.support.station import (
    COMPLAINTS,
    GUIDE,
    HELPER,
    MANAGER,
    WINDOW_CLERK,
    LiveServer,
)

pytestmark = pytest.mark.slow

NEVER = ["^/api/display/stream$", "^/api/auth/logout$"]
DEVICE = "^/api/device/"
OTHER_ROLES = {"window": WINDOW_CLERK, "guide": GUIDE, "helper": HELPER, "complaints": COMPLAINTS}


def token(base_url: str, code: str, pin: str) -> str:
    r = httpx.post(f"{base_url}/api/auth/login", json={"code": code, "pin": pin}, timeout=10)
    assert r.status_code == 201, r.text
    return str(r.json()["token"])


def public_paths(live: LiveServer) -> list[str]:
    """Regexes of the operations anyone may call (``opt={"public": True}``)."""
    app = create_app(live.station.settings, services=live.station.services)
    found = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(("/schema", "/static")):
            continue
        if any(h.opt.get("public") for h in route.route_handlers):
            path = openapi_path(route.path)
            found.add("^" + re.sub(r"([.{}])", r"\\\1", path) + "$")
    return sorted(found)


def test_fuzzing_finds_no_server_error_and_no_undocumented_answer_r_i3(
    live_server: LiveServer, tmp_path: Path
) -> None:
    url = live_server.url
    manager = token(url, *MANAGER)  # every login first: fuzzed wrong PINs may slow this
    others = {role: token(url, *account) for role, account in OTHER_ROLES.items()}
    public = public_paths(live_server)
    assert "^/api/kiosk/tickets$" in public and "^/api/public/case-query$" in public
    staff = [{"Authorization": f"Bearer {t}"} for t in (manager, *others.values())]
    jobs: list[dict[str, Any]] = [
        {"name": "anonymous", "include": public, "exclude": NEVER, "max_examples": 3},
        {
            "name": "device",
            "headers": {"X-Device-Key": live_server.station.settings.device_key},
            "include": [DEVICE],
            "max_examples": 3,
        },
        {
            # each case as the next of: every staff role, the device key, nobody
            "name": "staff",
            "callers": [*staff, {"X-Device-Key": live_server.station.settings.device_key}, {}],
            "exclude": [*NEVER, DEVICE, *public],
            "max_examples": 6,
            # the boundary values of every staff operation: in the long run (make fuzz)
            "phases": "coverage,fuzzing" if scale() > 1 else "fuzzing",
        },
    ]

    def run(job: dict[str, Any], seed: int) -> FuzzRun:
        return fuzz(url, work_dir=tmp_path, seed=seed, **job)

    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(run, jobs, range(1, len(jobs) + 1)))
    for done in runs:
        assert done.ok, done.problems()
    assert all(done.generated > 0 for done in runs)
    assert runs[2].callers_used(tmp_path) == set(range(len(jobs[2]["callers"])))
    print({done.name: done.generated for done in runs})
