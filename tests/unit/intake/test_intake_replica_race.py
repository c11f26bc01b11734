"""Two intake replicas grouping the same conference at the same moment, on one store.

Replica A groups a new opinion and is held just before its insert; replica B groups a near-duplicate
against the same (empty) topics and records it. Released, A must not record a second topic for the
same concern: its insert clashes on the conference's sequence number, the unit of work runs its
handler again, which reloads the topics and joins B's.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from services.intake.adapters.repository import OPINIONS, ensure_indexes
from shared.storage import DocumentStore, open_store
from shared.storage.port import Doc, Index
from tests.fakes import InMemoryStore
from tests.unit.intake.intake_handler_support import NOW, make_context, payload, raw, submit_external

pytestmark = pytest.mark.unit


class HeldInserts:
    """The shared store as one replica reaches it: its opinion inserts wait for ``release``."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store
        self.waiting = asyncio.Event()
        self.release = asyncio.Event()

    async def save(self, collection: str, doc: Doc) -> None:
        if collection == OPINIONS and doc["version"] == 1 and not self.release.is_set():
            self.waiting.set()
            await self.release.wait()
        await self.store.save(collection, doc)

    async def ensure_indexes(self, collection: str, indexes: Sequence[Index]) -> None:
        await self.store.ensure_indexes(collection, indexes)

    def __getattr__(self, name: str) -> object:  # every other operation goes straight through
        return getattr(self.store, name)


@pytest.fixture(params=["fake", "sqlite"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    """The hand-written fake, and real SQLite (the embedded default), shared by both replicas."""
    shared: DocumentStore = InMemoryStore()
    if request.param == "sqlite":
        shared = await open_store(f"sqlite:///{tmp_path}/intake.db", "intake")
    await ensure_indexes(shared)
    yield shared
    await shared.close()


async def test_a_replica_that_lost_the_race_joins_the_topic_the_other_recorded(store: DocumentStore) -> None:
    held = HeldInserts(store)
    replica_a = make_context(held)  # type: ignore[arg-type]
    replica_b = make_context(store)  # type: ignore[arg-type]
    same_concern = payload()["content"]

    a = asyncio.create_task(
        submit_external(
            replica_a, "demo-portal", raw(payload("dd-a", content=same_concern)), key="s:a", now=NOW
        )
    )
    await held.waiting.wait()  # A has grouped against no topics and is about to record
    b = await submit_external(
        replica_b, "demo-portal", raw(payload("dd-b", content=same_concern + " ")), key="s:b", now=NOW
    )
    held.release.set()
    a_result = await a

    assert a_result.accepted
    assert b.accepted
    assert a_result.opinion is not None
    assert b.opinion is not None
    docs = await store.find(OPINIONS, {})
    assert len(docs) == 2
    assert {d["topic_group_id"] for d in docs} == {b.opinion.id}  # one topic: the one B opened
    assert sorted(d["conference_seq"] for d in docs) == [1, 2]
