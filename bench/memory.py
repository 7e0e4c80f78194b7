"""Memory of a whole station after a scripted morning (R-N4: a 512 MB Pi Zero 2 W).

Runs the four yizhan processes the appliance runs, each as on the Pi, in subprocesses:
the server (``yizhan serve``), the hardware service (``yizhan hw``: simulated printers and
modem, file speaker, fake GPIO), the sync agent (``yizhan sync run``, offline: its county
address refuses connections and its enrolment stays queued, as at a station whose network
is down) and the staff terminal (``yizhan tui``, headless in a pseudo-terminal, logged in by
typing into it). A scripted morning then goes through the
real HTTP API: 60 tickets issued at the kiosk and the call button, each called and
finished, 12 cases opened and accepted (notices rendered, kept and printed), with the hw
service printing every receipt and notice. Afterwards it reads ``VmRSS`` of each process
(plus any child still running: it first waits up to 45 s for the notice worker to exit
once idle, as it does 15 s after its last notice) and the total, and a baseline
measured in the same run: a bare ``python -c 'import litestar'`` process. It also reports
the server's peak (``VmHWM``), its threads and its open SQLite connections. The processes
run with ``MALLOC_ARENA_MAX=2`` as the appliance's units set it. Beside ``VmRSS`` it reads
each process's ``Pss`` (shared pages split among the processes mapping them: what the four
take from the machine together). The last line is one JSON object.

Goal: the four processes together within 150 MB.
"""

from __future__ import annotations

import argparse
import os
import pty
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    ROOT,
    ServerProcess,
    login,
    prepare_demo_database,
    print_result,
    pss_mb,
    rss_mb,
)

GOAL_MB = 150.0
APPLIANCE_ENV = {"MALLOC_ARENA_MAX": "2"}
"""Set by the appliance's systemd units too: glibc's default of one malloc arena per thread
costs the threaded server about 45 MB more (measured: 207 MB against 160 MB)."""


def demo_pin(code: str) -> str:
    from appliance.demo.seed import DEMO_STAFF

    return next(st.pin for st in DEMO_STAFF if st.code == code)


ITEM = "410122-MZ-001"  # 高龄津贴申请 in the demo catalogue
MATERIALS = {"M1": "received", "M2": "received", "M3": "received", "M4": "received"}
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(n: int) -> str:
    """A resident ID number with a valid GB 11643 check digit."""
    body = f"410122194001{n % 28 + 1:02d}{n % 900 + 100:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def settings_env(server: ServerProcess) -> dict[str, str]:
    env = dict(server.env)
    env.update(
        YIZHAN_PRINTER_BACKEND="simulated",
        YIZHAN_NOTICE_PRINTER_BACKEND="simulated",
        YIZHAN_MODEM_BACKEND="simulated",
        YIZHAN_SPEAKER_BACKEND="file",
        YIZHAN_GPIO_BACKEND="fake",
        LG_WD=tempfile.gettempdir(),
    )
    return env


