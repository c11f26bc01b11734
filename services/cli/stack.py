"""``dialogue up``: an embedded nats-server plus the four services as child processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from shared.nats_server import NatsServer, PortInUse
from shared.ports import port_is_free
from shared.settings import DEFAULT_HTTP_PORTS, SERVICES


class StackError(RuntimeError):
    """Something stops the stack from starting; the message says what and how to fix it."""


@dataclass
class Stack:
    data_dir: Path = Path("var")
    nats_port: int = 4222
    nats_monitor_port: int = 8222
    http_ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_HTTP_PORTS))
    nats: NatsServer | None = None
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def nats_url(self) -> str:
        return f"nats://127.0.0.1:{self.nats_port}"

    def check_ports(self) -> None:
        wanted = [
            (self.nats_port, "DIALOGUE_NATS_PORT"),
            (self.nats_monitor_port, "DIALOGUE_NATS_MONITOR_PORT"),
            *[(port, f"DIALOGUE_{name.upper()}_HTTP_PORT") for name, port in self.http_ports.items()],
        ]
        for port, setting in wanted:
            if not port_is_free(port):
                raise StackError(
                    f"Cổng {port} đang được một chương trình khác sử dụng; hãy dừng chương trình đó "
                    f"hoặc đặt biến môi trường {setting} sang cổng khác."
                )

    def start(self, timeout: float = 60.0) -> None:
        self.check_ports()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.nats = NatsServer(
            store_dir=self.data_dir / "nats",
            port=self.nats_port,
            monitor_port=self.nats_monitor_port,
            log_file=self.data_dir / "nats-server.log",
        )
        try:
            self.nats.start()
        except PortInUse as exc:
            raise StackError(f"Cổng {exc} đang bận; đặt DIALOGUE_NATS_PORT sang cổng khác.") from exc
        for name in SERVICES:
            self.children[name] = self._spawn(name)
        self.wait_ready(timeout)

    def _spawn(self, name: str) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        env.update(
            DIALOGUE_SERVICE=name,
            DIALOGUE_NATS_URL=self.nats_url,
            DIALOGUE_HTTP_PORT=str(self.http_ports[name]),
            DIALOGUE_DATA_DIR=str(self.data_dir),
        )
        env.setdefault("DIALOGUE_STORE_URL", f"sqlite:///{self.data_dir}/{{database}}.db")
        log = open(self.data_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child
        return subprocess.Popen(
            [sys.executable, "-m", "services.cli.main", "run", name], env=env, stdout=log, stderr=log
        )

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = set(self.children)
        while pending and time.monotonic() < deadline:
            for name in sorted(pending):
                child = self.children[name]
                if child.poll() is not None:
                    raise StackError(
                        f"Dịch vụ {name} đã dừng khi khởi động (mã {child.returncode}); xem {self.data_dir}/{name}.log."
                    )
                if self.is_ready(name):
                    pending.discard(name)
            time.sleep(0.2)
        if pending:
            raise StackError(
                f"Dịch vụ {', '.join(sorted(pending))} chưa sẵn sàng sau {timeout:.0f} giây; xem log trong {self.data_dir}."
            )

    def is_ready(self, name: str) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.http_ports[name]}/readyz", timeout=1) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    def stop(self, timeout: float = 20.0) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children.values():
            try:
                child.wait(timeout)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        self.children.clear()
        if self.nats is not None:
            self.nats.stop()
            self.nats = None


def stack_from_env(data_dir: Path) -> Stack:
    ports = {
        name: int(os.environ.get(f"DIALOGUE_{name.upper()}_HTTP_PORT", port))
        for name, port in DEFAULT_HTTP_PORTS.items()
    }
    return Stack(
        data_dir=data_dir,
        nats_port=int(os.environ.get("DIALOGUE_NATS_PORT", 4222)),
        nats_monitor_port=int(os.environ.get("DIALOGUE_NATS_MONITOR_PORT", 8222)),
        http_ports=ports,
    )
