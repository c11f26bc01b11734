"""Intake's chains on a store that saves a group in order without a transaction, as MongoDB does:
whatever races and fails, the opinions written before a refused one are committed, and each opinion
recorded is still grouped against exactly the ones numbered before it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.storage.port import Saved
from tests.unit.intake.in_flight_support import CONTENTS, Replica, recorded
from tests.unit.intake.intake_handler_support import assert_grouped_in_sequence
from tests.unit.intake.test_intake_in_flight_property import RIVALS, Racing, races_and_fails
from tests.unit.test_unit_of_work_chains import SavedInOrder

pytestmark = pytest.mark.unit


class RacingInOrder(Racing, SavedInOrder):
    """Another replica records opinions before the n-th save (``Racing``); the groups are then saved
    in order, the documents before a refused one staying saved (``SavedInOrder``)."""


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(CONTENTS), min_size=2, max_size=20), RIVALS, st.integers(0, 2))
def test_saved_in_order_every_opinion_is_grouped_after_those_numbered_before_it(
    contents: list[str], rivals: dict[int, list[str]], failing_publishes: int
) -> None:
    asyncio.run(races_and_fails(RacingInOrder(rivals), contents, failing_publishes))


class CodeTakenMeanwhile(SavedInOrder):
    """Before the first chain of three or more opinions is saved, an opinion of another conference
    takes the tracking code of its third: that one's insert is refused in the middle of the chain."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[int] = []  # the size of each group saved

    async def save_batch(self, groups: Sequence[Sequence[Saved]]) -> list[Exception | None]:
        chain = next((group for group in groups if len(group) >= 3), None)
        if chain is not None and not self.groups:
            collection, third = chain[2]
            elsewhere = {"conference_id": "c-elsewhere", "conference_seq": 1, "external_id": "elsewhere"}
            await self.save(collection, {**third, "_id": "op-elsewhere", **elsewhere})
        self.groups += [len(group) for group in groups]
        return await super().save_batch(groups)


async def test_opinions_of_a_chain_written_before_a_refused_one_answer_as_newly_recorded() -> None:
    # Before, the whole chain failed: dd-0 and dd-1, saved, were decided again, found, and
    # answered as duplicates to the sender whose message had just recorded them.
    store = CodeTakenMeanwhile()
    replica = await Replica(store).start()
    results = await asyncio.gather(*(replica.submit(f"dd-{n}", c) for n, c in enumerate(CONTENTS[:5])))
    assert store.groups[0] == 5  # one chain: dd-2 refused on its tracking code
    assert replica.commits[0] == 2  # dd-0 and dd-1 committed with it, the others decided again
    assert all(r.accepted for r in results)
    assert [r.new for r in results] == [True] * 5
    docs = await recorded(store)
    assert [doc["external_id"] for doc in docs] == [f"dd-{n}" for n in range(5)]
    assert_grouped_in_sequence(docs)
