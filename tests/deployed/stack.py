"""The stack as deploy/ configures it, on processes: nats-server through the compose entrypoint with
the deployment's configuration and accounts, and each service with its container's environment, its
own NATS user and a read-only root filesystem (a private mount namespace: ``/`` remounted read-only,
only the volumes the compose file declares writable, a fresh tmpfs where it declares one)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import pytest

from shared.ports import free_port
from shared.settings import SERVICES
from tests.deployed.deployment import (
    COMPOSE_DIR,
    DEPLOY,
    REPO,
    ProcessSpec,
    compose,
    compose_service,
    k8s_service,
    render_nats_config,
)

# Another loopback address than 127.0.0.1: a service that listens on 127.0.0.1 only is not reached,
# just as Prometheus and the kubelet could not reach it from outside its container.
PROBE_HOST = "127.0.0.2"

# Runs inside `unshare --mount`: keep the writable paths as their own mounts, then make everything
# else read-only, as `read_only: true` does, and mount the declared tmpfs.
_READ_ONLY_ROOT = """
set -e
n=0
while [ "$1" != "--" ]; do
  case "$1" in
    rw=*) mount --bind "${1#rw=}" "${1#rw=}" ;;
    tmpfs=*) tmpfs="$tmpfs ${1#tmpfs=}" ;;
    keep=*)  # held aside before a tmpfs hides it (the checkout itself may live under /tmp)
      mkdir -p "$HOLD/$n" && mount --bind "${1#keep=}" "$HOLD/$n"
      keep="$keep $n:${1#keep=}" && n=$((n + 1)) ;;
    ro=1) ro=1 ;;
  esac
  shift
done
shift
[ -n "$ro" ] && mount -o remount,bind,ro /
for path in $tmpfs; do mount -t tmpfs -o size=64m,mode=1777 tmpfs "$path"; done
for entry in $keep; do
  path=${entry#*:}
  mkdir -p "$path" && mount --bind "$HOLD/${entry%%:*}" "$path" && mount -o remount,bind,ro "$path"
done
cd "$PWD"  # the working directory as it is now mounted, not the directory under the mounts
exec "$@"
"""


# The demo gives each of its two scenarios 180 s and, past that, names the step that did not finish.
# The CLI process and the tests that run it wait longer, so a slow or stuck step fails with the
# demo's own sentence (its output), not with a timeout that shows nothing of the stack.
DEMO_SECONDS = 2 * 180 + 40
TEST_SECONDS = DEMO_SECONDS + 120


def namespace_options(writable: list[Path], tmpfs: list[str], read_only: bool) -> list[str]:
    """Arguments of ``_READ_ONLY_ROOT``: what stays writable, the tmpfs mounts, and the paths this
    process needs (the checkout, the virtualenv, Python) that a tmpfs would hide."""
    needed = {Path(p).resolve() for p in (REPO, sys.prefix, sys.base_prefix)}
    hidden = [p for p in needed if any(p.is_relative_to(t) for t in tmpfs)]
    return [
        *(f"rw={path}" for path in writable),
        *(f"tmpfs={path}" for path in tmpfs),
        *(f"keep={path}" for path in sorted(hidden)),
        *(["ro=1"] if read_only else []),
    ]


def require_root_and_unshare() -> None:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip(
            "the deployment layer gives each service a read-only root in a private mount namespace, "
            "which needs root and unshare (util-linux); CI runs as root"
        )


def make_secrets(target: Path) -> Path:
    """Run deploy/compose/make-secrets.sh as an operator would, into ``target``."""
    subprocess.run(["sh", str(COMPOSE_DIR / "make-secrets.sh"), str(target)], check=True, capture_output=True)
    return target


@dataclass
class Nats:
    """nats-server started by the compose entrypoint script with the deployment's configuration."""

    config: Path
    secrets: Path
    log: Path
    port: int
    env: dict[str, str] = field(default_factory=dict)
    # How the server starts: compose's entrypoint by default; the Kubernetes StatefulSet runs
    # nats-server itself with the passwords in its environment (from a Secret).
    kubernetes: bool = False
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            "PATH": f"{Path(sys.prefix) / 'bin'}:{os.environ.get('PATH', '')}",
            "NATS_SECRETS_DIR": str(self.secrets),
            **self.env,
        }
        if self.kubernetes:
            for file in self.secrets.glob("nats_*_password"):
                env[file.name.upper()] = file.read_text().strip()
            argv = ["nats-server", "--config", str(self.config)]
        else:
            argv = ["sh", str(COMPOSE_DIR / "nats-entrypoint.sh"), "--config", str(self.config)]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                argv,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(f"nats-server on port {self.port}", lambda: _listens(self.port), 20, self)

    def stop(self) -> None:
        end(self.process)
        self.process = None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def violations(self) -> list[str]:
        return [line for line in self.log.read_text(errors="replace").splitlines() if "Violation" in line]


