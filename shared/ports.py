"""Loopback ports for the servers tests, benchmarks and the embedded stack start.

``free_port()`` used to bind port 0 and release it: the kernel's pick came from the ephemeral range,
so between the release and the server's own bind any outgoing connection on the machine (a NATS
client, an HTTP probe) could take it as its source port, and the server failed to start. Ports here
come from *below* the ephemeral range (``/proc/sys/net/ipv4/ip_local_port_range``), which the kernel
never hands out for ``bind(0)`` or ``connect()``, and each is claimed with a lock file held for as
long as this process runs, so two processes using this module never pick the same one. The window
between choosing a port and binding it is therefore closed for everything but a program that binds
that fixed port on its own.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import socket
import tempfile
from collections import OrderedDict
from pathlib import Path

LOCK_DIR = Path(tempfile.gettempdir()) / "dialogue-ports"
_HELD_MAX = 4000  # claims kept per process; the oldest are released first (long since bound or closed)
_held: OrderedDict[int, int] = OrderedDict()  # port -> file descriptor of its lock
_cursor: list[int] = []


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def claimable_range() -> range:
    """The ports this module hands out: a block outside the kernel's ephemeral range."""
    low, high = _ephemeral_range()
    if low > 12000:
        return range(max(10000, low - 12000), low)
    return range(high + 1, min(65535, high + 12000))


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


def _claim(port: int) -> bool:
    LOCK_DIR.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(PermissionError):
        os.chmod(LOCK_DIR, 0o1777)
    fd = os.open(LOCK_DIR / f"{port}.lock", os.O_CREAT | os.O_RDWR, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    _held[port] = fd
    while len(_held) > _HELD_MAX:
        _, old = _held.popitem(last=False)
        os.close(old)
    return True


def free_port() -> int:
    """A loopback TCP port that is free now and that no other user of this module will take."""
    ports = claimable_range()
    if not _cursor:
        _cursor.append(random.randrange(len(ports)))
    for _ in range(len(ports)):
        _cursor[0] = (_cursor[0] + 1) % len(ports)
        port = ports[_cursor[0]]
        if port in _held or not _claim(port):
            continue
        if port_is_free(port):
            return port
    raise RuntimeError(f"no free loopback port left in {ports.start}-{ports.stop - 1}")
