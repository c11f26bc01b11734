"""``dialogue up``: an embedded nats-server plus every service of ``SERVICES`` as a child process.

Each child runs ``dialogue run <service>``, as the image does. The portal's pages are at
``Stack.portal_url`` (its ops endpoints are on its HTTP port like every service's), and the notices'
links point at them (``DIALOGUE_NOTIFICATION_PUBLIC_URL``, unless set). The rating links are signed
with a secret kept in the data directory (``rating-link-secret``) unless ``DIALOGUE_RATING_LINK_SECRET``
or ``DIALOGUE_RATING_LINK_SECRET_FILE`` is set.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from shared.nats_server import NatsServer, PortInUse
from shared.ports import free_port, port_is_free
from shared.settings import DEFAULT_HTTP_PORTS, SERVICES

PORTAL = "portal"
PORTAL_WEB_PORT = 8080  # DIALOGUE_PORTAL_WEB_PORT: the citizens' pages, the console and Open311
SECRET_SETTINGS = ("DIALOGUE_RATING_LINK_SECRET", "DIALOGUE_RATING_LINK_SECRET_FILE")


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
    # The portal's web port; 0 chooses a free one at start (what a test constructing a Stack gets),
    # as does a service missing from http_ports.
    portal_web_port: int = 0

    @property
    def nats_url(self) -> str:
        return f"nats://127.0.0.1:{self.nats_port}"

    @property
    def portal_url(self) -> str:
        """Where the citizens' pages and the Open311 API are served (known once the stack started)."""
        return f"http://127.0.0.1:{self.portal_web_port}"

    def ops_port(self, name: str) -> int:
        """The service's /metrics, /healthz and /readyz port."""
        return self.http_ports[name]

    def check_ports(self) -> None:
        wanted = [
            (self.nats_port, "DIALOGUE_NATS_PORT"),
            (self.nats_monitor_port, "DIALOGUE_NATS_MONITOR_PORT"),
            *[(port, f"DIALOGUE_{name.upper()}_HTTP_PORT") for name, port in self.http_ports.items() if port],
            *([(self.portal_web_port, "DIALOGUE_PORTAL_WEB_PORT")] if self.portal_web_port else []),
        ]
        for port, setting in wanted:
            if not port_is_free(port):
                raise StackError(
                    f"Cổng {port} đang được một chương trình khác sử dụng; hãy dừng chương trình đó "
                    f"hoặc đặt biến môi trường {setting} sang cổng khác."
                )

    def start(self, timeout: float = 60.0) -> None:
        self.check_ports()
        self.portal_web_port = self.portal_web_port or free_port()
        for name in SERVICES:
            self.http_ports[name] = self.http_ports.get(name) or free_port()
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

    def _rating_secret(self) -> dict[str, str]:
        """The rating-link secret every child reads: the operator's own, else one kept in the data dir."""
        if any(os.environ.get(name) for name in SECRET_SETTINGS):
            return {}
        path = self.data_dir / "rating-link-secret"
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        return {"DIALOGUE_RATING_LINK_SECRET_FILE": str(path)}

    def _spawn(self, name: str) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        env.update(
            DIALOGUE_SERVICE=name,
            DIALOGUE_NATS_URL=self.nats_url,
            DIALOGUE_HTTP_PORT=str(self.ops_port(name)),
            DIALOGUE_DATA_DIR=str(self.data_dir),
            **self._rating_secret(),
        )
        env.setdefault("DIALOGUE_STORE_URL", f"sqlite:///{self.data_dir}/{{database}}.db")
        # The notices' links (tra-cuu, danh-gia) open the portal this stack serves.
        env.setdefault("DIALOGUE_NOTIFICATION_PUBLIC_URL", self.portal_url)
        if name == PORTAL:
            env["DIALOGUE_PORTAL_WEB_PORT"] = str(self.portal_web_port)
        command = [sys.executable, "-m", "services.cli.main", "run", name]
        log = open(self.data_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child
        return subprocess.Popen(command, env=env, stdout=log, stderr=log)

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
            with urllib.request.urlopen(f"http://127.0.0.1:{self.ops_port(name)}/readyz", timeout=1) as r:
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
        portal_web_port=_portal_web_port(),
    )


def _portal_web_port() -> int:
    """``DIALOGUE_PORTAL_WEB_PORT`` (checked like the others), else 8080, else 0 (a free one).

    The default is given up when another program holds it (a second checkout's stack, a local web
    server): the portal then listens elsewhere and ``dialogue up`` prints where.
    """
    setting = "DIALOGUE_PORTAL_WEB_PORT"
    if setting in os.environ:
        return int(os.environ[setting])
    return PORTAL_WEB_PORT if port_is_free(PORTAL_WEB_PORT) else 0
