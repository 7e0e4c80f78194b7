"""A first end-to-end pass over the API (R-Q1, R-Q3)."""

from litestar.testing import TestClient

from tests.support.station import WINDOW_CLERK, LiveServer, login


def test_kiosk_ticket_then_window_calls_it_r_q1_r_q3(client: TestClient) -> None:
    r = client.post("/api/kiosk/tickets", json={"category": "A"})
    assert r.status_code == 201
    assert r.json()["number"] == "A001"
    h = login(client, *WINDOW_CLERK)
    r = client.post("/api/windows/1/call-next", headers=h)
    assert r.status_code == 201
    assert r.json()["number"] == "A001"
    assert r.json()["window_number"] == 1


def test_live_server_answers(live_server: LiveServer) -> None:
    import httpx

    assert httpx.get(f"{live_server.url}/api/health").json()["ok"] is True