def start_sync(env: dict[str, str], data: Path, log: Path) -> subprocess.Popen[bytes]:
    """``yizhan sync run`` offline: an enrolment queued for a county that cannot be reached."""
    keys = data / "keys"
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    (keys / "enrolment.pending").write_text("BENCH-OFFLINE\n", encoding="utf-8")
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "yizhan.cli", "sync", "run"],
            cwd=ROOT,
            env={**env, "YIZHAN_COUNTY_URL": "http://127.0.0.1:9"},  # discard: refused
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def start_tui(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """``yizhan tui`` in a pseudo-terminal (80×24 is enough); returns it and the master fd."""
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    proc = subprocess.Popen(
        [sys.executable, "-m", "yizhan.cli", "tui"],
        cwd=ROOT,
        env={**env, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "48"},
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
    )
    os.close(slave)
    return proc, master


def drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except (BlockingIOError, OSError):
        pass


def type_keys(fd: int, keys: str) -> None:
    for key in keys:
        os.write(fd, key.encode())
        time.sleep(0.05)
        drain(fd)


def morning(url: str, tickets: int, cases: int) -> dict[str, int]:
    """The scripted morning over HTTP; returns what was done."""
    with httpx.Client(base_url=url, timeout=30) as http:
        clerk = login(http, "ck01", demo_pin("ck01"))
        done = 0
        for i in range(tickets):
            category = "AB"[i % 2]
            http.post("/api/kiosk/tickets", json={"category": category}).raise_for_status()
            window = 1
            called = http.post(f"/api/windows/{window}/call-next", headers=clerk)
            if called.status_code == 200 or called.status_code == 201:
                http.post(f"/api/windows/{window}/finish", headers=clerk)
                done += 1
        opened = 0
        for n in range(cases):
            applicant = {
                "kind": "person",
                "name": "张桂兰",
                "id_number": id_number(n),
                "phone": "13800001234",
            }
            body = {"item_code": ITEM, "applicant": applicant, "materials": MATERIALS}
            r = http.post("/api/cases", json=body, headers=clerk)
            if r.status_code == 201:
                number = r.json()["case_number"]
                http.post(f"/api/cases/{number}/actions/accept", json={}, headers=clerk)
                opened += 1
        return {"tickets_served": done, "cases_opened": opened}


def wait_printed(url: str, device_key: str, timeout: float = 120.0) -> int:
    """Wait until the hardware service has claimed every print job; returns those left."""
    deadline = time.monotonic() + timeout
    left = -1
    with httpx.Client(base_url=url, timeout=10) as http:
        clerk = login(http, "zz01", demo_pin("zz01"))
        while time.monotonic() < deadline:
            jobs = http.get("/api/print-jobs", headers=clerk)
            if jobs.status_code != 200:
                return -1
            left = sum(1 for j in jobs.json() if j.get("status") in ("pending", "printing"))
            if left == 0:
                return 0
            time.sleep(0.5)
    return left


def peak_mb(pid: int) -> float:
    """The process's peak resident memory (``VmHWM``) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def threads(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/task").iterdir()))


def db_connections(pid: int) -> int:
    """SQLite connections the process holds open (its file descriptors on ``station.db``)."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(fd).endswith(".db")
        except OSError:
            continue
    return count


def children_mb(pid: int, measure: Callable[[int], float] = rss_mb) -> float:
    """Memory of the process's children still running (a notice worker, R-N4)."""
    total = 0.0
    for child in live_children(pid):
        try:
            total += measure(child)
        except (OSError, RuntimeError):
            continue
    return total


def with_children(pid: int, measure: Callable[[int], float]) -> float:
    return round(measure(pid) + children_mb(pid, measure), 1)


def live_children(pid: int) -> list[int]:
    """The process's children that have not exited (an exited one not yet reaped is left out)."""
    live = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state not in ("Z", "X"):
                live.append(int(child))
    return live


def wait_children_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not live_children(pid):
            return True
        time.sleep(0.5)
    return False


def baseline_mb() -> float:
    proc = subprocess.Popen([sys.executable, "-c", "import litestar, time; time.sleep(30)"])
    try:
        time.sleep(3.0)
        return rss_mb(proc.pid)
    finally:
        proc.kill()
        proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=60)
    parser.add_argument("--cases", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yizhan-bench-memory-") as tmp:
        data = Path(tmp)
        prepare_demo_database(data)
        extra = {"printer_backend": "simulated", "notice_printer_backend": "simulated"}
        with ServerProcess(data, settings=extra) as server:
            server.env.update(APPLIANCE_ENV)
            server.start()
            env = settings_env(server)
            hw_log = open(data / "hw.log", "ab")  # noqa: SIM115
            hw = subprocess.Popen(
                [sys.executable, "-m", "yizhan.cli", "hw"],
                cwd=ROOT,
                env=env,
                stdout=hw_log,
                stderr=subprocess.STDOUT,
            )
            sync = start_sync(env, data, data / "sync.log")
            tui, master = start_tui(env)
            try:
                time.sleep(4.0)
                drain(master)
                type_keys(master, f"ck01\t{demo_pin('ck01')}\r")
                did = morning(server.url, args.tickets, args.cases)
                left = wait_printed(server.url, env.get("YIZHAN_DEVICE_KEY", ""))
                time.sleep(3.0)  # a few TUI polls and heartbeats after the morning
                # the notice worker exits 15 s after its last notice (then its memory is back)
                worker_gone = wait_children_gone(server.pid, timeout=45.0)
                drain(master)
                server_pid = server.pid
                inside = {
                    "server_peak_mb": round(peak_mb(server_pid), 1),
                    "server_threads": threads(server_pid),
                    "notice_worker_exited": worker_gone,
                    "server_db_connections": db_connections(server_pid),
                }
                server.rss_mb()  # raises when the server died
                pids = {"server": server_pid, "hw": hw.pid, "tui": tui.pid}
                if sync.poll() is None:
                    pids["sync"] = sync.pid
                rss = {name: with_children(pid, rss_mb) for name, pid in pids.items()}
                pss = {name: with_children(pid, pss_mb) for name, pid in pids.items()}
                rss.setdefault("sync", 0.0)
                pss.setdefault("sync", 0.0)
            finally:
                for proc in (tui, sync, hw):
                    proc.terminate()
                    try:
                        proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                os.close(master)
                hw_log.close()
    base = round(baseline_mb(), 1)
    total = round(sum(rss.values()), 1)
    total_pss = round(sum(pss.values()), 1)
    for name, mb in rss.items():
        print(f"{name:>7}: {mb:6.1f} MB resident, {pss[name]:6.1f} MB Pss")
    print(
        f"  total: {total:6.1f} MB resident, {total_pss:6.1f} MB Pss (goal {GOAL_MB:.0f} MB); "
        f"bare litestar process {base} MB"
    )
    print_result(
        {
            "server_rss_mb": rss["server"],
            "hw_rss_mb": rss["hw"],
            "tui_rss_mb": rss["tui"],
            "sync_rss_mb": rss["sync"],
            "sync_running": rss["sync"] > 0,
            "total_rss_mb": total,
            "total_pss_mb": total_pss,
            "pss_mb": pss,
            "baseline_litestar_mb": base,
            "total_over_baseline": round(total / base, 2),
            "server_over_baseline": round(rss["server"] / base, 2),
            "within_goal": total <= GOAL_MB,
            "print_jobs_left": left,
            **inside,
            **did,
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