def _listens(port: int, host: str = "127.0.0.1") -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def end(process: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    """Stop a child with ``sig``; SIGKILL if it is still there after ``timeout`` seconds."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def tail(log: Path, lines: int = 15) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else "(no log)"


def wait_for(what: str, condition: Any, timeout: float, process: Any = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and not process.alive():
            raise AssertionError(f"{what}: the process exited; its log ends:\n{tail(process.log)}")
        time.sleep(0.1)
    log = f"; its log ends:\n{tail(process.log)}" if process is not None else ""
    raise AssertionError(f"{what} not reached after {timeout:.0f} s{log}")


@dataclass
class Service:
    spec: ProcessSpec
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        options = namespace_options(self.spec.writable, self.spec.tmpfs, self.spec.read_only)
        argv = ["unshare", "--mount", "--propagation", "private", "sh", "-c", _READ_ONLY_ROOT, "sh"]
        hold = self.spec.workdir.parent.parent / "hold" / self.spec.name
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [*argv, *options, "--", *self.spec.argv],
                cwd=self.spec.workdir,
                env={**self.spec.env, "HOLD": str(hold)},
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def web_url(self) -> str:
        """The portal's pages, reached on another address than 127.0.0.1 (as a proxy would)."""
        assert self.spec.web_port, f"{self.spec.name} serves no pages"
        return f"http://{PROBE_HOST}:{self.spec.web_port}"

    def page(self, path: str) -> tuple[int, str]:
        """GET a page of the portal: its status and text (0 when nothing answers)."""
        url = f"{self.web_url}{path}"
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", errors="replace")
        except OSError:
            return 0, ""

    def readyz(self) -> tuple[int, dict[str, Any]]:
        url = f"http://{PROBE_HOST}:{self.spec.http_port}/readyz"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
        except OSError:
            return 0, {}

    def wait_ready(self, timeout: float = 60) -> None:
        wait_for(f"{self.spec.name} ready at {PROBE_HOST}", lambda: self.readyz()[0] == 200, timeout, self)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        end(self.process, sig)
        self.process = None

    def tracebacks(self) -> list[str]:
        text = self.log.read_text(errors="replace")
        return [line[:6000] for line in text.splitlines() if "Traceback" in line]


@dataclass
class Stack:
    """The rehearsal's stack: NATS as compose configures it, the four services and the portal."""

    root: Path
    store: str  # "sqlite" or a mongodb:// base URL
    variables: dict[str, str] = field(default_factory=dict)
    binds: dict[str, Path] = field(default_factory=dict)
    nats: Nats | None = None
    services: dict[str, Service] = field(default_factory=dict)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def secrets(self) -> Path:
        return self.root / "secrets"

    @property
    def nats_url(self) -> str:
        assert self.nats is not None
        return self.nats.url

    def password_file(self, user: str) -> Path:
        return self.secrets / f"nats_{user}_password"

    def start_nats(self) -> Nats:
        make_secrets(self.secrets)
        port = free_port()
        config = render_nats_config(
            DEPLOY / "nats" / "nats-server.conf",
            self.root / "nats",
            client_port=port,
            monitor_port=free_port(),
            store_dir=self.root / "nats" / "jetstream",
            accounts=DEPLOY / "nats" / "accounts.conf",
        )
        self.nats = Nats(config, self.secrets, self.root / "nats.log", port)
        self.nats.start()
        return self.nats

    def _store_url(self, volume: str) -> str:
        """SQLite in the service's data volume, or the MongoDB URL (a database set per stack)."""
        if self.store == "sqlite":
            return f"sqlite:////{self.root / 'volumes' / volume}/{{database}}.db"
        return self.store

    def prepare(self, name: str) -> Service:
        assert self.nats is not None
        spec = compose(self.variables)
        (self.secrets / f"{name}_store_url").write_text(self._store_url(f"{name}-data"))
        process = compose_service(
            spec,
            name,
            root=self.root,
            secrets_dir=self.secrets,
            hosts={"nats:4222": f"127.0.0.1:{self.nats.port}"},
            http_port=free_port(),
            binds=self.binds,
            web_port=free_port(),
        )
        service = Service(process, self.root / f"{name}.log")
        self.services[name] = service
        return service

    def start(self, names: tuple[str, ...] = SERVICES) -> None:
        if self.nats is None:
            self.start_nats()
        for name in names:
            self.prepare(name).start()
        for name in names:
            self.services[name].wait_ready()

    def violations(self) -> list[str]:
        assert self.nats is not None
        return self.nats.violations()

    def restart(self, name: str) -> None:
        service = self.services[name]
        service.stop()
        service.start()
        service.wait_ready()

    def stop(self) -> None:
        for service in self.services.values():
            service.stop()
        if self.nats is not None:
            self.nats.stop()

    def demo(self) -> subprocess.CompletedProcess[str]:
        """The Đồng Du scenario through the CLI: commands as operator, the portal's submissions as
        ``external`` (its password as the compose ``cli`` service mounts it)."""
        return self.cli(
            "demo", "--output-dir", ".",
            "--source-user", "external", "--source-password-file", "/run/secrets/nats_external_password",
            timeout=DEMO_SECONDS,
        )  # fmt: skip

    def cli(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        """``docker compose run --rm cli <args>``: the compose file's ``cli`` service (user
        ``operator``, its secrets, its environment, a read-only root) on a process. Its tmpfs working
        directory becomes a writable folder of the test, which reads what the CLI writes there."""
        spec = compose_service(
            compose(self.variables),
            "cli",
            root=self.root,
            secrets_dir=self.secrets,
            hosts={"nats:4222": self.nats_url.removeprefix("nats://")},
            http_port=0,
        )
        spec.tmpfs = [path for path in spec.tmpfs if path != "/tmp"]
        options = namespace_options([spec.workdir], spec.tmpfs, spec.read_only)
        argv = ["unshare", "--mount", "--propagation", "private", "sh", "-c", _READ_ONLY_ROOT, "sh"]
        return subprocess.run(
            [*argv, *options, "--", spec.argv[0], *(spec.local(arg) for arg in args)],
            env={**spec.env, "HOLD": str(self.root / "hold" / "cli")},
            cwd=spec.workdir, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip


@dataclass
class KubernetesStack(Stack):
    """The multi-node overlay: a 3-node NATS cluster from its nats.conf and the base's accounts.conf,
    and the services as their Deployments and ConfigMaps configure them (DIALOGUE_STREAM_REPLICAS=3)."""

    nodes: list[Nats] = field(default_factory=list)

    @property
    def nats_url(self) -> str:
        return ",".join(node.url for node in self.nodes)

    def start_nats(self) -> Nats:
        make_secrets(self.secrets)
        names = [f"nats-{i}" for i in range(3)]
        client, cluster = [free_port() for _ in names], [free_port() for _ in names]
        for index, name in enumerate(names):
            config = render_nats_config(
                DEPLOY / "k8s" / "overlays" / "multi-node" / "nats.conf",
                self.root / name,
                client_port=client[index],
                monitor_port=free_port(),
                store_dir=self.root / name / "jetstream",
                accounts=DEPLOY / "k8s" / "base" / "nats" / "accounts.conf",
                cluster_port=cluster[index],
                routes=[f"nats://127.0.0.1:{port}" for port in cluster],
            )
            node = Nats(
                config,
                self.secrets,
                self.root / f"{name}.log",
                client[index],
                {"NATS_SERVER_NAME": name},
                True,
            )
            self.nodes.append(node)
        for node in self.nodes:
            node.start()
        self.nats = self.nodes[0]
        return self.nats

    def _secret_file(self, secret: str, key: str) -> Path:
        """The file make-secrets.sh wrote for that key of that Secret (the same values, compose's names)."""
        if secret == "dialogue-nats-passwords":
            return self.password_file(key)
        if secret == "dialogue-rating-link":
            return self.secrets / "rating_link_secret"
        if secret == "dialogue-portal-open311-keys":
            return self.secrets / "portal_open311_keys"
        assert secret == "dialogue-store-urls", secret
        return self.secrets / f"{key}_store_url"

    def prepare(self, name: str) -> Service:
        (self.secrets / f"{name}_store_url").write_text(self._store_url(f"{name}-data"))
        process = k8s_service(
            name,
            root=self.root,
            secret_file=self._secret_file,
            nats_url=",".join(f"nats://127.0.0.1:{node.port}" for node in self.nodes),
            http_port=free_port(),
            web_port=free_port(),
        )
        service = Service(process, self.root / f"{name}.log")
        self.services[name] = service
        return service

    def stop(self) -> None:
        super().stop()
        for node in self.nodes:
            node.stop()

    def violations(self) -> list[str]:
        return [line for node in self.nodes for line in node.violations()]

    def stream_replicas(self) -> dict[str, int]:
        """Each stream's replica count, read as the operator (who may read stream info)."""
        import asyncio

        import nats

        async def read() -> dict[str, int]:
            nc = await nats.connect(self.nats_url.split(","), user="operator", password=self.password_file("operator").read_text(),
                                    inbox_prefix="_INBOX.operator")  # fmt: skip
            try:
                js = nc.jetstream()
                return {name: (await js.stream_info(name)).config.num_replicas or 1
                        for name in ("SCHEDULING", "INTAKE", "ASSIGNMENT", "NOTIFICATION", "DEADLETTER")}  # fmt: skip
            finally:
                await nc.close()

        return asyncio.run(read())
