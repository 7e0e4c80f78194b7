"""Shared by the case-notice tests: a clerk at the case API and readers of what was kept."""

from __future__ import annotations

import subprocess
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import text

from tests.support.station import MANAGER, WINDOW_CLERK, Station, login

AGED = "410122-MZ-001"  # 高龄津贴申请: 承诺件 15 days, 容缺 allowed (M3 tolerable)
DISABLED = "410122-CL-001"  # 残疾人两项补贴申请: 上报件 (forwarded to 县残联、县民政局)
REMOTE_CARE = "410122-YB-003"  # 异地就医备案: 即办件, 告知承诺 allowed
ALL_AGED = {"M1": "received", "M2": "received", "M3": "received", "M4": "received"}
ID_NUMBER = "410122194001080021"
MASKED_ID = "410122********0021"
PROVISIONAL = "（暂定，节假日数据待更新）"


def applicant() -> dict[str, Any]:
    return {"kind": "person", "name": "张桂兰", "id_number": ID_NUMBER, "phone": "13800001234"}


def flat(value: str) -> str:
    return "".join(value.split())


class Desk:
    """A clerk (王秀英, window 1) at the case API, with helpers to read what was kept."""

    def __init__(self, client: TestClient, station: Station) -> None:
        self.client = client
        self.station = station
        self.headers = login(client, *WINDOW_CLERK)
        self.head = login(client, *MANAGER)  # 站长 李建国: approves and performs 延期 (R-K3)

    def open(self, item: str = AGED, materials: dict[str, Any] | None = None, **extra: Any) -> str:
        body = {
            "item_code": item,
            "applicant": applicant(),
            "materials": ALL_AGED if materials is None else materials,
            **extra,
        }
        r = self.client.post("/api/cases", json=body, headers=self.headers)
        assert r.status_code == 201, r.text
        return str(r.json()["case_number"])

    def act(self, number: str, action: str, as_head: bool = False, **body: Any) -> dict[str, Any]:
        r = self.client.post(
            f"/api/cases/{number}/actions/{action}",
            json=body,
            headers=self.head if as_head else self.headers,
        )
        assert r.status_code == 201, r.text
        result: dict[str, Any] = r.json()
        return result

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.station.services.db.read() as s:
            return list(s.execute(text(sql), params))

    def notices(self, number: str) -> list[Any]:
        return self.rows(
            "SELECT id, transition_seq, kind, title, path, sha256, print_job_id FROM case_notice "
            "WHERE case_number = :n ORDER BY transition_seq, kind",
            n=number,
        )

    def pdf_text(self, number: str, kind: str, seq: int | None = None) -> str:
        rows = [
            r for r in self.notices(number) if r.kind == kind and seq in (None, r.transition_seq)
        ]
        assert rows, f"no {kind} notice on {number}"
        path = self.station.settings.case_notice_path / rows[-1].path
        out = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        )
        return flat(out.stdout)

    def sms(self, kind: str) -> list[str]:
        return [r[0] for r in self.rows("SELECT body FROM sms_message WHERE kind = :k", k=kind)]


def assert_has(content: str, *parts: str) -> None:
    for part in parts:
        assert flat(part) in content, part
    assert ID_NUMBER not in content  # the ID number is only ever printed masked
