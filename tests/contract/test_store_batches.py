"""The batch methods of the storage port, on every adapter: each group saved or refused on its own.

``save_batch`` is how the unit of work commits a fetched batch's outcomes; its answer must say, per
group, exactly what ``save`` would have raised, so that only that group's message is handled again,
and for a group of several documents (a chain of outcomes) how many of them stay saved before the
refused one (``SaveRefused.written``), so that the outcomes they belong to are committed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import pytest

from shared.contracts.base import Event
from shared.storage import ConcurrencyConflict, DocumentStore, DuplicateKey, Index
from shared.storage.port import Update
from shared.unit_of_work import Change, Outcome, UnitOfWork
from tests.fakes import event_for

pytestmark = pytest.mark.service


def saves_in_order(request: pytest.FixtureRequest) -> bool:
    """MongoDB saves a group without a transaction, in order, stopping at its refused document: the
    documents before it stay saved. SQLite and the fake save a group all or none."""
    return request.node.callspec.params["store"] in ("secantusdb", "mongodb")


async def test_a_batch_saves_every_group_and_answers_none_for_each(store: DocumentStore) -> None:
    await store.save("things", {"_id": "old", "version": 1, "n": 1})
    results = await store.save_batch(
        [
            [("things", {"_id": "new", "version": 1, "n": 1})],
            [("things", {"_id": "old", "version": 2, "n": 2})],
            [("others", {"_id": "elsewhere", "version": 1})],
        ]
    )
    assert results == [None, None, None]
    assert (await store.get("things", "new") or {})["n"] == 1
    assert (await store.get("things", "old") or {})["n"] == 2
    assert await store.get("others", "elsewhere") == {"_id": "elsewhere", "version": 1}


async def test_a_stale_version_in_a_batch_is_a_conflict_of_its_group_alone(store: DocumentStore) -> None:
    await store.save("things", {"_id": "a", "version": 1, "n": 1})
    await store.save("things", {"_id": "a", "version": 2, "n": 2})
    results = await store.save_batch(
        [
            [("things", {"_id": "b", "version": 1})],
            [("things", {"_id": "a", "version": 2, "n": 99})],  # decided on version 1: stale
            [("things", {"_id": "a", "version": 1, "n": 98})],  # a first version of an existing id
            [("things", {"_id": "c", "version": 1})],
        ]
    )
    assert results[0] is None
    assert results[3] is None
    assert isinstance(results[1], ConcurrencyConflict)
    assert isinstance(results[2], ConcurrencyConflict)
    assert (await store.get("things", "a") or {})["n"] == 2
    assert await store.get("things", "b") is not None
    assert await store.get("things", "c") is not None


async def test_two_groups_saving_the_same_version_of_one_document_keep_the_first(
    store: DocumentStore,
) -> None:
    await store.save("things", {"_id": "a", "version": 1, "n": 1})
    results = await store.save_batch(
        [
            [("things", {"_id": "a", "version": 2, "n": 2})],
            [("things", {"_id": "a", "version": 2, "n": 3})],
            [("things", {"_id": "x", "version": 1})],
            [("things", {"_id": "x", "version": 1, "again": True})],
        ]
    )
    assert results[0] is None
    assert results[2] is None
    assert isinstance(results[1], ConcurrencyConflict)
    assert isinstance(results[3], ConcurrencyConflict)
    assert (await store.get("things", "a") or {})["n"] == 2
    assert "again" not in (await store.get("things", "x") or {})


async def test_a_unique_index_clash_in_a_batch_is_a_duplicate_of_its_group_alone(
    store: DocumentStore,
) -> None:
    await store.ensure_indexes("codes", [Index(("code",), unique=True, sparse=True)])
    await store.save("codes", {"_id": "a", "version": 1, "code": "A"})
    await store.save("codes", {"_id": "b", "version": 1, "code": "B"})
    results = await store.save_batch(
        [
            [("codes", {"_id": "b", "version": 2, "code": "A"})],  # an update taking a's code
            [("codes", {"_id": "c", "version": 1, "code": "A"})],  # an insert taking it: a conflict
            [("codes", {"_id": "d", "version": 1, "code": "D"})],
        ]
    )
    assert isinstance(results[0], DuplicateKey)
    assert isinstance(results[1], ConcurrencyConflict)  # as ``save`` answers a first version's clash
    assert results[2] is None
    assert (await store.get("codes", "b") or {})["code"] == "B"
    assert await store.get("codes", "c") is None


async def test_a_group_that_fails_leaves_none_of_its_documents_changed_on_sqlite_and_the_fake(
    store: DocumentStore, request: pytest.FixtureRequest
) -> None:
    if saves_in_order(request):
        pytest.skip("MongoDB without transactions keeps a group's documents before the refused one")
    await store.save("things", {"_id": "a", "version": 1, "n": 1})
    results = await store.save_batch(
        [
            [("things", {"_id": "b", "version": 1}), ("things", {"_id": "a", "version": 5})],
            [("things", {"_id": "c", "version": 1})],
        ]
    )
    assert isinstance(results[0], ConcurrencyConflict)
    assert results[0].written == 0
    assert results[1] is None
    assert await store.get("things", "b") is None
    assert await store.get("things", "c") is not None


async def test_a_group_stops_at_its_refused_document_and_says_how_many_before_it_stay_saved(
    store: DocumentStore, request: pytest.FixtureRequest
) -> None:
    # Five opinions of one conference numbered 1 to 5, while another replica recorded number 3.
    await store.ensure_indexes("numbered", [Index(("conference", "seq"), unique=True)])
    await store.save("numbered", {"_id": "rival", "version": 1, "conference": "c", "seq": 3})
    chain = [("numbered", {"_id": f"o{n}", "version": 1, "conference": "c", "seq": n}) for n in range(1, 6)]
    refused, alone = await store.save_batch(
        [chain, [("numbered", {"_id": "d1", "version": 1, "conference": "d", "seq": 1})]]
    )
    assert isinstance(refused, ConcurrencyConflict)  # an insert's clash, as ``save`` answers it
    assert alone is None
    saved = sorted(doc["_id"] for doc in await store.find("numbered", {"conference": "c"}))
    if saves_in_order(request):
        assert refused.written == 2
        assert saved == ["o1", "o2", "rival"]  # none after the refused one
    else:
        assert refused.written == 0
        assert saved == ["rival"]
    assert await store.get("numbered", "d1") is not None


async def test_a_group_across_collections_is_saved_in_its_order(
    store: DocumentStore, request: pytest.FixtureRequest
) -> None:
    await store.save("others", {"_id": "taken", "version": 1})
    await store.save("things", {"_id": "b", "version": 1, "n": 1})
    [refused] = await store.save_batch(
        [
            [
                ("things", {"_id": "a", "version": 1}),
                ("things", {"_id": "b", "version": 2, "n": 2}),
                ("others", {"_id": "taken", "version": 1, "again": True}),  # a first version that exists
                ("things", {"_id": "c", "version": 1}),
            ]
        ]
    )
    assert isinstance(refused, ConcurrencyConflict)
    in_order = saves_in_order(request)
    assert refused.written == (2 if in_order else 0)
    assert (await store.get("things", "a") is not None) is in_order
    assert (await store.get("things", "b") or {})["n"] == (2 if in_order else 1)
    assert "again" not in (await store.get("others", "taken") or {})
    assert await store.get("things", "c") is None


async def test_a_chain_whose_third_of_five_documents_clashes_commits_what_was_written_before_it(
    store: DocumentStore, request: pytest.FixtureRequest
) -> None:
    await store.ensure_indexes("numbered", [Index(("conference", "seq"), unique=True)])
    await store.save("numbered", {"_id": "rival", "version": 1, "conference": "c", "seq": 3})
    published: list[Event] = []

    async def publish(events: Sequence[Event]) -> None:
        published.extend(events)

    confirmed: list[int] = []
    outcomes = [
        Outcome(
            changes=[
                Change(
                    "numbered",
                    {"_id": f"o{n}", "conference": "c", "seq": n},
                    None,
                    [event_for(f"m{n}")],
                    f"m{n}",
                )
            ],
            reply=n,
            after_commit=functools.partial(confirmed.append, n),
            chain="conference:c",
        )
        for n in range(1, 6)
    ]
    results = await UnitOfWork(lambda: store, publish, batch_size=16).commit_batch(outcomes)
    committed = 2 if saves_in_order(request) else 0
    assert [r is None for r in results] == [n <= committed for n in range(1, 6)]
    assert all(isinstance(r, ConcurrencyConflict) for r in results[committed:])
    assert [e.event_id for e in published] == [event_for(f"m{n}").event_id for n in range(1, committed + 1)]
    assert confirmed == list(range(1, committed + 1))
    saved = sorted(doc["_id"] for doc in await store.find("numbered", {"conference": "c"}))
    assert saved == sorted(["rival", *(f"o{n}" for n in range(1, committed + 1))])
    assert await store.count("numbered", {"has_unpublished": True}) == 0  # their outboxes cleared


async def test_update_batch_applies_each_update_that_matches(store: DocumentStore) -> None:
    await store.save("things", {"_id": "a", "version": 1, "flag": True})
    await store.save("things", {"_id": "b", "version": 1, "flag": True})
    await store.insert("others", {"_id": "c", "version": 3, "flag": True})
    await store.update_batch(
        [
            Update("things", "a", {"version": 1}, {"flag": False}),
            Update("things", "b", {"version": 7}, {"flag": False}),  # a newer version: left alone
            Update("others", "c", {"version": 3}, {"flag": False, "list": []}),
        ]
    )
    assert (await store.get("things", "a") or {})["flag"] is False
    assert (await store.get("things", "b") or {})["flag"] is True
    assert await store.get("others", "c") == {"_id": "c", "version": 3, "flag": False, "list": []}
