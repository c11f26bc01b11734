"""The batch methods of the storage port, on every adapter: each group saved or refused on its own.

``save_batch`` is how the unit of work commits a fetched batch's outcomes; its answer must say, per
group, exactly what ``save`` would have raised, so that only that group's message is handled again.
"""

from __future__ import annotations

import pytest

from shared.storage import ConcurrencyConflict, DocumentStore, DuplicateKey, Index
from shared.storage.port import Update

pytestmark = pytest.mark.service


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
    if request.node.callspec.params["store"] not in ("sqlite", "fake"):
        pytest.skip("MongoDB without transactions saves a group of several documents one by one")
    await store.save("things", {"_id": "a", "version": 1, "n": 1})
    results = await store.save_batch(
        [
            [("things", {"_id": "b", "version": 1}), ("things", {"_id": "a", "version": 5})],
            [("things", {"_id": "c", "version": 1})],
        ]
    )
    assert isinstance(results[0], ConcurrencyConflict)
    assert results[1] is None
    assert await store.get("things", "b") is None
    assert await store.get("things", "c") is not None


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
