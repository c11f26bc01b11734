"""Fixtures shared by every test layer: real nats-server processes on free ports, temp stores.

Every test that builds services with ``settings_for`` runs twice: once on SQLite files in its temp
dir and once on the MongoDB test server (``tests/mongo_server.py``), in databases of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from shared.nats_server import NatsServer
from shared.ports import free_port
from shared.settings import ServiceSettings
from tests.mongo_server import MongoTestServer, database_url, unique_prefix

# No per-example deadline in any property test: how long an example takes depends on the machine's
# load (a shared 2-core runner), and timing goals belong in `make bench`, not in tests. Hypothesis'
# default 200 ms deadline failed the field-order property on a loaded machine.
settings.register_profile("dialogue", deadline=None)
settings.load_profile("dialogue")


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    """A real nats-server with JetStream, on a free port, with its store in a temp dir."""
    server = NatsServer(store_dir=tmp_path / "nats", log_file=tmp_path / "nats.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mongo_server() -> Iterator[str]:
    """The base URL of one MongoDB test server for the whole session (tests keep apart by database).

    Test commands are on so a test can arm a fault (``configureFailPoint``) for its own ``appName``.
    """
    server = MongoTestServer(test_commands=True).start()
    yield server.url
    server.cleanup()


@pytest.fixture(params=["sqlite", "mongodb"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store URL of the services a test builds: SQLite files in its temp dir, or its own MongoDB
    databases (``{database}`` becomes ``<unique prefix>_dialogue_<service>``)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/{{database}}.db"
    return database_url(request.getfixturevalue("mongo_server"), unique_prefix())


@pytest.fixture
def settings_for(nats_server: NatsServer, tmp_path: Path, store_url: str) -> Callable[[str], ServiceSettings]:
    """Settings for a service against the test's NATS server and its store (SQLite or MongoDB)."""

    def make(service: str) -> ServiceSettings:
        return ServiceSettings(
            service=service,
            nats_url=nats_server.url,
            store_url=store_url,
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
