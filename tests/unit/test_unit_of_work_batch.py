"""The batched unit of work: the outcomes of concurrent handlers committed together, each on its own.

The handlers here are those of a tiny counter: a message ``(cause, key)`` adds one to the counter
``key`` once, whatever the redeliveries (its cause is kept in the document's outbox), and publishes
one event. They run the way a consumer's fetched batch runs them: concurrently, each through
``UnitOfWork.run(..., batched=True)``.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import pytest

from shared import outbox
from shared.contracts.base import Event, derived_id
from shared.errors import TransientError
from shared.unit_of_work import Change, Outcome, UnitOfWork
from tests.fakes import InMemoryStore, event_for

pytestmark = pytest.mark.unit

COUNTERS = "counters"
handled_by: contextvars.ContextVar[str] = contextvars.ContextVar("handled_by", default="nobody")


class Published:
    """The publish port: records what JetStream stored, and in which handler's context."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.contexts: list[str] = []
        self.fail_next = 0

    async def __call__(self, events: Sequence[Event]) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise TransientError("JetStream did not acknowledge in time")
        self.events += events
        self.contexts += [handled_by.get()] * len(events)

    def ids(self) -> list[str]:
        return [e.event_id for e in self.events]


class Counters:
    """The handler of ``(cause, key)`` messages, counting how often each cause was decided."""

    def __init__(self, store: InMemoryStore) -> None:
        self.store = store
        self.decided: dict[str, int] = {}
        self.broken: set[str] = set()

    def handler(self, cause: str, key: str) -> Callable[[], Awaitable[Outcome[None]]]:
        async def decide() -> Outcome[None]:
            handled_by.set(cause)
            self.decided[cause] = self.decided.get(cause, 0) + 1
            if cause in self.broken:
                raise RuntimeError(f"handler bug on {cause}")
            stored = await self.store.get(COUNTERS, key)
            known = outbox.replay(stored, cause)
            if known is not None:  # a redelivery: the same events again, nothing changed
                return Outcome(events=known)
            doc = {"_id": key, "count": (stored or {}).get("count", 0) + 1}
            return Outcome(changes=[Change(COUNTERS, doc, stored, [event_for(cause)], cause)])

        return decide


async def batch(uow: UnitOfWork, counters: Counters, messages: Sequence[tuple[str, str]]) -> list[Any]:
    """Handle ``messages`` as one fetched batch; each message's result or exception."""
    runs = [uow.run(counters.handler(cause, key), cause, batched=True) for cause, key in messages]
    return list(await asyncio.gather(*runs, return_exceptions=True))


def world(batch_size: int = 16) -> tuple[InMemoryStore, Published, UnitOfWork, Counters]:
    store = InMemoryStore()
    published = Published()
    uow = UnitOfWork(lambda: store, published, {COUNTERS}, batch_size=batch_size)
    return store, published, uow, Counters(store)


async def test_a_batch_is_committed_in_one_store_call_and_one_publish() -> None:
    store, published, uow, counters = world()
    results = await batch(uow, counters, [(f"m{i}", f"k{i}") for i in range(5)])

    assert results == [None] * 5
    assert store.batches == [5]
    assert sorted(published.ids()) == sorted(derived_id(f"m{i}", "counted") for i in range(5))
    assert await store.count(COUNTERS, {"has_unpublished": True}) == 0  # every outbox cleared


async def test_a_failing_handler_leaves_its_neighbours_committed_and_is_retried_alone() -> None:
    store, published, uow, counters = world()
    counters.broken.add("m1")
    results = await batch(uow, counters, [("m0", "k0"), ("m1", "k1"), ("m2", "k2")])

    assert results[0] is None
    assert results[2] is None
    assert isinstance(results[1], RuntimeError)  # its own message is nacked by its own middleware
    assert store.batches == [2]
    assert await store.get(COUNTERS, "k1") is None
    assert sorted(published.ids()) == sorted([derived_id("m0", "counted"), derived_id("m2", "counted")])

    counters.broken.clear()  # the redelivery of m1 alone: its neighbours are not redone
    assert await batch(uow, counters, [("m1", "k1")]) == [None]
    assert counters.decided == {"m0": 1, "m1": 2, "m2": 1}
    assert published.ids().count(derived_id("m0", "counted")) == 1
    assert (await store.get(COUNTERS, "k1") or {})["count"] == 1


