"""Fixtures of the deployment layer: a working root outside /tmp (each service gets a fresh tmpfs on
/tmp, as compose's ``tmpfs: /tmp`` gives it), and the stack started from deploy/ itself."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deployed.monitoring import Monitoring
from tests.deployed.stack import KubernetesStack, Stack, require_root_and_unshare
from tests.mongo_server import database_url, unique_prefix


@pytest.fixture
def deploy_root() -> Iterator[Path]:
    require_root_and_unshare()
    root = Path(tempfile.mkdtemp(prefix="dialogue-deployed-", dir="/var/tmp"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "mongodb"])
def store(request: pytest.FixtureRequest) -> str:
    """SQLite in each service's data volume, or MongoDB through the MongoDB-compatible test server
    (a database set of its own per stack: ``<prefix>_dialogue_<service>``)."""
    if request.param == "sqlite":
        return "sqlite"
    return database_url(request.getfixturevalue("mongo_server"), unique_prefix())


@pytest.fixture
def stack(deploy_root: Path, store: str) -> Iterator[Stack]:
    with Stack(deploy_root, store) as running:
        yield running


@pytest.fixture
def sqlite_stack(deploy_root: Path) -> Iterator[Stack]:
    """The stack on SQLite stores, for tests about the deployment itself rather than the store."""
    with Stack(deploy_root, "sqlite") as running:
        yield running


@pytest.fixture
def kubernetes_stack(deploy_root: Path) -> Iterator[KubernetesStack]:
    with KubernetesStack(deploy_root, "sqlite") as running:
        yield running


@pytest.fixture
def monitoring(deploy_root: Path) -> Iterator[Monitoring]:
    watching = Monitoring(deploy_root)
    try:
        yield watching
    finally:
        watching.stop()
