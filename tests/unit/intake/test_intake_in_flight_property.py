"""Whatever races and fails around a batch of one conference's opinions, each opinion recorded is
grouped against exactly the ones numbered before it (hypothesis over the hand-written fake)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.errors import TransientError
from shared.storage.port import Saved
from tests.fakes import InMemoryStore
from tests.unit.intake.in_flight_support import CONTENTS, Replica, recorded
from tests.unit.intake.intake_handler_support import assert_grouped_in_sequence

pytestmark = pytest.mark.unit


class Racing(InMemoryStore):
    """Before the n-th save of a batch, another replica records the opinions ``rivals[n]`` holds."""

    def __init__(self, rivals: dict[int, list[str]]) -> None:
        super().__init__()
        self.rivals = rivals
        self.saves = 0
        self.sent = 0

    async def save_batch(self, groups: Sequence[Sequence[Saved]]) -> list[Exception | None]:
        self.saves += 1
        for content in self.rivals.pop(self.saves, []):
            self.sent += 1
            other = await Replica(self).start()
            assert (await other.submit(f"rival-{self.sent}", content)).accepted
        return await super().save_batch(groups)


async def races_and_fails(store: Racing, contents: list[str], failing_publishes: int) -> None:
    """Send ``contents`` through one replica on ``store`` (rival replicas recording meanwhile,
    ``failing_publishes`` publishes failing): every opinion is accepted once and grouped in order."""
    replica = await Replica(store).start()
    replica.failing_publishes = failing_publishes
    sent = [replica.submit(f"dd-{n}", content) for n, content in enumerate(contents)]
    await asyncio.gather(*sent, return_exceptions=True)  # a failed publish: redelivered later
    for n, content in enumerate(contents):  # the redeliveries, and the messages acked already
        for _ in range(failing_publishes + 1):
            with contextlib.suppress(TransientError):
                assert (await replica.submit(f"dd-{n}", content)).accepted
                break
        else:
            raise AssertionError(f"dd-{n} was never accepted")
    docs = await recorded(store)
    assert sorted(doc["external_id"] for doc in docs if doc["external_id"].startswith("dd-")) == sorted(
        f"dd-{n}" for n in range(len(contents))
    )
    assert_grouped_in_sequence(docs)


RIVALS = st.dictionaries(st.integers(1, 4), st.lists(st.sampled_from(CONTENTS), min_size=1, max_size=3))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(CONTENTS), min_size=2, max_size=20), RIVALS, st.integers(0, 2))
def test_whatever_races_and_fails_every_opinion_is_grouped_after_those_numbered_before_it(
    contents: list[str], rivals: dict[int, list[str]], failing_publishes: int
) -> None:
    asyncio.run(races_and_fails(Racing(rivals), contents, failing_publishes))
