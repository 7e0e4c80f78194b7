"""County admin dashboard (县级管理后台): login and roles, station health, figures, exports,
quarantine/backlog, publishing reference data (R-M2, R-N1)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import openpyxl

from sync.county.dashboard.common import PREFIX
from tests.county.dashboard_support import ADMIN_PW, VIEWER_PW, login
from tests.support.county import T0, County, FakeStation

PAGES = ("health", "oversight", "followups", "figures", "quarantine", "publish")
EXPORTS = (
    "health.csv",
    "health.xlsx",
    "figures.csv",
    "figures-daily.csv",
    "figures-cases.csv",
    "figures.xlsx",
)
CATALOGUE = [
    {"id": "hukou", "name": "户口迁移", "limit_days": 5},
    {"id": "yibao", "name": "医保缴费", "limit_days": 0},
]


def _upload(client: Any, what: str, content: bytes, **fields: str) -> Any:
    return client.post(
        f"{PREFIX}/publish/{what}",
        files={"file": ("data.json", content, "application/json")},
        data=fields,
    )


def _ref_rows(county: County, table: str) -> list[tuple[Any, ...]]:
    return county.rows(
        "SELECT id, rev, deleted, data FROM reference_row WHERE table_name=%s ORDER BY id", table
    )


def _synced_station(county: County) -> FakeStation:
    st = county.enrol("ST01", "东坡村便民服务站")
    events = [
        st.event(
            "device.state_changed",
            {"state": "ready", "label": "小票打印机正常"},
            entity="device",
            entity_id="printer.receipt",
        ),
        st.event(
            "device.state_changed",
            {"state": "offline", "label": "短信猫未连接"},
            entity="device",
            entity_id="modem",
        ),
    ]
    # Three tickets today: waits of 4, 6 and 10 minutes, services of 5 and 9 minutes.
    for i, (wait, service) in enumerate([(4, 5), (6, 9), (10, None)]):
        tid, base = f"t{i}", {"number": f"A00{i}", "business_date": "2026-11-23"}
        issued = T0 + timedelta(minutes=i)
        called = issued + timedelta(minutes=wait)
        events.append(
            st.event("ticket.issued", {**base, "status": "waiting"}, entity_id=tid, at=issued)
        )
        events.append(
            st.event(
                "ticket.called",
                {**base, "status": "called", "window_number": 1},
                entity_id=tid,
                at=called,
            )
        )
        if service is None:  # called and never came: 过号
            events.append(
                st.event(
                    "ticket.no_show",
                    {**base, "status": "no_show", "window_number": 1},
                    entity_id=tid,
                    at=called + timedelta(minutes=3),
                )
            )
        if service is not None:
            events.append(
                st.event("ticket.started", {**base, "status": "serving"}, entity_id=tid, at=called)
            )
            events.append(
                st.event(
                    "ticket.finished",
                    {**base, "status": "done"},
                    entity_id=tid,
                    at=called + timedelta(minutes=service),
                )
            )
    for tid, level in (("t0", 5), ("t1", 1)):
        events.append(
            st.event(
                "rating.keypad_pressed",
                {"level": level, "window_number": "1", "number": tid.upper()},
                entity_id=tid,
                at=T0 + timedelta(minutes=30),
            )
        )
    r = county.send(st, events)
    assert r.status_code == 200, r.text
    return st


def test_every_page_and_export_needs_a_login(dash: County) -> None:
    c = dash.client
    for path in [*PAGES, *(f"export/{e}" for e in EXPORTS)]:
        r = c.get(f"{PREFIX}/{path}", follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith(f"{PREFIX}/login"), path
    r = _upload(c, "catalogue", json.dumps(CATALOGUE).encode())
    assert r.status_code == 200 and "管理员登录" in r.text  # redirected to the login form
    assert _ref_rows(dash, "catalogue") == []
    page = c.get(f"{PREFIX}/login")
    assert page.status_code == 200 and "管理员登录" in page.text
    assert c.get(f"{PREFIX}/static/dashboard.css").status_code == 200


def test_wrong_password_is_refused_in_chinese(dash: County) -> None:
    r = login(dash.client, "admin", "not-the-password")
    assert r.status_code == 401
    assert "用户名或密码不正确" in r.text
    assert "yizhan_county_session" not in r.headers.get("set-cookie", "")
    assert login(dash.client, "nobody", ADMIN_PW).status_code == 401
    assert dash.client.get(f"{PREFIX}/health", follow_redirects=False).status_code == 303


def test_login_cookie_is_http_only_and_logout_ends_the_session(dash: County) -> None:
    r = login(dash.client)
    assert r.status_code == 303 and r.headers["location"] == f"{PREFIX}/health"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = dash.client.get(f"{PREFIX}/health")
    assert page.status_code == 200 and "王主任" in page.text and "县级管理员" in page.text
    token = dash.client.cookies.get("yizhan_county_session")
    dash.client.post(f"{PREFIX}/logout", follow_redirects=False)
    dash.client.cookies.set("yizhan_county_session", token or "", path=PREFIX)
    assert dash.client.get(f"{PREFIX}/health", follow_redirects=False).status_code == 303


def test_viewer_reads_everything_but_every_action_is_403(dash: County) -> None:
    _synced_station(dash)
    assert login(dash.client, "viewer", VIEWER_PW).status_code == 303
    for path in [*PAGES, *(f"export/{e}" for e in EXPORTS)]:
        assert dash.client.get(f"{PREFIX}/{path}").status_code == 200, path
    health = dash.client.get(f"{PREFIX}/health").text
    assert "吊销密钥" not in health
    actions = [
        _upload(dash.client, "catalogue", json.dumps(CATALOGUE).encode()),
        _upload(dash.client, "holidays", b"[]"),
        _upload(dash.client, "staff", b"[]", station_id="ST01"),
        dash.client.post(f"{PREFIX}/stations/ST01/force-backlog"),
        dash.client.post(f"{PREFIX}/stations/ST01/revoke"),
        dash.client.post(f"{PREFIX}/quarantine/1/resolve"),
    ]
    for r in actions:
        assert r.status_code == 403, r.text
        assert "只读查看" in r.text and "无权进行此操作" in r.text
    assert _ref_rows(dash, "catalogue") == []
    assert dash.scalar("SELECT revoked_at FROM station WHERE id='ST01'") is None


def test_health_page_lists_a_station_that_just_synced(dash: County) -> None:
    enrolled_only = dash.enrol("ST02", "西岭村便民服务站")
    assert enrolled_only.station_id == "ST02"
    _synced_station(dash)
    login(dash.client)
    page = dash.client.get(f"{PREFIX}/health").text
    row = page.split('data-station="ST01"')[1].split("</tr>")[0]
    assert "东坡村便民服务站" in row and "正常" in row and "刚刚" in row
    assert "小票打印机正常" in row and "短信猫未连接" in row
    assert 'class="dev ok"' in row and 'class="dev bad"' in row
    other = page.split('data-station="ST02"')[1].split("</tr>")[0]
    assert "异常" in other and "从未" in other
    dash.clock.advance(hours=2)
    later = dash.client.get(f"{PREFIX}/health").text.split('data-station="ST01"')[1]
    assert "注意" in later.split("</tr>")[0]


def test_oversight_and_followups_show_real_data_or_an_empty_state(dash: County) -> None:
    _synced_station(dash)
    login(dash.client)
    assert "暂无超期或临期办件" in dash.client.get(f"{PREFIX}/oversight").text
    follow = dash.client.get(f"{PREFIX}/followups").text
    assert "非常不满意" in follow and "T1" in follow and "东坡村便民服务站" in follow
    assert "T0" not in follow  # a 5 is not a 差评
    assert "暂无未办结的投诉" in follow


def test_figures_page_has_svg_charts_and_the_right_numbers(dash: County) -> None:
    _synced_station(dash)
    login(dash.client)
    page = dash.client.get(f"{PREFIX}/figures").text
    assert page.count("<svg") == 4 and "每日取号数" in page and "<polyline" in page
    row = page.split('data-station="ST01"')[1].split("</tr>")[0]
    assert ">3<" in row and "6.0 分钟" in row and "7.0 分钟" in row and "50.0%" in row
    assert 'class="num no-shows">1<' in row  # 过号 shows (R-M1)


def test_csv_and_xlsx_exports_parse_with_the_right_numbers(dash: County) -> None:
    _synced_station(dash)
    login(dash.client)
    r = dash.client.get(f"{PREFIX}/export/figures.csv")
    assert (
        r.content.startswith(b"\xef\xbb\xbf") and "attachment" in r.headers["content-disposition"]
    )
    assert r.headers["content-type"] == "text/csv; charset=utf-8"  # one charset, not two
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    head, st01, total = rows[0], rows[1], rows[-1]
    assert head[:4] == ["站点编码", "站点名称", "取号数", "办结数"]
    by = dict(zip(head, st01, strict=True))
    assert by["站点编码"] == "ST01" and by["取号数"] == "3" and by["办结数"] == "2"
    assert by["过号数"] == "1" and total[4] == "1"  # 过号 (R-M1)
    assert by["等候时间中位数（分钟）"] == "6.0" and by["办理时长中位数（分钟）"] == "7.0"
    assert by["评价数"] == "2" and by["满意率（%）"] == "50.0"
    assert total[0] == "合计" and total[2] == "3"
    daily = list(
        csv.reader(
            io.StringIO(
                dash.client.get(f"{PREFIX}/export/figures-daily.csv").content.decode("utf-8-sig")
            )
        )
    )
    assert ["2026-11-23", "ST01", "东坡村便民服务站", "3"] in daily
    book = openpyxl.load_workbook(
        io.BytesIO(dash.client.get(f"{PREFIX}/export/figures.xlsx").content)
    )
    summary = book.worksheets[0]
    assert summary.cell(1, 3).value == "取号数" and summary.cell(2, 3).value == 3
    assert summary.cell(2, 5).value == 1 and summary.cell(2, 6).value == 6.0  # 过号, 等候
    health = list(
        csv.reader(
            io.StringIO(dash.client.get(f"{PREFIX}/export/health.csv").content.decode("utf-8-sig"))
        )
    )
    assert health[0][:3] == ["站点编码", "站点名称", "状态"]
    assert health[1][:3] == ["ST01", "东坡村便民服务站", "正常"] and health[1][4] == "0"
    hbook = openpyxl.load_workbook(
        io.BytesIO(dash.client.get(f"{PREFIX}/export/health.xlsx").content)
    )
    assert hbook.active is not None and hbook.active.cell(2, 1).value == "ST01"


def test_publish_catalogue_writes_reference_rows_stations_can_pull(dash: County) -> None:
    st = dash.enrol()
    login(dash.client)
    r = _upload(dash.client, "catalogue", json.dumps(CATALOGUE, ensure_ascii=False).encode())
    assert r.status_code == 200 and "已发布事项目录：共 2 项，2 项有变化" in r.text
    first = _ref_rows(dash, "catalogue")
    assert [(i, d, data["name"]) for i, _, d, data in first] == [
        ("hukou", False, "户口迁移"),
        ("yibao", False, "医保缴费"),
    ]
    v2 = [{"id": "hukou", "name": "户口迁移（新版）", "limit_days": 3}]
    assert _upload(dash.client, "catalogue", json.dumps(v2).encode()).status_code == 200
    second = {i: (rev, deleted) for i, rev, deleted, _ in _ref_rows(dash, "catalogue")}
    old = {i: rev for i, rev, _, _ in first}
    assert second["hukou"][0] > max(old.values()) and second["hukou"][1] is False
    assert second["yibao"][0] > old["yibao"] and second["yibao"][1] is True  # tombstone
    query = {"since": "0", "limit": "500"}
    page = dash.client.get(
        "/sync/v1/reference", params=query, headers=st.read_headers("/sync/v1/reference", query)
    )
    assert page.status_code == 200, page.text
    rows = {(x["table"], x["id"]): x for x in page.json()["page"]["rows"]}
    assert rows[("catalogue", "hukou")]["data"]["name"] == "户口迁移（新版）"
    assert rows[("catalogue", "yibao")]["deleted"] is True


def test_holidays_and_staff_lists_are_published(dash: County) -> None:
    dash.enrol("ST01", "东坡村便民服务站")
    login(dash.client)
    cal = [
        {"date": "2026-10-01", "kind": "holiday", "name": "国庆节"},
        {"date": "2026-10-11", "kind": "workday", "name": "国庆调休"},
    ]
    assert _upload(dash.client, "holidays", json.dumps(cal).encode()).status_code == 200
    assert [(i, d["kind"]) for i, _, _, d in _ref_rows(dash, "holiday")] == [
        ("2026-10-01", "holiday"),
        ("2026-10-11", "workday"),
    ]
    staff = [{"code": "zz01", "name": "张三", "role": "clerk"}]
    r = _upload(dash.client, "staff", json.dumps(staff).encode(), station_id="ST01")
    assert r.status_code == 200, r.text
    [(sid, _, _, data)] = _ref_rows(dash, "staff")
    assert sid == "ST01" and data["staff"][0]["name"] == "张三"
    r = _upload(dash.client, "staff", json.dumps(staff).encode(), station_id="NOPE")
    assert r.status_code == 404 and "找不到站点" in r.text


def test_bad_uploads_are_400_in_chinese_and_write_nothing(dash: County) -> None:
    login(dash.client)
    bad = [
        ("catalogue", b"", "是空的"),
        ("catalogue", b"{not json", "不是有效的 JSON"),
        ("catalogue", b'{"id": "x"}', "须为 JSON 数组"),
        ("catalogue", b'[{"id": "a"}, 3]', "第 2 项不是对象"),
        ("catalogue", b'[{"id": "a"}, {"name": "x"}]', "第 2 项缺少“id”"),
        ("catalogue", b'[{"id": "a"}, {"id": "a"}]', "重复"),
        ("catalogue", b"\xff\xfe", "UTF-8"),
        ("holidays", b'[{"date": "2026-13-01", "kind": "holiday", "name": "x"}]', "YYYY-MM-DD"),
        ("holidays", b'[{"date": "2026-10-01", "kind": "rest", "name": "x"}]', "holiday"),
    ]
    for what, content, message in bad:
        r = _upload(dash.client, what, content)
        assert r.status_code == 400, (what, content, r.text)
        assert message in r.text and "失败" in r.text, (what, content)
    missing = dash.client.post(f"{PREFIX}/publish/catalogue", data={"station_id": ""})
    assert missing.status_code == 400 and "未选择文件" in missing.text
    assert dash.scalar("SELECT count(*) FROM reference_row") == 0


def test_quarantine_and_backlog_with_a_forced_push(dash: County) -> None:
    st = dash.enrol()
    first = st.event()
    st.event()  # seq 2 never arrives: a gap
    third = st.event()
    assert dash.send(st, [first]).status_code == 200
    assert dash.send(st, [third]).status_code == 200
    conflict = st.event()
    dash.send(st, [conflict])
    forged = type(conflict)(**{**conflict.body(), "payload": {"number": "Z999"}}).sealed()
    dash.send(st, [forged])  # same id, different hash: quarantined as a conflict
    login(dash.client)
    page = dash.client.get(f"{PREFIX}/quarantine").text
    assert "强制处理积压" in page and 'data-station="ST01"' in page
    assert "冲突：同一编号内容不同" in page
    r = dash.client.post(f"{PREFIX}/stations/ST01/force-backlog")
    assert r.status_code == 200 and "已强制处理站点 ST01 的积压" in r.text
    assert dash.scalar("SELECT backlog_count FROM station_progress WHERE station_id='ST01'") == 0
    again = dash.client.post(f"{PREFIX}/stations/ST01/force-backlog")
    assert again.status_code == 409 and "没有等待补齐的记录" in again.text
    qid = dash.scalar("SELECT id FROM quarantine")
    dash.client.post(f"{PREFIX}/quarantine/{qid}/resolve")
    assert dash.scalar("SELECT resolved FROM quarantine WHERE id=%s", qid) is True
    assert "暂无隔离或冲突的记录" in dash.client.get(f"{PREFIX}/quarantine").text


def test_chart_text_is_escaped() -> None:
    from sync.county.dashboard.charts import Series, bar_chart, line_chart

    evil = '<script>alert("x")</script>'
    for chart in (
        bar_chart(evil, [evil], [Series(evil, [1.0])]),
        line_chart(evil, [evil, "b"], [Series(evil, [1.0, 2.0])]),
    ):
        assert "<script>" not in chart and "&lt;script&gt;" in chart
