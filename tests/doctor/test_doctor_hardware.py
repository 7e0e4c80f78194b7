"""``yizhan doctor`` and the hardware service (R-N1): a dead ``yizhan hw`` is a ✘ line and
exit code 1, never "设备正常，可以开门办理"."""

from __future__ import annotations

import dataclasses

import httpx

from tests.support.station import LiveServer, free_port
from yizhan.doctor import exit_code, format_line, run_doctor, summary_line
from yizhan.doctor_checks import check_hardware_service

CHECKS = [("硬件服务", check_hardware_service)]


def test_doctor_fails_while_the_hardware_service_is_silent_r_n1(live_server: LiveServer) -> None:
    st = live_server.station
    settings = dataclasses.replace(st.settings, server_url=live_server.url)
    devices = st.services.devices
    devices.settings = dataclasses.replace(
        devices.settings, hw_startup_grace_seconds=0.0, hw_silent_seconds=1.0
    )
    results = run_doctor(settings, checks=CHECKS)
    line = format_line(results[0])
    assert line.startswith("✘ 硬件服务：硬件服务未运行"), line
    assert "systemctl restart yizhan-hw" in line
    assert exit_code(results) == 1
    assert summary_line(results).endswith("有故障需要处理")

    key = {"X-Device-Key": st.settings.device_key}
    assert httpx.post(f"{live_server.url}/api/device/heartbeat", json={}, headers=key).is_success
    results = run_doctor(settings, checks=CHECKS)
    assert format_line(results[0]) == "✔ 硬件服务：硬件服务正常"
    assert exit_code(results) == 0


def test_doctor_fails_when_the_server_is_down_or_refuses_the_key(live_server: LiveServer) -> None:
    st = live_server.station
    down = dataclasses.replace(st.settings, server_url=f"http://127.0.0.1:{free_port()}")
    [result] = run_doctor(down, checks=CHECKS)
    assert result.status == "fail" and "站点服务器没有响应" in result.found
    wrong_key = dataclasses.replace(
        st.settings, server_url=live_server.url, device_key="not-the-key-0123456789"
    )
    [result] = run_doctor(wrong_key, checks=CHECKS)
    assert result.status == "fail" and "设备密钥" in result.found
