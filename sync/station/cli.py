"""``yizhan sync status | run [--once] | enrol CODE``: entry points (argparse is wired in
yizhan/cli.py). Each returns a process exit code and prints Chinese lines."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

from appliance.core.clock import SystemClock
from appliance.db.database import Database
from appliance.settings import Settings
from appliance.uplink.service import SyncStatusService
from sync.station.agent import SyncAgent
from sync.station.enrol import EnrolError, enrol
from sync.station.pending import pending_code
from sync.station.state import load_state

log = logging.getLogger("yizhan.sync")


def sync_status_main(settings: Settings) -> int:
    """Print what the TUI status bar shows; exit 0 when in step, 1 when something is wrong."""
    db = Database(settings.sqlalchemy_url)
    try:
        service = SyncStatusService(db, SystemClock(), settings.timezone, settings.county_url)
        view = service.status()
        for line in service.lines():
            print(line)
        if view.enrolled:
            print(f"已确认至第 {view.acked_through_seq} 条 · 参考数据版本 {view.ref_rev}")
        return 0 if view.enrolled and not view.problems else 1
    finally:
        db.dispose()


def sync_enrol_main(settings: Settings, code: str, force: bool = False) -> int:
    try:
        state = enrol(settings, code, force=force)
    except EnrolError as exc:
        print(exc.message)
        return 1
    print(
        f"登记成功：站点 {state.station_id}，密钥编号 {state.key_id}，县级中心 {state.county_url}"
    )
    return 0


def sync_run_main(settings: Settings, once: bool) -> int:
    """``--once``: one round, exit 0 if caught up. Otherwise run until SIGINT/SIGTERM."""
    agent = SyncAgent(settings)
    try:
        if load_state(agent.db) is None and (once or pending_code(settings) is None):
            print("本站尚未登记到县级中心，请先运行 yizhan sync enrol <登记码>")
            return 1
        if once:
            result = agent.run_once()
            if result.error:
                print(f"同步未完成：{result.error}")
                return 1
            print(f"同步完成：发送 {result.batches} 批，已确认至第 {result.acked_through_seq} 条")
            return 0
        stop = threading.Event()

        def _stop(_signum: int, _frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        log.info("sync agent running against %s", settings.county_url)
        agent.run_forever(stop)
        return 0
    finally:
        agent.close()
