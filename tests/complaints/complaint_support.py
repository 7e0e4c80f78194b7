"""Helpers of the complaint tests (R-P2): a complaint body, its steps through the API."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

COMPLAINANT = "欧阳秀兰"
PHONE = "13712345678"
EMAIL = "ouyang.xl@example.cn"


def complaint(**over: Any) -> dict[str, Any]:
    base = {
        "content": "窗口工作人员态度生硬，让我回家等通知，欧阳秀兰我跑了三趟",
        "channel": "onsite",
        "complainant_name": COMPLAINANT,
        "complainant_phone": PHONE,
        "complainant_contact": EMAIL,
        "about": "1号窗口",
    }
    return {**base, **over}


def post(
    client: TestClient, url: str, body: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    r = client.post(url, json=body, headers=headers)
    assert r.status_code == 201, (url, r.text)
    return dict(r.json())


def register(client: TestClient, headers: dict[str, str], **over: Any) -> str:
    return str(post(client, "/api/complaints", complaint(**over), headers)["number"])


def walk_transfer(client: TestClient, number: str, headers: dict[str, str]) -> dict[str, Any]:
    """核实 → 转办 → 跟踪 → 转办结果 → 答复 (SMS) → 办结: the whole road of a transferred one."""
    base = f"/api/complaints/{number}"
    post(client, f"{base}/verify", {"text": "调阅录像，属实", "finding": "substantiated"}, headers)
    post(client, f"{base}/transfer", {"dept": "镇纪委", "handler": "周明"}, headers)
    post(client, f"{base}/follow", {"text": "周明称已约谈当事人"}, headers)
    post(client, f"{base}/result", {"text": "已对当事人批评教育并调整岗位"}, headers)
    body = {"text": "经核实您反映的情况属实，已对当事人批评教育，欢迎继续监督", "via": "sms"}
    post(client, f"{base}/answer", body, headers)
    return post(client, f"{base}/close", {"text": "投诉人表示满意"}, headers)
