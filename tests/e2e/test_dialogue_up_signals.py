"""`dialogue up` stops everything on SIGTERM and SIGHUP as on SIGINT: no child left, every port free.

The command runs as a real process in a session of its own (as under a service manager or `make run`);
the signal goes to that one process, not to a terminal's group, so only `dialogue up` can pass it on.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from shared.ports import free_port, port_is_free
from shared.settings import SERVICES

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (read from /proc: children of children included)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


@pytest.fixture
def ports() -> dict[str, int]:
    return {"nats": free_port(), "monitor": free_port(), **{name: free_port() for name in SERVICES}}


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_a_signal_to_dialogue_up_stops_every_child_and_frees_every_port(
    sig: signal.Signals, ports: dict[str, int], tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DIALOGUE_NATS_PORT": str(ports["nats"]),
        "DIALOGUE_NATS_MONITOR_PORT": str(ports["monitor"]),
        **{f"DIALOGUE_{name.upper()}_HTTP_PORT": str(ports[name]) for name in SERVICES},
        "COLUMNS": "200",
    }
    up = subprocess.Popen(
        [sys.executable, "-m", "services.cli.main", "up", "--data-dir", str(tmp_path / "var")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own group: the signal reaches `dialogue up` alone
    )
    try:
        deadline = time.monotonic() + 90
        while not all(ready(ports[name]) for name in SERVICES):
            assert up.poll() is None, up.stdout.read() if up.stdout else ""
            assert time.monotonic() < deadline, "the stack did not become ready"
            time.sleep(0.5)
        children = descendants(up.pid)
        assert len(children) >= len(SERVICES) + 1  # four services and nats-server
        up.send_signal(sig)
        output, _ = up.communicate(timeout=60)
        assert up.returncode == 0, output
        assert "Đang dừng" in output
        assert "Traceback" not in output
        survivors = {pid for pid in children if alive(pid)}
        assert survivors == set(), f"still running after {sig.name}: {survivors}"
        held = {name: port for name, port in ports.items() if not port_is_free(port)}
        assert held == {}, f"ports still held after {sig.name}: {held}"
    finally:
        if up.poll() is None:
            os.killpg(up.pid, signal.SIGKILL)
            up.wait()


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_sigterm_to_make_run_reaches_dialogue_up(ports: dict[str, int], tmp_path: Path) -> None:
    """GNU make passes SIGTERM to its recipe; the recipe `exec`s `dialogue up`, which stops everything."""
    (tmp_path / "pyproject.toml").symlink_to(ROOT / "pyproject.toml")  # make's stamp rule reads it
    env = {
        **os.environ,
        "DIALOGUE_NATS_PORT": str(ports["nats"]),
        "DIALOGUE_NATS_MONITOR_PORT": str(ports["monitor"]),
        **{f"DIALOGUE_{name.upper()}_HTTP_PORT": str(ports[name]) for name in SERVICES},
        "COLUMNS": "200",
    }
    make = subprocess.Popen(
        ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), f"VENV={ROOT / '.venv'}", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not all(ready(ports[name]) for name in SERVICES):
            assert make.poll() is None, make.stdout.read() if make.stdout else ""
            assert time.monotonic() < deadline, "the stack did not become ready"
            time.sleep(0.5)
        children = descendants(make.pid)
        make.send_signal(signal.SIGTERM)
        output, _ = make.communicate(timeout=60)
        assert "Đang dừng (SIGTERM)" in output
        assert "Traceback" not in output
        assert {pid for pid in children if alive(pid)} == set()
        assert {name: port for name, port in ports.items() if not port_is_free(port)} == {}
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
