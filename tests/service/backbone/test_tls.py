"""TLS to NATS, as deploy/README.md tells operators to switch it on: the services and the CLI trust
the server's certificate through DIALOGUE_NATS_TLS_CA and refuse a server they cannot verify."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from services.cli.client import CommandFailed, connect, request
from services.scheduling.app import build
from shared.nats_server import NatsServer
from shared.settings import ServiceSettings

pytestmark = pytest.mark.service


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: it makes the test's self-signed certificate")
    cert, key = tmp_path / "server.crt", tmp_path / "server.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(tmp_path: Path, certificate: tuple[Path, Path]) -> Iterator[NatsServer]:
    cert, key = certificate
    config = tmp_path / "tls.conf"
    config.write_text(f'tls {{\n  cert_file: "{cert}"\n  key_file: "{key}"\n  timeout: 2\n}}\n')
    server = NatsServer(
        store_dir=tmp_path / "nats", config_file=config, log_file=tmp_path / "nats.log"
    ).start()
    yield server
    server.stop()


async def test_a_service_and_the_cli_reach_nats_over_tls_with_the_configured_ca(
    tls_server: NatsServer, certificate: tuple[Path, Path], settings_for: Callable[[str], ServiceSettings]
) -> None:
    url = f"tls://127.0.0.1:{tls_server.port}"
    base = settings_for("scheduling").model_copy(update={"nats_url": url, "nats_tls_ca": certificate[0]})
    host = build(base)
    await host.start()
    try:
        nc = await connect(ServiceSettings(service="operator", nats_url=url, nats_tls_ca=certificate[0]))
        try:
            conferences = await request(nc, "scheduling.cmd.list", {})
        finally:
            await nc.drain()
        assert conferences == []
    finally:
        await host.stop()


async def test_the_cli_refuses_a_tls_server_it_cannot_verify_with_one_sentence(
    tls_server: NatsServer,
) -> None:
    url = f"tls://127.0.0.1:{tls_server.port}"
    with pytest.raises(CommandFailed) as refused:
        await connect(ServiceSettings(service="operator", nats_url=url))
    assert refused.value.code == "nats_unreachable"
    assert url in str(refused.value)