async def test_a_conflicting_change_reruns_only_its_own_handler() -> None:
    store, published, uow, counters = world()
    # m0 and m1 both decide on the counter k as it is before the batch; m1's save loses.
    results = await batch(uow, counters, [("m0", "k"), ("m1", "k"), ("m2", "other")])

    assert results == [None] * 3
    assert counters.decided == {"m0": 1, "m1": 2, "m2": 1}
    doc = await store.get(COUNTERS, "k")
    assert doc is not None
    assert doc["count"] == 2
    assert doc["version"] == 2
    assert sorted(published.ids()) == sorted(derived_id(c, "counted") for c in ("m0", "m1", "m2"))


async def test_a_message_delivered_twice_in_one_batch_changes_nothing_twice() -> None:
    store, published, uow, counters = world()
    results = await batch(uow, counters, [("m0", "k"), ("m0", "k"), ("m1", "other")])

    assert results == [None] * 3
    doc = await store.get(COUNTERS, "k")
    assert doc is not None
    assert doc["count"] == 1
    assert doc["version"] == 1
    # The copy that lost re-ran, found its cause in the outbox and re-published the same id, which
    # JetStream drops inside its duplicate window.
    assert set(published.ids()) == {derived_id("m0", "counted"), derived_id("m1", "counted")}

    assert await batch(uow, counters, [("m0", "k")]) == [None]  # redelivered later: still once
    assert (await store.get(COUNTERS, "k") or {})["count"] == 1


async def test_a_store_that_cannot_be_reached_fails_every_message_of_the_batch_and_saves_nothing() -> None:
    store, published, uow, counters = world()
    store.fail_next_batch = 1
    results = await batch(uow, counters, [("m0", "k0"), ("m1", "k1")])

    assert all(isinstance(r, TransientError) for r in results)
    assert store.collections.get(COUNTERS, {}) == {}
    assert published.events == []
    assert await batch(uow, counters, [("m0", "k0"), ("m1", "k1")]) == [None, None]  # redelivered


async def test_a_publish_that_fails_keeps_the_batch_in_the_outbox_for_the_redelivery() -> None:
    store, published, uow, counters = world()
    published.fail_next = 1
    results = await batch(uow, counters, [("m0", "k0"), ("m1", "k1")])

    assert all(isinstance(r, TransientError) for r in results)  # saved, not confirmed: not acked
    assert await store.count(COUNTERS, {"has_unpublished": True}) == 2
    assert await batch(uow, counters, [("m0", "k0"), ("m1", "k1")]) == [None, None]
    assert sorted(published.ids()) == sorted([derived_id("m0", "counted"), derived_id("m1", "counted")])
    assert (await store.get(COUNTERS, "k0") or {})["count"] == 1
    assert await uow.sweep() == 2  # the outbox still held them: the sweep re-publishes the same ids


async def test_events_are_published_in_their_own_handlers_context_when_asked() -> None:
    store, published, uow, counters = world()
    uow.publish_in_context = True  # tracing: each event's span is a child of its own message's
    await batch(uow, counters, [("m0", "k0"), ("m1", "k1")])

    assert store.batches == [2]
    assert dict(zip(published.ids(), published.contexts, strict=True)) == {
        derived_id("m0", "counted"): "m0",
        derived_id("m1", "counted"): "m1",
    }


async def test_a_batch_holds_at_most_batch_size_outcomes() -> None:
    store, _, uow, counters = world(batch_size=2)
    assert await batch(uow, counters, [(f"m{i}", f"k{i}") for i in range(5)]) == [None] * 5
    assert store.batches == [2, 2]  # and the fifth on its own, saved as one message always was


async def test_with_batching_off_each_outcome_is_committed_on_its_own() -> None:
    store, published, uow, counters = world(batch_size=1)
    assert await batch(uow, counters, [("m0", "k"), ("m1", "k")]) == [None, None]
    assert store.batches == []
    assert (await store.get(COUNTERS, "k") or {})["count"] == 2
    assert len(published.events) == 2


async def test_each_commit_reports_how_many_outcomes_it_confirmed() -> None:
    _, published, uow, counters = world()
    sizes: list[int] = []
    uow.observe_batch = sizes.append
    counters.broken.add("m1")
    await batch(uow, counters, [("m0", "k0"), ("m1", "k1"), ("m2", "k2"), ("m3", "k3")])
    counters.broken.clear()
    await batch(uow, counters, [("m1", "k1")])
    published.fail_next = 1
    await batch(uow, counters, [("m4", "k4")])  # saved, not confirmed: not a committed batch

    assert sizes == [3, 1]
