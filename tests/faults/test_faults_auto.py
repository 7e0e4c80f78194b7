"""Automatic fault entries (R-I1): the appliance opens a fault when a printer or the modem goes
offline, when the hardware service stops reporting and when the county is unreachable, and
closes it when the fault clears; the duration sets a system fault's level."""

from __future__ import annotations

import dataclasses
import threading

from litestar.testing import TestClient

from appliance.devices.tables import DeviceStatus
from appliance.faults.watch import fault_watch
from appliance.uplink.tables import SyncState
from appliance.workers import SERVER_WORKERS
from tests.faults.support import events
from tests.support.station import WINDOW_CLERK, Station, login


def _set_device(station: Station, device: str, state: str, label: str) -> None:
    with station.services.db.write() as s:
        row = s.get(DeviceStatus, device)
        if row is None:
            row = DeviceStatus(
                device=device, state=state, label=label, updated_at=station.clock.now()
            )
        row.state, row.label = state, label
        s.add(row)


def _sync_failing(station: Station, failures: int, error: str | None) -> None:
    with station.services.db.write() as s:
        row = s.get(SyncState, 1) or SyncState(
            station_id="ST01",
            key_id="k",
            county_url="https://county.example",
            county_public_key="x",
            enrolled_at=station.clock.now(),
        )
        row.failures, row.last_error = failures, error
        s.add(row)


def test_printer_offline_opens_and_its_return_closes_with_level_by_duration_r_i1(
    station: Station, client: TestClient
) -> None:
    faults = station.services.faults
    station.services.devices.report("printer.receipt", "offline", "打印机离线", "USB 未连接")
    opened, closed = faults.reconcile()
    assert (len(opened), closed) == (1, [])
    assert faults.reconcile() == ([], [])  # one entry per fault, not one per pass
    h = login(client, *WINDOW_CLERK)
    [fault] = client.get("/api/faults", headers=h).json()
    assert (fault["source"], fault["kind"], fault["automatic"]) == (
        "printer.receipt",
        "system",
        True,
    )
    assert "USB 未连接" in fault["detail"] and fault["opened_by"] == "系统"
    station.clock.advance(minutes=45)
    station.services.devices.report("printer.receipt", "ready", "就绪")
    assert faults.reconcile() == ([], [fault["number"]])
    done = client.get(f"/api/faults/{fault['number']}", headers=h).json()
    assert (done["status"], done["level"], done["duration_text"]) == ("closed", "II", "45 分钟")
    assert done["actions"][-1]["text"].startswith("故障已消除")
    assert client.get(f"/api/faults/{fault['number']}/sheet.pdf", headers=h).status_code == 200
    closed_events = [p for t, p in events(station.services.db, "fault.closed")]
    assert closed_events[0]["level"] == "II" and closed_events[0]["source"] == "printer.receipt"


def test_silent_hardware_service_is_a_fault_and_hides_stale_printer_states_r_i1(
    station: Station,
) -> None:
    faults = station.services.faults
    _set_device(station, "modem", "offline", "短信猫未连接")
    [modem] = faults.reconcile()[0]
    _set_device(station, "hwservice", "silent", "硬件服务无响应")
    _set_device(station, "modem", "ready", "就绪")  # stale while the service is silent
    opened, closed = faults.reconcile()
    assert len(opened) == 1 and closed == []  # the modem fault is not closed on a stale row
    station.clock.advance(minutes=90)
    _set_device(station, "hwservice", "ready", "硬件服务正常")
    opened, closed = faults.reconcile()
    assert opened == [] and len(closed) == 2 and modem in closed
    levels = {f.source: f.level for f in faults.list("all")}
    assert levels == {"hwservice": "I", "modem": "I"}


def test_county_unreachable_is_a_level_iii_network_fault_r_i1(station: Station) -> None:
    faults = station.services.faults
    _sync_failing(station, 1, "连接超时")
    assert faults.reconcile() == ([], [])  # one failed round is not yet a fault
    _sync_failing(station, 2, "连接超时")
    [number] = faults.reconcile()[0]
    fault = faults.get(number)
    assert (fault.kind, fault.scope, fault.level) == ("network", "internet", "III")
    station.clock.advance(hours=5)
    _sync_failing(station, 0, None)
    assert faults.reconcile() == ([], [number])
    assert faults.get(number).level == "III"  # a network fault's level is its scope


def test_the_worker_reconciles_until_stopped_r_i1(station: Station) -> None:
    station.services.devices.report("modem", "offline", "短信猫离线")
    stop = threading.Event()
    worker = threading.Thread(
        target=fault_watch,
        args=(_Fast(station), stop),
        daemon=True,
    )
    worker.start()
    try:
        for _ in range(200):
            if station.services.faults.list("open"):
                break
            stop.wait(0.05)
    finally:
        stop.set()
        worker.join(timeout=10)
    assert [f.source for f in station.services.faults.list("open")] == ["modem"]
    assert fault_watch in SERVER_WORKERS  # the server runs it


class _Fast:
    """The station's services with a short check interval."""

    def __init__(self, station: Station) -> None:
        self.faults = station.services.faults
        self.settings = dataclasses.replace(station.settings, fault_check_seconds=0.05)
