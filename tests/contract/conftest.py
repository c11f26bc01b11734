"""The store every contract test runs on: each adapter of the storage port, and the fake."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from shared.storage import DocumentStore, Index, open_store
from tests.fakes import InMemoryStore
from tests.mongo_server import database_url, unique_prefix

# "fake": the hand-written InMemoryStore of the unit tests must keep the same contract.
BACKENDS = ["sqlite", "fake", "secantusdb"] + (["mongodb"] if os.environ.get("MONGODB_URL") else [])


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    backend = request.param
    if backend == "sqlite":
        s: DocumentStore = await open_store(f"sqlite:///{tmp_path}/contract.db", "contract")
    elif backend == "fake":
        s = InMemoryStore()
    elif backend == "secantusdb":
        s = await open_store(
            database_url(request.getfixturevalue("mongo_server"), unique_prefix()), "contract"
        )
    else:
        s = await open_store(os.environ["MONGODB_URL"], f"contract_{unique_prefix()}")
    await s.ensure_indexes("things", [Index(("kind",)), Index(("ref",), unique=False)])
    yield s
    await s.close()
