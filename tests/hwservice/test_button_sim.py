"""The call button (取号按钮) simulator against a live server (R-Q1): the real button's path."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from sqlmodel import col, select

from appliance.queue.tables import Ticket
from hwservice.button_sim import ButtonClient, ButtonError, run_button_simulator
from tests.support.station import LiveServer, free_port


def client_for(live: LiveServer, key: str | None = None) -> ButtonClient:
    return ButtonClient(live.url, key if key is not None else live.station.settings.device_key)


def test_press_issues_a_button_ticket_r_q1(live_server: LiveServer) -> None:
    """R-Q1: a press issues a ticket of the configured category with source "button"."""
    with client_for(live_server) as button:
        first = button.press()
        second = button.press()
    assert (first.number, second.number) == ("A001", "A002")
    assert first.source == "button" and first.priority == "normal"
    assert (first.people_ahead, second.people_ahead) == (0, 1)
    assert first.category_name == "综合受理"
    with live_server.station.services.db.read() as s:
        rows = list(s.exec(select(Ticket).order_by(col(Ticket.seq))))
    assert [(t.number, t.source) for t in rows] == [("A001", "button"), ("A002", "button")]


def test_long_press_issues_a_priority_ticket_r_q1_r_q4(live_server: LiveServer) -> None:
    """R-Q1, R-Q4: a long press asks for a 老弱病残孕 priority ticket."""
    with client_for(live_server) as button:
        button.press()
        ticket = button.press(long=True)
    assert ticket.priority == "vulnerable"
    assert ticket.priority_label == "老弱病残孕优先"
    assert ticket.people_ahead == 0  # priority tickets count only priority tickets ahead


def test_wrong_device_key_is_refused_with_a_clear_message_r_q1(live_server: LiveServer) -> None:
    """R-Q1: only the hardware service with the device key may issue from the button."""
    with client_for(live_server, "wrong-key") as button, pytest.raises(ButtonError) as info:
        button.press()
    assert info.value.status == 403
    assert info.value.code == "bad_device_key"
    assert "设备密钥无效" in info.value.message
    with live_server.station.services.db.read() as s:
        assert s.exec(select(Ticket)).first() is None


def test_unreachable_server_gives_a_chinese_message_r_n2() -> None:
    """R-N2: a server that is down is reported plainly, not as a traceback."""
    url = f"http://127.0.0.1:{free_port()}"
    with ButtonClient(url, "k", timeout=1.0) as button, pytest.raises(ButtonError) as info:
        button.press()
    assert info.value.code == "unreachable"
    assert "无法连接服务器" in info.value.message and url in info.value.message


def test_simulator_enter_long_press_and_quit_r_q1(live_server: LiveServer) -> None:
    """R-Q1: Enter issues, "l" issues a priority ticket, junk is explained, "q" quits."""
    settings = replace(live_server.station.settings, server_url=live_server.url)
    out = io.StringIO()
    code = run_button_simulator(settings, io.StringIO("\nl\nxyz\n\nq\n\n"), out)
    text = out.getvalue()
    assert code == 0
    assert "已取号 A001（综合受理），前面还有 0 人" in text
    assert "已取号 A002（综合受理）【老弱病残孕优先】，前面还有 0 人" in text
    assert "已取号 A003（综合受理），前面还有 2 人" in text  # both tickets wait ahead
    assert "无法识别“xyz”" in text
    assert "A004" not in text  # nothing after "q"
    assert text.rstrip().endswith("已退出模拟取号按钮")


def test_simulator_reports_unreachable_server_and_exits_on_eof_r_n2() -> None:
    """R-N2: with the server down each press says so; end of input exits cleanly."""
    from appliance.settings import load_settings

    settings = load_settings(env={}, server_url=f"http://127.0.0.1:{free_port()}")
    out = io.StringIO()
    assert run_button_simulator(settings, io.StringIO("\n"), out) == 0
    assert "取号失败：无法连接服务器" in out.getvalue()
    assert "已退出模拟取号按钮" in out.getvalue()


def test_simulator_goes_the_hardware_way_and_prints_at_once_r_q1(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """R-Q1: a simulated press is the real button's press (``/api/device/button-press``):
    its receipt comes back leased and is printed at once on the configured printer."""
    settings = replace(
        live_server.station.settings,
        server_url=live_server.url,
        printer_backend="simulated",
        data_dir=str(tmp_path),
    )
    out = io.StringIO()
    assert run_button_simulator(settings, io.StringIO("\n"), out) == 0
    assert "已取号 A001（综合受理）" in out.getvalue()
    assert [p.name for p in sorted((tmp_path / "receipts").glob("*.txt"))] == [
        f"A001-{job.id}.txt" for job in live_server.station.services.print_jobs.list_jobs()
    ]
    [job] = live_server.station.services.print_jobs.list_jobs()
    assert (job.status, job.attempts) == ("done", 1)


def test_the_old_ticket_endpoint_is_gone(live_server: LiveServer) -> None:
    """One ticket endpoint for the button: ``/api/device/tickets`` answers 404."""
    headers = {"X-Device-Key": live_server.station.settings.device_key}
    r = httpx.post(f"{live_server.url}/api/device/tickets", json={}, headers=headers)
    assert r.status_code in (404, 405)
    with live_server.station.services.db.read() as s:
        assert s.exec(select(Ticket)).first() is None
