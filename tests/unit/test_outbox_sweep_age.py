"""The outbox sweep leaves fresh events to the unit of work still publishing them.

``outbox.stage`` stamps when a document's unpublished events were staged (``unpublished_at``); the
sweep (``UnitOfWork.sweep``) skips those younger than ``sweep_min_age``. Time is a clock the test
moves, not a sleep.
"""

from __future__ import annotations

import pytest

from shared import outbox
from shared.errors import TransientError
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.unit_of_work import Change, Outcome, UnitOfWork
from tests.fakes import InMemoryStore, event_for
from tests.unit.test_unit_of_work_batch import Published

pytestmark = pytest.mark.unit

COUNTERS = "counters"
T0 = 1_800_000_000.0  # epoch seconds


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def world(min_age: float = 3.0) -> tuple[InMemoryStore, Published, Clock, UnitOfWork]:
    store, published, clock = InMemoryStore(), Published(), Clock()
    uow = UnitOfWork(lambda: store, published, {COUNTERS}, sweep_min_age=min_age, clock=clock)
    return store, published, clock, uow


async def count(store: InMemoryStore, uow: UnitOfWork, cause: str, key: str = "k") -> None:
    """Commit one counted message whose publish the caller may make fail."""
    stored = await store.get(COUNTERS, key)
    doc = {"_id": key, "count": (stored or {}).get("count", 0) + 1}
    await uow.commit([Outcome(changes=[Change(COUNTERS, doc, stored, [event_for(cause)], cause)])])


def unstamped(doc: dict[str, object]) -> dict[str, object]:
    """``doc`` as a release before stamps saved it."""
    return {k: v for k, v in doc.items() if k != outbox.STAGED_AT}


def test_staging_new_events_stamps_them_and_a_document_without_any_has_no_stamp() -> None:
    staged = outbox.stage({"_id": "a"}, None, "m-1", [event_for("m-1")], now=T0)
    assert staged["unpublished_at"] == T0
    assert outbox.staged_at(staged) == T0
    assert outbox.STAGED_AT not in outbox.stage({"_id": "b"}, None, "m-1", [], now=T0)


def test_events_carried_over_keep_the_stamp_they_came_with() -> None:
    first = outbox.stage({"_id": "a"}, None, "m-1", [event_for("m-1")], now=T0)
    second = outbox.stage({"_id": "a"}, first, "m-2", [event_for("m-2")], now=T0 + 60)
    assert second["unpublished_at"] == T0  # its oldest unpublished event's
    assert len(second["unpublished"]) == 2
    again = outbox.stage({"_id": "a"}, second, None, (), now=T0 + 120)  # nothing new: carried over
    assert again["unpublished_at"] == T0


def test_events_carried_over_from_a_document_staged_before_stamps_stay_unstamped() -> None:
    legacy = unstamped(outbox.stage({"_id": "a"}, None, "m-1", [event_for("m-1")], now=T0))
    staged = outbox.stage({"_id": "a"}, legacy, "m-2", [event_for("m-2")], now=T0 + 60)
    assert outbox.STAGED_AT not in staged  # as old as the oldest event it holds: unknown


def test_clearing_the_outbox_clears_the_stamp_and_new_events_are_stamped_anew() -> None:
    first = outbox.stage({"_id": "a"}, None, "m-1", [event_for("m-1")], now=T0)
    update = outbox.published(COUNTERS, first)
    assert update is not None
    assert update.changes["unpublished_at"] is None
    cleared = {**first, **update.changes}
    assert outbox.staged_at(cleared) is None
    later = outbox.stage({"_id": "a"}, cleared, "m-2", [event_for("m-2")], now=T0 + 60)
    assert later["unpublished_at"] == T0 + 60


async def test_the_sweep_leaves_fresh_unpublished_events_and_publishes_them_once_old() -> None:
    store, published, clock, uow = world(min_age=3.0)
    published.fail_next = 1
    with pytest.raises(TransientError):
        await count(store, uow, "m-1")
    clock.now = T0 + 1  # the unit of work that saved them may still be publishing them
    assert await uow.sweep() == 0
    assert published.events == []
    assert await store.count(COUNTERS, {"has_unpublished": True}) == 1
    clock.now = T0 + 3
    assert await uow.sweep() == 1
    assert published.ids() == [event_for("m-1").event_id]
    assert await store.count(COUNTERS, {"has_unpublished": True}) == 0
    assert await uow.sweep() == 0


async def test_the_sweep_ages_events_from_the_oldest_one_a_newer_version_carried_over() -> None:
    store, published, clock, uow = world(min_age=3.0)
    published.fail_next = 2
    with pytest.raises(TransientError):
        await count(store, uow, "m-1")
    clock.now = T0 + 2
    with pytest.raises(TransientError):
        await count(store, uow, "m-2")
    clock.now = T0 + 3  # the second commit's events are 1 s old, but they wait with the first's
    assert await uow.sweep() == 2
    assert published.ids() == [event_for("m-1").event_id, event_for("m-2").event_id]


async def test_the_sweep_publishes_at_once_what_a_document_saved_before_stamps_holds() -> None:
    store, published, _, uow = world(min_age=3.0)
    legacy = unstamped(outbox.stage({"_id": "k", "count": 1}, None, "m-1", [event_for("m-1")], now=T0))
    await store.save(COUNTERS, legacy)
    assert await uow.sweep() == 1
    assert published.ids() == [event_for("m-1").event_id]


async def test_without_a_minimum_age_the_sweep_publishes_even_fresh_events() -> None:
    store, published, _, uow = world(min_age=0.0)
    published.fail_next = 1
    with pytest.raises(TransientError):
        await count(store, uow, "m-1")
    assert await uow.sweep() == 1


async def test_a_unit_of_work_stamps_with_its_clock() -> None:
    store, published, clock, uow = world()
    clock.now = T0 + 42
    published.fail_next = 1
    with pytest.raises(TransientError):
        await count(store, uow, "m-1")
    assert (await store.get(COUNTERS, "k") or {})["unpublished_at"] == T0 + 42
    await count(store, uow, "m-2")  # published: the outbox and its stamp are cleared
    assert outbox.staged_at(await store.get(COUNTERS, "k") or {}) is None


def test_the_minimum_age_is_a_setting_below_the_sweep_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = ServiceSettings()
    assert 0 < defaults.outbox_sweep_min_age_seconds < defaults.outbox_sweep_seconds
    monkeypatch.setenv("DIALOGUE_OUTBOX_SWEEP_MIN_AGE_SECONDS", "1.5")
    assert ServiceSettings().outbox_sweep_min_age_seconds == 1.5


def test_the_host_sweeps_with_the_minimum_age_of_its_settings() -> None:
    settings = ServiceSettings(service="scheduling", outbox_sweep_min_age_seconds=2.5)
    host = ServiceHost(settings, owned_streams=["SCHEDULING"])
    assert host.uow.sweep_min_age == 2.5
