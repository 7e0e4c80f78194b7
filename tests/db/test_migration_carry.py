"""A field database at revision 0001 is carried to head with its data intact (R-N2)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from appliance.core.clock import FrozenClock
from appliance.db.migrate import upgrade
from appliance.events.log import last_event_seq
from appliance.settings import load_settings
from appliance.wiring import build_services

NOW = "2026-11-23 01:00:00.000000"

V1_ROWS = [
    "INSERT INTO category (id, prefix, name, prior_minutes, priority_streak, sort, active) VALUES ('c1', 'A', '综合受理', 6.0, 0, 0, 1)",
    "INSERT INTO service_window (id, number, name, paused, absence_alerted) VALUES ('w1', 1, '1号窗口', 0, 0)",
    "INSERT INTO window_category (window_id, category_id) VALUES ('w1', 'c1')",
    f"INSERT INTO ticket (id, business_date, category_id, issue_category_id, seq, number, source, priority, status, queue_at, issued_at, phone, people_ahead, est_wait_min, recall_count, no_show_count, rejoin_count) VALUES ('t1', '2026-11-23', 'c1', 'c1', 1, 'A001', 'kiosk', 'normal', 'waiting', '{NOW}', '{NOW}', '13812345678', 0, 0, 0, 0, 0)",
    f"INSERT INTO print_job (id, kind, ticket_id, payload, status, attempts, created_at) VALUES ('p1', 'receipt', 't1', '{{}}', 'pending', 2, '{NOW}')",
    f"INSERT INTO event (seq, id, type, entity, entity_id, payload, occurred_at) VALUES (1, 'e1', 'ticket.issued', 'ticket', 't1', '{{}}', '{NOW}')",
]


def test_0001_database_upgrades_with_data_intact(tmp_path: Path) -> None:
    settings = load_settings(env={}, data_dir=str(tmp_path), printer_backend="none")
    url = settings.sqlalchemy_url
    upgrade(url, "0001")
    engine = create_engine(url)
    with engine.begin() as conn:
        for sql in V1_ROWS:
            conn.execute(text(sql))
    engine.dispose()

    upgrade(url)  # to head

    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT number, phone, near_notified FROM ticket")).one() == (
            "A001",
            "13812345678",
            0,
        )
        assert conn.execute(text("SELECT status, attempts, copies FROM print_job")).one() == (
            "pending",
            2,
            1,
        )
        kinds = {r[0] for r in conn.execute(text("SELECT kind FROM sms_template"))}
        assert {"ticket_issued", "queue_near", "ticket_called"} <= kinds
        assert conn.execute(text("SELECT count(*) FROM event")).scalar() == 1
    engine.dispose()

    clock = FrozenClock(datetime(2026, 11, 23, 1, 5, tzinfo=UTC))
    services = build_services(settings, clock)
    called = services.queue.call_next("1")
    assert called.number == "A001"
    assert last_event_seq(services.db) > 1  # the log continues after the old events
    claims = services.sms.claim()
    assert [c.body for c in claims] == ["【示范村便民服务站】请 A001 号到 1 号窗口办理。"]
    services.close()


def test_0005_cases_carry_to_head_templates_and_lapsed_commitments(tmp_path: Path) -> None:
    """0005 → head: untouched case SMS templates gain {deadline}/{reason} (0006), a station's
    own edit is kept, and a case already flagged 容缺逾期 becomes a 失信 record (0008, R-K2)."""
    settings = load_settings(env={}, data_dir=str(tmp_path), printer_backend="none")
    url = settings.sqlalchemy_url
    upgrade(url, "0005")
    data = (
        '{"number": "DEMO01-20261101-0001", "applicant": {"name": "张桂兰", '
        '"id_number": "410122194001080021"}, "applicant_flagged": true}'
    )
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO case_file (id, case_number, business_date, seq, item_code, item_name, state,"
                " applicant, channel, materials, data, due_provisional, staff_id, created_at, updated_at)"
                " VALUES ('k1', 'DEMO01-20261101-0001', '2026-11-01', 1, '410122-MZ-001', '高龄津贴申请',"
                f" 'tolerant_lapsed', '{{}}', 'counter', '[]', :data, 0, 's1', '{NOW}', '{NOW}')"
            ),
            {"data": data},
        )
        conn.execute(
            text(
                "UPDATE sms_template SET body = '【本站】已受理 {number}' WHERE kind = 'case_accepted'"
            )
        )
    engine.dispose()

    upgrade(url)  # to head

    engine = create_engine(url)
    with engine.connect() as conn:
        bodies = dict(conn.execute(text("SELECT kind, body FROM sms_template")).all())
        assert bodies["case_accepted"] == "【本站】已受理 {number}"  # the station's edit stays
        assert "{deadline}" in bodies["case_correction"] and "{reason}" in bodies["case_refused"]
        assert {"case_extended", "case_lapsed"} <= set(bodies)
        assert conn.execute(text("SELECT id_number, case_number FROM tolerant_default")).all() == [
            ("410122194001080021", "DEMO01-20261101-0001")
        ]
    engine.dispose()
