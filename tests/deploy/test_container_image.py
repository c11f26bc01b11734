"""The Dockerfile and its health check: slim, non-root, no baked-in credentials, /readyz via urllib."""

from __future__ import annotations

import http.server
import importlib.util
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.service

REPO = Path(__file__).resolve().parents[2]
HEALTHCHECK = REPO / "deploy" / "docker" / "healthcheck.py"


def healthcheck_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dialogue_healthcheck", HEALTHCHECK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def final_stage(dockerfile: str) -> str:
    return dockerfile.rsplit("\nFROM ", 1)[1]


class ReadyzHandler(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/readyz" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def readyz_server() -> Iterator[http.server.HTTPServer]:
    server = http.server.HTTPServer(("127.0.0.1", 0), ReadyzHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def run_healthcheck(port: int) -> int:
    env = {**os.environ, "DIALOGUE_HTTP_PORT": str(port)}
    return subprocess.run(
        [sys.executable, str(HEALTHCHECK)], env=env, capture_output=True, timeout=30
    ).returncode


def test_the_runtime_image_is_slim_non_root_and_runs_one_service() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    runtime = final_stage(dockerfile)

    assert dockerfile.count("\nFROM ") + dockerfile.startswith("FROM ") >= 2, "multi-stage build"
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in dockerfile
    assert re.search(r"^USER 10001", runtime, re.MULTILINE)
    assert 'ENTRYPOINT ["dialogue", "run"]' in runtime
    assert re.search(r"^CMD \[\"scheduling\"\]", runtime, re.MULTILINE)


def test_the_image_checks_readiness_with_python_not_curl() -> None:
    runtime = final_stage((REPO / "Dockerfile").read_text())
    [healthcheck] = [line for line in runtime.splitlines() if "CMD [" in line and "healthcheck" in line]

    instructions = [line for line in runtime.splitlines() if not line.lstrip().startswith("#")]
    assert "python" in healthcheck
    assert not [line for line in instructions if "curl" in line]
    assert "/readyz" in HEALTHCHECK.read_text()


def test_no_credential_is_baked_into_the_image() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    settings = re.findall(r"^(?:ENV|ARG)\s+(.+)$", dockerfile, re.MULTILINE)
    ignored = [line for line in (REPO / ".dockerignore").read_text().splitlines() if line and line[0] != "#"]

    assert not [line for line in settings if re.search(r"PASSWORD|SECRET|TOKEN|STORE_URL|API_KEY", line)]
    assert ignored[0] == "**", "the build context starts from nothing and adds only what the image needs"
    assert not [
        line for line in ignored if line.startswith("!") and ("deploy/compose" in line or ".env" in line)
    ]


def test_the_health_check_passes_when_readyz_answers_200(readyz_server: http.server.HTTPServer) -> None:
    ReadyzHandler.status = 200

    assert run_healthcheck(readyz_server.server_address[1]) == 0


def test_the_health_check_fails_when_the_service_is_not_ready(readyz_server: http.server.HTTPServer) -> None:
    ReadyzHandler.status = 503

    assert run_healthcheck(readyz_server.server_address[1]) == 1


def test_the_health_check_probes_the_default_port_of_the_service_it_runs() -> None:
    module = healthcheck_module()

    assert (
        module.service_port({}, ["/opt/venv/bin/python", "/opt/venv/bin/dialogue", "run", "intake"]) == 8102
    )
    assert module.service_port({}, ["dialogue", "run", "notification"]) == 8104
    assert module.service_port({"DIALOGUE_HTTP_PORT": "9000"}, ["dialogue", "run", "intake"]) == 9000


def test_the_health_check_knows_the_default_ops_port_of_every_service() -> None:
    from shared.settings import DEFAULT_HTTP_PORTS, SERVICES

    module = healthcheck_module()

    # The portal's pages are on 8080; its readiness, like every service's, on its ops port.
    assert {
        name: module.service_port({}, ["dialogue", "run", name]) for name in SERVICES
    } == DEFAULT_HTTP_PORTS
