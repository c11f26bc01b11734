"""The whole system as processes for fault tests: nats-server (one node or a loopback cluster), the four
services run the way containers run them, and a real SMTP server in the test process.

Everything binds to 127.0.0.1 on free ports and lives in the test's temp dir; ``Stack.stop`` ends
every process this module started.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from shared.nats_server import NatsServer
from shared.ports import free_port
from shared.settings import STREAM_OWNERS as SERVICES  # the four the harness runs, not the portal

ROOT = Path(__file__).resolve().parents[2]
TRACKING_CODE = re.compile(r"mã số (\S+?),")
ASSIGNED_SUBJECT = "Giao giải quyết ý kiến, kiến nghị"


class SmtpSink:
    """Keeps every e-mail whose DATA completed (thread-safe: aiosmtpd runs in its own thread)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self._lock:
            self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def snapshot(self) -> list[EmailMessage]:
        with self._lock:
            return list(self.messages)

    def assigned(self) -> list[tuple[str, str]]:
        """(tracking code, Message-ID) of every opinion_assigned e-mail received, duplicates kept."""
        found = []
        for message in self.snapshot():
            subject = str(message["Subject"] or "")
            match = TRACKING_CODE.search(subject)
            if subject.startswith(ASSIGNED_SUBJECT) and match:
                found.append((match.group(1), str(message["Message-ID"])))
        return found

    def assigned_per_code(self) -> Counter[str]:
        return Counter(code for code, _ in self.assigned())


@contextlib.contextmanager
def smtp_server() -> Any:
    sink, port = SmtpSink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@dataclass
class Stack:
    """nats-server node(s) and the four services as child processes of the test."""

    root: Path
    smtp_port: int
    nodes: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    nats: list[NatsServer | None] = field(default_factory=list)
    specs: list[NatsServer] = field(default_factory=list)
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    http_ports: dict[str, int] = field(default_factory=dict)

    # -- NATS -----------------------------------------------------------------------------------

    @property
    def nats_url(self) -> str:
        return ",".join(f"nats://127.0.0.1:{spec.port}" for spec in self.specs)

    def start_nats(self) -> None:
        cluster = self.nodes > 1
        cluster_ports = [free_port() for _ in range(self.nodes)]
        for index in range(self.nodes):
            routes = [f"nats://127.0.0.1:{p}" for i, p in enumerate(cluster_ports) if i != index]
            self.specs.append(
                NatsServer(
                    store_dir=self.root / f"nats-{index}",
                    port=free_port(),
                    monitor_port=free_port(),
                    server_name=f"node-{index}",
                    cluster_name="dialogue-reliability" if cluster else None,
                    cluster_port=cluster_ports[index] if cluster else 0,
                    routes=routes if cluster else [],
                    log_file=self.root / f"nats-{index}.log",
                )
            )
        self.nats = [spec.start() for spec in self.specs]

    def _fresh(self, index: int) -> NatsServer:
        spec = self.specs[index]
        return NatsServer(
            store_dir=spec.store_dir, port=spec.port, monitor_port=spec.monitor_port,
            server_name=spec.server_name, cluster_name=spec.cluster_name, cluster_port=spec.cluster_port,
            routes=list(spec.routes), log_file=spec.log_file,
        )  # fmt: skip

    def stop_nats(self, index: int = 0) -> None:
        node = self.nats[index]
        if node is not None:
            node.stop()
            self.nats[index] = None

    def kill_nats(self, index: int) -> None:
        """SIGKILL one node (fault injection)."""
        node = self.nats[index]
        if node is not None:
            node.kill()
            self.nats[index] = None

    def start_nats_node(self, index: int = 0, timeout: float = 20.0) -> None:
        """Start a stopped node again on the same ports and store dir (the port may linger briefly)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.nats[index] = self._fresh(index).start()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def node_index(self, server_name: str) -> int:
        return next(i for i, spec in enumerate(self.specs) if spec.server_name == server_name)

    # -- services -------------------------------------------------------------------------------

    def env(self, name: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DIALOGUE_SERVICE=name,
            DIALOGUE_NATS_URL=self.nats_url,
            DIALOGUE_HTTP_PORT=str(self.http_ports[name]),
            DIALOGUE_STORE_URL=f"sqlite:///{self.root}/{{database}}.db",
            DIALOGUE_DATA_DIR=str(self.root / "data"),
            DIALOGUE_STREAM_REPLICAS=str(self.nodes),
            DIALOGUE_LOG_FORMAT="text",
            DIALOGUE_SMTP_HOST="127.0.0.1",
            DIALOGUE_SMTP_PORT=str(self.smtp_port),
            DIALOGUE_SWEEP_INTERVAL_SECONDS="1",
            DIALOGUE_NOTIFICATION_SWEEP_SECONDS="0.5",
            # Longer than any send under load (a resend after the grace would be a wire duplicate),
            # short enough that a send interrupted by SIGKILL is retried within seconds.
            DIALOGUE_NOTIFICATION_SENDING_GRACE_SECONDS="4",
            DIALOGUE_NOTIFICATION_RATE_EMAIL="10000",
            DIALOGUE_NOTIFICATION_RETRY_INITIAL_SECONDS="0.1",
            DIALOGUE_NOTIFICATION_RETRY_BASE_SECONDS="1",
            DIALOGUE_NOTIFICATION_RETRY_CAP_SECONDS="2",
        )
        env.update(self.extra_env)
        return env

    def start(self, name: str) -> None:
        self.http_ports.setdefault(name, free_port())
        log = (self.root / f"{name}.log").open("ab")
        try:
            self.children[name] = subprocess.Popen(
                [sys.executable, "-m", "services.cli.main", "run", name],
                cwd=ROOT, env=self.env(name), stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        finally:
            log.close()

    def kill(self, name: str) -> None:
        """SIGKILL a service (fault injection): no drain, no cleanup."""
        child = self.children.pop(name)
        child.send_signal(signal.SIGKILL)
        child.wait(10)

    def alive(self, name: str) -> bool:
        child = self.children.get(name)
        return child is not None and child.poll() is None

    def is_ready(self, name: str) -> bool:
        try:
            url = f"http://127.0.0.1:{self.http_ports[name]}/readyz"
            with urllib.request.urlopen(url, timeout=2) as reply:
                return bool(reply.status == 200)
        except OSError:
            return False

    async def wait_ready(self, names: tuple[str, ...] = SERVICES, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        pending = set(names)
        while pending:
            for name in sorted(pending):
                if not self.alive(name):
                    raise AssertionError(f"{name} exited at start-up:\n{self.log_tail(name)}")
                if await asyncio.to_thread(self.is_ready, name):
                    pending.discard(name)
            if pending and time.monotonic() > deadline:
                raise AssertionError(
                    f"{sorted(pending)} not ready after {timeout}s:\n{self.log_tail(min(pending))}"
                )
            await asyncio.sleep(0.2)

    async def start_all(self) -> None:
        self.start_nats()
        for name in SERVICES:
            self.start(name)
        await self.wait_ready()

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.root / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def metric(self, name: str, metric: str) -> float:
        """Sum of a metric's samples on a service's /metrics (0 when absent)."""
        url = f"http://127.0.0.1:{self.http_ports[name]}/metrics"
        with urllib.request.urlopen(url, timeout=5) as reply:
            text = reply.read().decode()
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith(metric) and not line.startswith("#")
        )

    def stop(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children.values():
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        self.children.clear()
        for index in range(len(self.nats)):
            self.stop_nats(index)
