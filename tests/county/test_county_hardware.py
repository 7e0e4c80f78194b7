"""Station health at the county (R-M2, R-N1): when a station reports its hardware service
silent, the county stops showing the printer's last "ready" and marks the station 异常; the
county's answer to a batch carries its time for stations without an RTC (R-N2)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sync.county.dashboard.common import PREFIX
from sync.county.dashboard.health import StationHealth, station_health
from sync.county.status import station_health as status_health
from sync.protocol import WireEvent
from tests.county.dashboard_support import login
from tests.support.county import T0, County, FakeStation


def device(st: FakeStation, name: str, state: str, label: str, minutes: int) -> WireEvent:
    return st.event(
        "device.state_changed",
        {"state": state, "label": label, "detail": ""},
        entity="device",
        entity_id=name,
        at=T0 + timedelta(minutes=minutes),
    )


def health_row(county: County, station: str) -> StationHealth:
    with county.services.db.tx() as s:
        return next(r for r in station_health(s, county.clock.now()) if r.station_id == station)


def test_a_silent_hardware_service_makes_device_states_unknown_r_m2(dash: County) -> None:
    st = dash.enrol("ST01", "东坡村便民服务站")
    events = [
        device(st, "printer.receipt", "ready", "打印机就绪", 0),
        device(st, "modem", "ready", "短信猫就绪", 0),
    ]
    r = dash.send(st, events)
    assert r.status_code == 200, r.text
    assert datetime.fromisoformat(r.json()["county_time"]) == dash.clock.now()
    row = health_row(dash, "ST01")
    assert row.level == "ok" and row.printer_text == "打印机就绪（ready）"

    silent = device(st, "hwservice", "silent", "硬件服务无响应", 5)
    assert dash.send(st, [silent]).status_code == 200
    row = health_row(dash, "ST01")
    assert row.level == "bad"
    assert "打印机就绪" not in row.printer_text
    assert row.printer_text.startswith("状态未知（硬件服务无响应）")
    assert row.modem_text.startswith("状态未知")
    assert status_health(dash.services)[0].devices == {
        "printer.receipt": "unknown",
        "modem": "unknown",
        "hwservice": "silent",
    }
    login(dash.client)
    page = dash.client.get(f"{PREFIX}/health").text
    cells = page.split('data-station="ST01"')[1].split("</tr>")[0]
    assert "状态未知（硬件服务无响应）" in cells and "打印机就绪" not in cells

    assert dash.send(st, [device(st, "hwservice", "ready", "硬件服务正常", 6)]).status_code == 200
    row = health_row(dash, "ST01")
    assert row.level == "ok" and row.printer_text == "打印机就绪（ready）"
