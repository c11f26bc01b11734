"""Fixtures shared by every test layer: real nats-server processes on free ports, temp stores."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from shared.nats_server import NatsServer
from shared.ports import free_port
from shared.settings import ServiceSettings


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    """A real nats-server with JetStream, on a free port, with its store in a temp dir."""
    server = NatsServer(store_dir=tmp_path / "nats", log_file=tmp_path / "nats.log").start()
    yield server
    server.stop()


@pytest.fixture
def settings_for(nats_server: NatsServer, tmp_path: Path) -> Callable[[str], ServiceSettings]:
    """Settings for a service against the test's NATS server and a SQLite store in the temp dir."""

    def make(service: str) -> ServiceSettings:
        return ServiceSettings(
            service=service,
            nats_url=nats_server.url,
            store_url=f"sqlite:///{tmp_path}/{{database}}.db",
            http_port=free_port(),
            data_dir=tmp_path / "data",
        )

    return make


@pytest.fixture
async def nats_client(nats_server: NatsServer) -> AsyncIterator[object]:
    import nats

    nc = await nats.connect(nats_server.url)
    yield nc
    await nc.drain()
