"""sd_notify without libsystemd: one datagram to ``$NOTIFY_SOCKET`` (systemd watchdog, 看门狗).

systemd sets ``NOTIFY_SOCKET`` (a path, or ``@name`` for the abstract namespace) and, with
``WatchdogSec=``, ``WATCHDOG_USEC`` (and ``WATCHDOG_PID``) for the service's main process.
Outside systemd (tests, ``make run``) every call is a no-op that returns False.

Pings must come from the loop whose progress they vouch for (the hardware loops, the sync
loop, the server's worker), never from a timer thread: a stuck loop then stops pinging and
systemd restarts the service.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Mapping

ENV_SOCKET = "NOTIFY_SOCKET"
ENV_USEC = "WATCHDOG_USEC"
ENV_PID = "WATCHDOG_PID"


def notify(message: str, env: Mapping[str, str] | None = None) -> bool:
    """Send ``message`` (e.g. ``READY=1``, ``WATCHDOG=1``, ``STATUS=…``); True when sent."""
    env = os.environ if env is None else env
    address = env.get(ENV_SOCKET, "")
    if not address or address[0] not in "/@":
        return False
    target = "\0" + address[1:] if address.startswith("@") else address
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(target)
            sock.sendall(message.encode("utf-8"))
    except OSError:  # systemd gone or the socket unreachable: nothing to tell
        return False
    return True


def watchdog_seconds(env: Mapping[str, str] | None = None) -> float | None:
    """The watchdog period systemd expects pings within, or None when there is none.

    ``WATCHDOG_PID`` names the process the watchdog is meant for; another process (a child
    that inherited the environment) gets None.
    """
    env = os.environ if env is None else env
    raw = env.get(ENV_USEC, "")
    pid = env.get(ENV_PID, "")
    if pid and pid != str(os.getpid()):
        return None
    try:
        usec = int(raw)
    except ValueError:
        return None
    return usec / 1_000_000 if usec > 0 else None


class Watchdog:
    """Pings ``WATCHDOG=1`` at most every ``min_interval`` seconds, when told progress was made.

    ``progressed()`` is called by a loop after each step it finished; it sends a ping only if
    the last one is older than ``min_interval`` (so a tight loop does not flood the socket).
    """

    def __init__(
        self,
        min_interval: float = 1.0,
        env: Mapping[str, str] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.min_interval = min_interval
        self.env = env
        self.monotonic = monotonic
        self._last: float | None = None
        self.sent = 0

    def progressed(self) -> bool:
        now = self.monotonic()
        if self._last is not None and now - self._last < self.min_interval:
            return False
        if notify("WATCHDOG=1", self.env):
            self._last = now
            self.sent += 1
            return True
        return False


def slice_wait(total: float, env: Mapping[str, str] | None = None) -> float:
    """The longest a loop may sleep before it must wake and ping: half the watchdog period."""
    period = watchdog_seconds(env)
    if period is None:
        return total
    return max(0.05, min(total, period / 2))
