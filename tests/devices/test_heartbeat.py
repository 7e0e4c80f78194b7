"""The hardware service's heartbeat (心跳, R-N1, R-Q1, R-Q3): a silent or stuck ``yizhan hw``
becomes one ``device.state_changed`` event and a fault everywhere; a heartbeat clears it."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select

from appliance.devices.rules import hardware_verdict
from appliance.devices.schemas import HeartbeatIn
from appliance.devices.service import DeviceService
from appliance.events.tables import Event
from appliance.queue.rules.tickets import TicketSource
from tests.support.station import Station, make_station


class Mono:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def rig(tmp_path: Path) -> tuple[Station, DeviceService, Mono]:
    st = make_station(tmp_path)
    mono = Mono()
    devices = DeviceService(st.services.db, st.clock, st.services.devices.day, st.settings, mono)
    return st, devices, mono


def hw_events(st: Station) -> list[str]:
    with st.services.db.read() as s:
        rows = s.exec(
            select(Event).where(
                Event.type == "device.state_changed", Event.entity_id == "hwservice"
            )
        )
        return [r.payload for r in rows]


def test_verdicts_r_n1() -> None:
    base = {"since_start": 5.0, "silent_after": 20.0, "startup_grace": 60.0}
    assert hardware_verdict(since_heartbeat=None, **base).ok  # boot order: still in grace
    late = hardware_verdict(since_heartbeat=None, **{**base, "since_start": 61.0})
    assert late.state == "silent" and late.label == "硬件服务未运行"
    assert hardware_verdict(since_heartbeat=3.0, **base).ok
    gone = hardware_verdict(since_heartbeat=25.0, **base)
    assert gone.state == "silent" and "25 秒" in gone.detail and "打印" in gone.detail
    assert hardware_verdict(since_heartbeat=1.0, stopping=True, **base).state == "stopped"
    stuck = hardware_verdict(since_heartbeat=1.0, stale_loops=("打印",), **base)
    assert stuck.state == "stalled" and "打印" in stuck.detail
    jobs = hardware_verdict(since_heartbeat=1.0, unclaimed_jobs=2, oldest_unclaimed=95, **base)
    assert jobs.state == "stalled" and "2 个打印任务" in jobs.detail and "2 分钟" in jobs.detail


def test_silence_is_one_event_and_a_heartbeat_clears_it_r_n1(tmp_path: Path) -> None:
    st, devices, mono = rig(tmp_path)
    devices.report("printer.receipt", "ready", "打印机就绪")
    assert devices.check_hardware().ok and hw_events(st) == []  # nothing written in grace
    devices.heartbeat(HeartbeatIn(pid=42, print_kinds=["receipt"], loops={"print": 0.4}))
    assert hw_events(st) == []  # ready, and no row yet: nothing to write

    mono.t += 21
    health = devices.check_hardware()
    assert health.state == "silent" and health.label == "硬件服务无响应"
    assert devices.check_hardware().state == "silent"
    assert len(hw_events(st)) == 1  # a change is written once, not once per check
    states = {d.device: d for d in devices.states()}
    assert not states["hwservice"].ok
    printer = states["printer.receipt"]  # its last report cannot be trusted now
    assert printer.state == "unknown" and not printer.ok and "状态未知" in printer.label

    devices.heartbeat(HeartbeatIn(pid=43, print_kinds=["receipt"]))
    assert len(hw_events(st)) == 2 and '"ready"' in hw_events(st)[-1]
    states = {d.device: d for d in devices.states()}
    assert states["printer.receipt"].ok and states["hwservice"].ok


def test_a_clean_stop_is_reported_at_once_r_n1(tmp_path: Path) -> None:
    st, devices, _mono = rig(tmp_path)
    devices.heartbeat(HeartbeatIn(pid=42))
    assert devices.heartbeat(HeartbeatIn(pid=42, stopping=True)).state == "stopped"
    assert '"stopped"' in hw_events(st)[-1]


def test_unclaimed_print_jobs_and_a_stuck_loop_are_faults_r_q1(tmp_path: Path) -> None:
    st, devices, mono = rig(tmp_path)
    st.services.queue.issue("A", TicketSource.KIOSK, "normal")  # a receipt job, pending
    devices.heartbeat(HeartbeatIn(pid=1, print_kinds=["receipt"]))
    assert devices.hardware().ok  # just created
    st.clock.advance(seconds=st.settings.print_unclaimed_seconds + 5)
    mono.t += 1
    health = devices.hardware()
    assert health.state == "stalled" and health.unclaimed_jobs == 1
    assert health.label == "打印任务无人领取"
    # a service without a receipt printer claims no receipts: those jobs are not its fault
    devices.heartbeat(HeartbeatIn(pid=1, print_kinds=[]))
    assert devices.hardware().ok
    devices.heartbeat(HeartbeatIn(pid=1, print_kinds=[], loops={"print": 30.0, "feed": 0.2}))
    stuck = devices.hardware()
    assert stuck.state == "stalled" and "打印" in stuck.detail


def test_hall_display_lists_the_fault_and_the_latest_numbers_r_q3(tmp_path: Path) -> None:
    st, devices, mono = rig(tmp_path)
    numbers = [st.services.queue.issue("A", TicketSource.KIOSK, "normal").number for _ in "ab"]
    devices.heartbeat(HeartbeatIn(pid=1))
    assert not [n for n in st.services.windows.display_snapshot().notices if "⚠" in n]
    mono.t += 25
    devices.check_hardware()
    notices = st.services.windows.display_snapshot().notices
    assert any(n.startswith("⚠ 叫号设备暂时故障（硬件服务无响应）") for n in notices)
    recent = next(n for n in notices if n.startswith("最近取号："))
    assert set(recent.removeprefix("最近取号：").split("、")) == set(numbers)


def test_heartbeat_api_and_the_appliance_status_r_n1(station: Station, client: object) -> None:
    from litestar.testing import TestClient

    from tests.support.station import WINDOW_CLERK, login

    assert isinstance(client, TestClient)
    key = {"X-Device-Key": station.settings.device_key}
    beat = {"pid": 7, "print_kinds": ["receipt"], "loops": {"print": 0.5}}
    assert client.post("/api/device/heartbeat", json=beat).status_code in (401, 403)
    r = client.post("/api/device/heartbeat", json=beat, headers=key)
    assert r.status_code == 201 and r.json()["ok"] is True, r.text
    bad = client.post("/api/device/heartbeat", json={"pid": -1}, headers=key)
    assert bad.status_code == 400
    assert client.get("/api/device/heartbeat", headers=key).json()["state"] == "ready"
    staff = login(client, *WINDOW_CLERK)
    status = client.get("/api/devices/appliance", headers=staff).json()
    assert status["hardware"]["ok"] is True and status["hardware"]["last_seen_s"] is not None
    assert status["backup"] == {
        "last_good_at": None,
        "age_s": None,
        "summary": "备份：从未备份",
        "warn": True,
        "path": "",
    }
    with station.services.db.read() as s:  # heartbeats write no events
        assert not list(s.exec(select(Event).where(col(Event.entity_id) == "hwservice")))
