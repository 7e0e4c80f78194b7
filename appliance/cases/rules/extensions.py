"""When a case may be extended (延期, R-K3; issue 16, item 5).

One extension per case unless the item's rules allow more (``ItemRules.extensions_allowed``),
of at most ``max_days`` working days (setting ``case_extension_max_days``), and only with the
station head's approval (站长批准): the head performs it. Pure: the service passes in the
actor's role and the setting.
"""

from __future__ import annotations

from appliance.cases.rules.case import CaseFile
from appliance.core.errors import Conflict, Invalid, NotAllowed


def check_extension(case: CaseFile, days: int, *, max_days: int, by_head: bool) -> None:
    """Raise the Chinese refusal of an extension that the rules do not allow."""
    if not by_head:
        raise NotAllowed("延期须经站长批准：请站长登录后办理延期", "extension_needs_head")
    allowed = case.item.extensions_allowed
    if len(case.extensions) >= allowed:
        raise Conflict(
            f"该办件已延期{len(case.extensions)}次，本事项只能延期{allowed}次；"
            "仍不能按期办结的，请报县级主管部门",
            "extension_limit",
        )
    if days > max_days:
        raise Invalid(
            f"延期不能超过{max_days}个工作日（本次填了{days}个工作日）", "extension_too_long"
        )
