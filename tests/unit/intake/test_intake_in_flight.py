"""Opinions of one conference decided together and committed in one batch (the topics in flight).

Each test runs intake's handler as the submissions consumer does (``Replica``). What must hold
whatever fails: every recorded opinion was grouped against exactly the opinions of its conference
recorded with lower sequence numbers (``assert_grouped_in_sequence``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from services.intake import domain as d
from shared.errors import TransientError
from shared.storage.port import Doc, Saved
from tests.fakes import InMemoryStore
from tests.unit.intake.in_flight_support import (
    CONTENTS,
    LAND,
    LAND_AGAIN,
    ROAD,
    ROAD_AGAIN,
    SCHOOL,
    Replica,
    recorded,
)
from tests.unit.intake.intake_handler_support import CONFERENCE, assert_grouped_in_sequence

pytestmark = pytest.mark.unit


def by_external_id(docs: Sequence[Doc]) -> dict[str, tuple[int, str]]:
    return {doc["external_id"]: (doc["conference_seq"], doc["topic_group_id"]) for doc in docs}


async def test_a_conference_s_opinions_fetched_together_are_committed_in_one_batch_and_grouped_as_one_by_one() -> (
    None
):
    together = await Replica(InMemoryStore()).start()
    results = await asyncio.gather(
        *(together.submit(f"dd-{n}", content) for n, content in enumerate(CONTENTS))
    )

    assert all(result.accepted and result.new for result in results)
    assert together.commits == [len(CONTENTS)]  # one commit for all of them
    assert together.store.batches == [1]  # saved as one group: the conference's chain
    one_by_one = await Replica(InMemoryStore(), batch_size=1).start()
    for n, content in enumerate(CONTENTS):
        await one_by_one.submit(f"dd-{n}", content)
    assert one_by_one.commits == [1] * len(CONTENTS)
    docs = await recorded(together.store)
    assert by_external_id(docs) == by_external_id(await recorded(one_by_one.store))
    assert_grouped_in_sequence(docs)
    assert len({doc["topic_group_id"] for doc in docs}) == 3  # land, road, school


class RivalFirst(InMemoryStore):
    """The store as another replica races this one: before this replica's next batch is saved, the
    other records ``rival`` (grouped against what it knew), and ``held`` lets a test step in."""

    def __init__(self) -> None:
        super().__init__()
        self.rival: tuple[str, str] | None = None
        self.held: asyncio.Event | None = None
        self.reached = asyncio.Event()

    async def save_batch(self, groups: Sequence[Sequence[Saved]]) -> list[Exception | None]:
        self.reached.set()
        if self.held is not None:
            await self.held.wait()
            self.held = None
        if self.rival is not None:
            external_id, content = self.rival
            self.rival = None
            other = await Replica(self).start()
            assert (await other.submit(external_id, content)).accepted
        return await super().save_batch(groups)


async def test_opinions_decided_after_one_whose_commit_failed_are_not_recorded_and_group_again() -> None:
    store = RivalFirst()
    replica = await Replica(store).start()
    # The other replica records a road opinion first (number 1): the batch's first opinion clashes
    # on its number. Numbered per opinion, the two after it (2 and 3) would be recorded, grouped
    # without the rival: the second road opinion in a road topic of its own.
    store.rival = ("dd-rival", ROAD)
    results = await asyncio.gather(
        replica.submit("dd-0", LAND), replica.submit("dd-1", ROAD_AGAIN), replica.submit("dd-2", SCHOOL)
    )

    assert all(result.accepted for result in results)
    docs = await recorded(store)
    assert [doc["external_id"] for doc in docs] == ["dd-rival", "dd-0", "dd-1", "dd-2"]
    assert_grouped_in_sequence(docs)
    rival = docs[0]["_id"]
    assert docs[2]["topic_group_id"] == rival  # the road opinion joined the rival's topic
    assert replica.commits == [3]  # decided again on the fresh topics, and committed together


async def test_an_opinion_waits_for_the_in_flight_ones_of_a_batch_being_committed() -> None:
    store = RivalFirst()
    replica = await Replica(store).start()
    store.held, store.rival = asyncio.Event(), ("dd-rival", LAND)
    first = [
        asyncio.ensure_future(replica.submit("dd-0", ROAD)),
        asyncio.ensure_future(replica.submit("dd-1", LAND)),
    ]
    await store.reached.wait()  # their batch is being saved
    late = asyncio.ensure_future(replica.submit("dd-2", LAND_AGAIN))
    for _ in range(5):
        await asyncio.sleep(0)
    topics = replica.deps.topics.get(CONFERENCE)
    assert topics is not None
    assert set(topics.in_flight) == {d.opinion_id_for("demo-portal", f"dd-{n}") for n in (0, 1)}
    assert not late.done()
    store.held.set()  # the rival is recorded first: the batch fails, every opinion is decided again

    results = [*(await asyncio.gather(*first)), await late]
    assert all(result.accepted for result in results)
    docs = await recorded(store)
    assert docs[0]["external_id"] == "dd-rival"
    assert_grouped_in_sequence(docs)
    land = {doc["external_id"]: doc["topic_group_id"] for doc in docs}
    assert land["dd-1"] == land["dd-2"] == docs[0]["_id"]


async def test_an_opinion_delivered_twice_in_one_batch_is_recorded_once_and_both_hear_its_code() -> None:
    replica = await Replica(InMemoryStore()).start()
    first, again, other = await asyncio.gather(
        replica.submit("dd-0", LAND, key="s:1"),
        replica.submit("dd-0", LAND, key="s:2"),
        replica.submit("dd-1", ROAD, key="s:3"),
    )

    assert first.new
    assert not again.new
    assert other.new
    assert first.opinion is not None
    assert again.opinion is not None
    assert first.opinion.tracking_code == again.opinion.tracking_code
    assert again.events  # answered with the events recorded for it
    docs = await recorded(replica.store)
    assert [doc["external_id"] for doc in docs] == ["dd-0", "dd-1"]
    assert_grouped_in_sequence(docs)


async def test_a_failed_publish_drops_the_conference_topics_and_the_next_opinion_reloads_them() -> None:
    replica = await Replica(InMemoryStore()).start()
    replica.failing_publishes = 1  # the batch is saved, its events stay in the outbox
    results = await asyncio.gather(
        replica.submit("dd-0", LAND), replica.submit("dd-1", ROAD), return_exceptions=True
    )

    assert all(isinstance(result, TransientError) for result in results)
    assert replica.deps.topics.get(CONFERENCE) is None  # nothing claims what was not confirmed
    later = await replica.submit("dd-2", ROAD_AGAIN)
    assert later.new
    docs = await recorded(replica.store)
    assert [doc["external_id"] for doc in docs] == ["dd-0", "dd-1", "dd-2"]
    assert_grouped_in_sequence(docs)
    assert docs[2]["topic_group_id"] == docs[1]["_id"]


async def test_a_cancelled_handler_drops_the_conference_topics() -> None:
    store = RivalFirst()
    replica = await Replica(store).start()
    store.held = asyncio.Event()
    cancelled = asyncio.ensure_future(replica.submit("dd-0", LAND))
    other = asyncio.ensure_future(replica.submit("dd-1", ROAD))
    await store.reached.wait()  # their batch is being saved
    assert replica.deps.topics.get(CONFERENCE) is not None
    cancelled.cancel()  # the service stops: its message comes back to a replica
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert replica.deps.topics.get(CONFERENCE) is None  # its opinion may or may not be recorded
    store.held.set()
    assert (await other).new
    later = await replica.submit("dd-2", ROAD_AGAIN)  # decided against what the store holds
    assert later.new
    assert_grouped_in_sequence(await recorded(store))


async def test_a_desk_opinion_decided_with_a_fetched_batch_is_committed_in_it() -> None:
    replica = await Replica(InMemoryStore()).start()
    results = await asyncio.gather(
        replica.submit("dd-0", LAND), replica.desk("desk-1", LAND_AGAIN), replica.submit("dd-2", ROAD)
    )

    assert all(result.accepted and result.new for result in results)
    assert replica.commits == [3]
    docs = await recorded(replica.store)
    assert_grouped_in_sequence(docs)
    assert docs[1]["topic_group_id"] == docs[0]["_id"]


async def test_without_batching_each_opinion_waits_for_the_one_before_it() -> None:
    replica = await Replica(InMemoryStore(), batch_size=1).start()
    results = await asyncio.gather(*(replica.submit(f"dd-{n}", c) for n, c in enumerate(CONTENTS)))

    assert all(result.new for result in results)
    assert replica.commits == [1] * len(CONTENTS)
    assert_grouped_in_sequence(await recorded(replica.store))
