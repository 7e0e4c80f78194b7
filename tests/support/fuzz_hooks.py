"""schemathesis hooks for the fuzzing gate (loaded through ``SCHEMATHESIS_HOOKS``).

``before_call`` sends each test case as the next caller of ``YIZHAN_FUZZ_CALLERS`` in turn
(a JSON list of header maps, ``{}`` for an anonymous visitor), so one run exercises every
staff role, and the refusals, without paying schemathesis's start-up once per role.
"""

from __future__ import annotations

import itertools
import json
import os
from typing import Any

import schemathesis

_CALLERS: list[dict[str, str]] = json.loads(os.environ.get("YIZHAN_FUZZ_CALLERS", "[{}]"))
_NEXT = itertools.cycle(range(len(_CALLERS)))
_LOG = os.environ.get("YIZHAN_FUZZ_CALLS", "")  # one line per call: the caller's index


@schemathesis.hook
def before_call(ctx: Any, case: Any, **kwargs: Any) -> None:
    headers = dict(case.headers or {})
    for name in ("Authorization", "X-Device-Key"):
        headers.pop(name, None)
    index = next(_NEXT)
    headers.update(_CALLERS[index])
    case.headers = headers
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as out:
            out.write(f"{index}\n")
