"""故障台账 API (R-I1): faults graded as HN-4 6.3.1 grades them, handling steps and the people
told, closing only with a handling record, and the 故障处理单 PDF.

The station's today is Monday 2026-11-23 09:00 (``T0``)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
from litestar.testing import TestClient
from sqlmodel import select

from appliance.jobs.tables import PrintJob
from hwservice.printing import render_notice
from tests.faults.support import events, fingerprint, open_fault, pdf_text
from tests.support.station import GUIDE, MANAGER, WINDOW_CLERK, Station, login


def test_system_fault_level_is_set_by_its_duration_and_it_closes_with_a_sheet_r_i1(
    station: Station, client: TestClient, tmp_path: Path
) -> None:
    h = login(client, *WINDOW_CLERK)
    r = open_fault(client, h, detail="提示“服务器连接超时”")
    assert r.status_code == 201, r.text
    fault = r.json()
    assert (fault["number"], fault["status"], fault["level"]) == ("GZ-20261123-001", "open", "III")
    assert fault["level_label"] == "III级（暂定）" and not fault["automatic"]
    path = f"/api/faults/{fault['number']}"
    station.clock.advance(minutes=10)
    r = client.post(f"{path}/actions", json={"text": "重启受理电脑"}, headers=h)
    assert r.status_code == 201, r.text
    told = {"kind": "notified", "text": "张主任、县政务服务中心技术支持"}
    assert client.post(f"{path}/actions", json=told, headers=h).status_code == 201
    station.clock.advance(minutes=25)  # 35 minutes in all: within one hour → II
    assert client.get(path, headers=h).json()["level"] == "II"
    r = client.post(f"{path}/close", json={"cause": "网线松动", "result": "恢复正常"}, headers=h)
    assert r.status_code == 201, r.text
    closed = r.json()
    assert (closed["status"], closed["level"], closed["level_label"]) == ("closed", "II", "II级")
    assert closed["duration_text"] == "35 分钟" and closed["closed_by"] == "王秀英"
    assert [a["kind"] for a in closed["actions"]] == ["step", "notified"]
    sheet = client.get(f"{path}/sheet.pdf", headers=h)
    assert sheet.status_code == 200 and sheet.headers["content-type"] == "application/pdf"
    text = pdf_text(sheet.content, tmp_path)
    for want in ("故障处理单", "GZ-20261123-001", "信息系统故障", "II级", "重启受理电脑", "张主任"):
        assert want in text, want
    types = [t for t, _ in events(station.services.db, "fault.")]
    assert types == ["fault.opened", "fault.action_added", "fault.action_added", "fault.closed"]


def test_longer_than_an_hour_is_level_i_r_i1(station: Station, client: TestClient) -> None:
    h = login(client, *GUIDE)
    number = open_fault(client, h).json()["number"]
    client.post(f"/api/faults/{number}/actions", json={"text": "报县级运维"}, headers=h)
    station.clock.advance(minutes=61)
    closed = client.post(f"/api/faults/{number}/close", json={}, headers=h).json()
    assert closed["level"] == "I"


def test_network_fault_level_is_its_scope_r_i1(station: Station, client: TestClient) -> None:
    h = login(client, *WINDOW_CLERK)
    levels = {}
    for scope in ("intranet", "partial", "internet"):
        r = open_fault(client, h, kind="network", title="窗口电脑无法上网", scope=scope)
        assert r.status_code == 201, r.text
        levels[scope] = r.json()["level"]
    assert levels == {"intranet": "I", "partial": "II", "internet": "III"}


def test_closing_a_fault_without_a_handling_record_is_refused_r_i1(
    station: Station, client: TestClient
) -> None:
    h = login(client, *WINDOW_CLERK)
    number = open_fault(client, h).json()["number"]
    # being told is not handling: a "notified" line alone does not let it close
    told = {"kind": "notified", "text": "站长"}
    assert client.post(f"/api/faults/{number}/actions", json=told, headers=h).status_code == 201
    before = fingerprint(station.services.db)
    r = client.post(f"/api/faults/{number}/close", json={"result": "好了"}, headers=h)
    assert r.status_code == 400, r.text
    assert "还没有处理记录" in r.json()["message"]
    assert fingerprint(station.services.db) == before
    assert client.get(f"/api/faults/{number}", headers=h).json()["status"] == "open"


def test_bad_fault_input_is_refused_in_chinese_without_change_r_i1(
    station: Station, client: TestClient
) -> None:
    h = login(client, *WINDOW_CLERK)
    before = fingerprint(station.services.db)
    r = open_fault(client, h, kind="network", title="断网")
    assert r.status_code == 400 and "影响范围" in r.json()["message"]
    r = open_fault(client, h, title="   ")
    assert r.status_code == 400 and "故障现象" in r.json()["message"]
    r = open_fault(client, h, kind="power")
    assert r.status_code == 400
    assert client.get("/api/faults/GZ-20990101-001", headers=h).status_code == 404
    assert fingerprint(station.services.db) == before
    number = open_fault(client, h).json()["number"]
    r = client.post(f"/api/faults/{number}/actions", json={"text": " "}, headers=h)
    assert r.status_code == 400 and "处理措施" in r.json()["message"]
    r = client.get(f"/api/faults/{number}/sheet.pdf", headers=h)
    assert r.status_code == 400 and "尚未处理完毕" in r.json()["message"]
    client.post(f"/api/faults/{number}/actions", json={"text": "重启"}, headers=h)
    assert client.post(f"/api/faults/{number}/close", json={}, headers=h).status_code == 201
    again = fingerprint(station.services.db)
    r = client.post(f"/api/faults/{number}/close", json={}, headers=h)
    assert r.status_code == 409 and "不能重复关闭" in r.json()["message"]
    r = client.post(f"/api/faults/{number}/actions", json={"text": "再试"}, headers=h)
    assert r.status_code == 409
    assert fingerprint(station.services.db) == again


def test_list_and_export_of_a_period_r_i1(station: Station, client: TestClient) -> None:
    h = login(client, *WINDOW_CLERK)
    first = open_fault(client, h).json()["number"]
    open_fault(client, h, kind="network", title="互联网断开", scope="internet")
    client.post(f"/api/faults/{first}/actions", json={"text": "=重启"}, headers=h)
    client.post(f"/api/faults/{first}/close", json={}, headers=h)
    listed = client.get("/api/faults", headers=h).json()
    assert [f["number"] for f in listed] == ["GZ-20261123-002"]
    every = client.get("/api/faults?status=all", headers=h).json()
    assert len(every) == 2
    assert client.get("/api/faults?status=bogus", headers=h).status_code == 400
    # the export is the station head's
    assert client.get("/api/faults/export.csv", headers=h).status_code == 403
    m = login(client, *MANAGER)
    r = client.get("/api/faults/export.csv?start=2026-11-01&end=2026-11-30", headers=m)
    assert r.status_code == 200, r.text
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "故障类别", "等级"]
    assert [row[0] for row in rows[1:]] == ["GZ-20261123-001", "GZ-20261123-002"]
    assert rows[1][9] == "09:00 =重启" and rows[1][2] == "III级"
    r = client.get("/api/faults/export.xlsx?start=2026-11-01&end=2026-11-30", headers=m)
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None and sheet.title == "故障台账" and sheet.max_row == 3
    r = client.get("/api/faults/export.csv?start=2026-11-30&end=2026-11-01", headers=m)
    assert r.status_code == 400 and "晚于" in r.json()["message"]


def test_the_sheet_goes_to_the_a4_printer_r_i1(
    station: Station, client: TestClient, tmp_path: Path
) -> None:
    h = login(client, *WINDOW_CLERK)
    number = open_fault(client, h).json()["number"]
    before = fingerprint(station.services.db)
    r = client.post(f"/api/faults/{number}/print", headers=h)
    assert r.status_code == 400 and "尚未处理完毕" in r.json()["message"]
    assert fingerprint(station.services.db) == before
    client.post(f"/api/faults/{number}/actions", json={"text": "更换网线"}, headers=h)
    client.post(f"/api/faults/{number}/close", json={"cause": "网线老化"}, headers=h)
    assert client.post(f"/api/faults/{number}/print", headers=h).status_code == 201
    with station.services.db.read() as s:
        [job] = s.exec(select(PrintJob).where(PrintJob.kind == "notice")).all()
    pdf, title = render_notice(json.loads(job.payload))  # as the hardware service prints it
    assert title == "故障处理单"
    text = pdf_text(pdf, tmp_path)
    assert number in text and "更换网线" in text and "网线老化" in text
