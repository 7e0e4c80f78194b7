"""The station head's calls (站长设置): staff, categories and windows, SMS templates, and the
print and SMS queues with retry. ``AdminCalls`` is a ``StationApi``-style mixin; because
``tui/api_client.py`` is at its size limit, ``AdminApi`` wraps the app's ``StationApi`` and
lends its ``_typed`` to the mixin (one HTTP client, one token).
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from appliance.jobs.schemas import PrintJobView, SmsView, TemplateIn, TemplateView
from appliance.queue.schemas import (
    CategoryEdit,
    CategoryIn,
    CategoryInfo,
    WindowEdit,
    WindowIn,
    WindowInfo,
)
from appliance.staff.schemas import StaffIn, StaffView
from tui.api_client import StationApi

T = TypeVar("T")


class AdminCalls:
    """站长 only, except the lists (the server decides: 403 with a Chinese message)."""

    async def _typed(self, method: str, path: str, answer: type[T], body: Any = None) -> T:
        raise NotImplementedError

    # ---- staff (人员) ---------------------------------------------------------------------
    async def staff_list(self) -> list[StaffView]:
        return await self._typed("GET", "/api/staff", list[StaffView])

    async def create_staff(self, body: StaffIn) -> StaffView:
        return await self._typed("POST", "/api/staff", StaffView, body)

    async def deactivate_staff(self, staff_id: str) -> StaffView:
        return await self._typed("POST", f"/api/staff/{quote(staff_id)}/deactivate", StaffView)

    # ---- categories and windows (业务类别、窗口) -------------------------------------------
    async def category_list(self) -> list[CategoryInfo]:
        return await self._typed("GET", "/api/categories", list[CategoryInfo])

    async def add_category(self, body: CategoryIn) -> CategoryInfo:
        return await self._typed("POST", "/api/categories", CategoryInfo, body)

    async def edit_category(self, category_id: str, body: CategoryEdit) -> CategoryInfo:
        path = f"/api/categories/{quote(category_id)}"
        return await self._typed("PUT", path, CategoryInfo, body)

    async def window_list(self) -> list[WindowInfo]:
        return await self._typed("GET", "/api/windows", list[WindowInfo])

    async def add_window(self, body: WindowIn) -> WindowInfo:
        return await self._typed("POST", "/api/windows", WindowInfo, body)

    async def edit_window(self, window_id: str, body: WindowEdit) -> WindowInfo:
        return await self._typed("PUT", f"/api/windows/{quote(window_id)}", WindowInfo, body)

    # ---- SMS templates (短信模板) ----------------------------------------------------------
    async def sms_templates(self) -> list[TemplateView]:
        return await self._typed("GET", "/api/sms-templates", list[TemplateView])

    async def set_sms_template(self, kind: str, body: str) -> TemplateView:
        path = f"/api/sms-templates/{quote(kind)}"
        return await self._typed("PUT", path, TemplateView, TemplateIn(body=body))

    # ---- print and SMS queues (打印队列、短信队列) ------------------------------------------
    async def print_queue(self, status: str | None = None) -> list[PrintJobView]:
        query = f"?{urlencode({'status': status})}" if status else ""
        return await self._typed("GET", f"/api/print-jobs{query}", list[PrintJobView])

    async def reprint_job(self, job_id: str) -> PrintJobView:
        return await self._typed("POST", f"/api/print-jobs/{quote(job_id)}/reprint", PrintJobView)

    async def cancel_print_job(self, job_id: str) -> PrintJobView:
        return await self._typed("POST", f"/api/print-jobs/{quote(job_id)}/cancel", PrintJobView)

    async def sms_queue(self, status: str | None = None) -> list[SmsView]:
        query = f"?{urlencode({'status': status})}" if status else ""
        return await self._typed("GET", f"/api/sms{query}", list[SmsView])

    async def retry_sms(self, sms_id: str) -> SmsView:
        return await self._typed("POST", f"/api/sms/{quote(sms_id)}/retry", SmsView)

    async def cancel_sms(self, sms_id: str) -> SmsView:
        return await self._typed("POST", f"/api/sms/{quote(sms_id)}/cancel", SmsView)


class AdminApi(AdminCalls):
    """``AdminCalls`` over the app's ``StationApi`` (same client, same session token)."""

    def __init__(self, api: StationApi) -> None:
        self.api = api

    async def _typed(self, method: str, path: str, answer: type[T], body: Any = None) -> T:
        return await self.api._typed(method, path, answer, body)
