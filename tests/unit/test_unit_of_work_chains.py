"""A chain's outcomes answered one by one: committed up to the document the store refused.

A chain (``Outcome.chain``) is saved as one group. SQLite (and ``InMemoryStore``) save a group all or
none; MongoDB saves it in order without a transaction and stops at the refused document, the ones
before it staying saved (``SaveRefused.written``). ``SavedInOrder`` is the fake saving as MongoDB
does, so the unit of work's mapping from the group's answer to each outcome's is tested here without
a server (tests/contract/test_store_batches.py runs the same chain on every store).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Sequence
from typing import Any

import pytest

from shared.storage.port import ConcurrencyConflict, Saved, SaveRefused
from shared.unit_of_work import Change, Outcome, UnitOfWork
from tests.fakes import InMemoryStore, event_for
from tests.unit.test_unit_of_work_batch import Published

pytestmark = pytest.mark.unit

OPINIONS = "opinions"
CHAIN = "conference:c-1"


class SavedInOrder(InMemoryStore):
    """The fake saving a group of several documents as MongoDB does: in order, without a
    transaction, stopping at the first refused one, whose refusal counts the ones saved before it."""

    async def save_batch(self, groups: Sequence[Sequence[Saved]]) -> list[Exception | None]:
        self.batches.append(len(groups))
        results: list[Exception | None] = []
        for group in groups:
            failure: Exception | None = None
            for k, (collection, doc) in enumerate(group):
                try:
                    await self.save(collection, doc)
                except SaveRefused as exc:
                    exc.written = k
                    failure = exc
                    break
            results.append(failure)
        return results


def new_opinion(n: int, confirmed: list[int]) -> Outcome[int]:
    """Opinion ``op-n``, recorded for message ``m-n``, the n-th of its conference's chain."""
    change = Change(OPINIONS, {"_id": f"op-{n}", "seq": n}, None, [event_for(f"m-{n}")], f"m-{n}")
    return Outcome(
        changes=[change], reply=n, after_commit=functools.partial(confirmed.append, n), chain=CHAIN
    )


async def rival_recorded_op_3(store: InMemoryStore) -> None:
    """Another replica recorded op-3 first: inserting it again is a conflict."""
    await store.save(OPINIONS, {"_id": "op-3", "version": 1, "seq": 3, "rival": True})


async def test_a_chain_saved_in_order_commits_the_outcomes_written_before_the_refused_document() -> None:
    store, published, confirmed = SavedInOrder(), Published(), []
    await rival_recorded_op_3(store)
    uow = UnitOfWork(lambda: store, published, {OPINIONS}, batch_size=16)
    results = await uow.commit_batch([new_opinion(n, confirmed) for n in range(1, 6)])
    assert results[:2] == [None, None]
    assert all(isinstance(r, ConcurrencyConflict) for r in results[2:])
    assert store.batches == [1]  # the chain is one group
    assert published.ids() == [event_for("m-1").event_id, event_for("m-2").event_id]
    assert confirmed == [1, 2]
    assert sorted(store.collections[OPINIONS]) == ["op-1", "op-2", "op-3"]
    assert store.collections[OPINIONS]["op-3"]["rival"] is True
    assert await store.count(OPINIONS, {"has_unpublished": True}) == 0  # the two confirmed: cleared


async def test_a_chain_saved_all_or_none_fails_every_outcome_when_one_document_is_refused() -> None:
    store, published, confirmed = InMemoryStore(), Published(), []
    await rival_recorded_op_3(store)
    uow = UnitOfWork(lambda: store, published, {OPINIONS}, batch_size=16)
    results = await uow.commit_batch([new_opinion(n, confirmed) for n in range(1, 6)])
    assert all(isinstance(r, ConcurrencyConflict) for r in results)
    assert published.events == []
    assert confirmed == []
    assert sorted(store.collections[OPINIONS]) == ["op-3"]


async def test_an_outcome_written_in_part_is_not_committed_and_the_sweep_publishes_what_it_saved() -> None:
    store, published, confirmed = SavedInOrder(), Published(), []
    await rival_recorded_op_3(store)
    two = Outcome(
        changes=[
            Change(OPINIONS, {"_id": "op-2", "seq": 2}, None, [event_for("m-2")], "m-2"),
            Change(OPINIONS, {"_id": "op-3", "seq": 3}, None, [event_for("m-3")], "m-3"),  # refused
        ],
        after_commit=functools.partial(confirmed.append, 2),
        chain=CHAIN,
    )
    uow = UnitOfWork(lambda: store, published, {OPINIONS}, batch_size=16)
    results = await uow.commit_batch([new_opinion(1, confirmed), two, new_opinion(4, confirmed)])
    assert results[0] is None
    assert isinstance(results[1], ConcurrencyConflict)
    assert isinstance(results[2], ConcurrencyConflict)
    assert confirmed == [1]
    assert published.ids() == [event_for("m-1").event_id]
    # op-2 was written before the refused op-3: saved, its event waiting in its outbox.
    assert store.collections[OPINIONS]["op-2"]["has_unpublished"] is True
    assert "op-4" not in store.collections[OPINIONS]
    assert await uow.sweep() == 1
    assert published.ids()[-1] == event_for("m-2").event_id
    assert await store.count(OPINIONS, {"has_unpublished": True}) == 0


class RivalBeforeSave(SavedInOrder):
    """Another replica records op-3 after this one decided its batch, before the batch is saved."""

    async def save_batch(self, groups: Sequence[Sequence[Saved]]) -> list[Exception | None]:
        if not self.batches:
            await rival_recorded_op_3(self)
        return await super().save_batch(groups)


async def test_handlers_of_a_chain_hear_recorded_for_what_their_own_attempt_saved() -> None:
    # Before, the whole chain failed when op-3 clashed: op-1 and op-2, saved, were decided again,
    # found, and answered "already received" to the sender whose message recorded them.
    store, published = RivalBeforeSave(), Published()
    uow = UnitOfWork(lambda: store, published, {OPINIONS}, batch_size=16)

    def handler(n: int) -> Awaitable[Any]:
        async def decide() -> Outcome[str]:
            if await store.get(OPINIONS, f"op-{n}") is not None:
                return Outcome(reply="already received")
            change = Change(OPINIONS, {"_id": f"op-{n}", "seq": n}, None, [event_for(f"m-{n}")], f"m-{n}")
            return Outcome(changes=[change], reply="recorded", chain=CHAIN)

        return uow.run(decide, f"m-{n}", batched=True)

    replies = await asyncio.gather(*(handler(n) for n in range(1, 6)))
    assert store.batches[0] == 1  # the five decisions: one chain, one group
    assert replies == ["recorded", "recorded", "already received", "recorded", "recorded"]
    assert sorted(published.ids()) == sorted(event_for(f"m-{n}").event_id for n in (1, 2, 4, 5))
