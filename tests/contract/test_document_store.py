"""One contract suite for every adapter of the storage port.

It runs on real SQLite (a file in a temp dir), on the hand-written fake of the unit tests, on the
MongoDB adapter against SecantusDB, a MongoDB-compatible server (``tests/mongo_server.py``; the tests
skip when ``scripts/install-mongo-test-server.sh`` could not install it), and against a real MongoDB
whenever ``MONGODB_URL`` is set (the hosted workflow, the compose stack, a developer's laptop).
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from shared.storage import ConcurrencyConflict, DocumentStore, DuplicateKey, Index
from tests.fakes import InMemoryStore

pytestmark = pytest.mark.service


async def test_an_inserted_document_reads_back_equal(store: DocumentStore) -> None:
    doc = {"_id": "a", "version": 1, "kind": "x", "nested": {"n": 1}, "text": "Đồng Du"}
    await store.insert("things", doc)
    assert await store.get("things", "a") == doc
    assert await store.get("things", "missing") is None


async def test_inserting_the_same_id_twice_is_refused(store: DocumentStore) -> None:
    await store.insert("things", {"_id": "a", "version": 1})
    with pytest.raises(DuplicateKey):
        await store.insert("things", {"_id": "a", "version": 1})


async def test_save_is_optimistic_by_version(store: DocumentStore) -> None:
    await store.save("things", {"_id": "a", "version": 1, "n": 1})
    await store.save("things", {"_id": "a", "version": 2, "n": 2})
    with pytest.raises(ConcurrencyConflict):
        await store.save("things", {"_id": "a", "version": 2, "n": 3})
    with pytest.raises(ConcurrencyConflict):
        await store.save("things", {"_id": "a", "version": 1, "n": 4})
    got = await store.get("things", "a")
    assert got is not None
    assert got["n"] == 2


async def test_a_unique_sparse_index_refuses_clashes_and_ignores_documents_without_its_fields(
    store: DocumentStore,
) -> None:
    await store.ensure_indexes("ranked", [Index(("group", "rank"), unique=True, sparse=True)])
    for doc in (
        {"_id": "a", "version": 1},
        {"_id": "b", "version": 1},  # neither field: not indexed, so no clash with "a"
        {"_id": "c", "version": 1, "group": "g"},
        {"_id": "d", "version": 1, "group": "g"},  # one field only: not indexed either
        {"_id": "e", "version": 1, "group": "g", "rank": 1},
        {"_id": "f", "version": 1, "group": "h", "rank": 1},
    ):
        await store.insert("ranked", doc)
    with pytest.raises(DuplicateKey):
        await store.insert("ranked", {"_id": "x", "version": 1, "group": "g", "rank": 1})
    assert await store.get("ranked", "x") is None
    await store.save("ranked", {"_id": "e", "version": 2, "group": "g", "rank": 1, "n": 2})  # itself
    with pytest.raises(DuplicateKey):
        await store.save("ranked", {"_id": "f", "version": 2, "group": "g", "rank": 1})
    f = await store.get("ranked", "f")
    assert f is not None
    assert (f["version"], f["group"]) == (1, "h")


async def test_find_filters_sorts_and_limits(store: DocumentStore) -> None:
    for i in range(6):
        await store.insert(
            "things",
            {"_id": f"t{i}", "version": 1, "kind": "even" if i % 2 == 0 else "odd", "n": i, "meta": {"d": i}},
        )
    evens = await store.find("things", {"kind": "even"}, order_by="n", descending=True)
    assert [d["_id"] for d in evens] == ["t4", "t2", "t0"]
    assert [d["_id"] for d in await store.find("things", {"n": {"$gte": 2, "$lt": 4}}, order_by="n")] == [
        "t2",
        "t3",
    ]
    assert [d["_id"] for d in await store.find("things", {"meta.d": {"$in": [1, 5]}}, order_by="n")] == [
        "t1",
        "t5",
    ]
    assert len(await store.find("things", order_by="n", limit=2)) == 2
    assert await store.count("things", {"kind": "odd"}) == 3
    assert await store.count("things", {"kind": {"$ne": "odd"}}) == 3


async def test_not_in_leaves_out_the_listed_values_and_keeps_missing_and_null_ones(
    store: DocumentStore,
) -> None:
    await store.insert("things", {"_id": "a", "version": 1, "agency": "so-xd", "n": 1})
    await store.insert("things", {"_id": "b", "version": 1, "agency": "so-gtvt", "n": 2})
    await store.insert("things", {"_id": "c", "version": 1, "agency": None, "n": 3})
    await store.insert("things", {"_id": "d", "version": 1, "n": 4, "meta": {"d": 7}})

    async def ids(where: dict[str, object]) -> list[str]:
        return [d["_id"] for d in await store.find("things", where, order_by="_id")]

    assert await ids({"agency": {"$nin": ["so-gtvt"]}}) == ["a", "c", "d"]
    assert await ids({"agency": {"$nin": ["so-gtvt", "so-xd"]}, "n": {"$lt": 4}}) == ["c"]
    assert await ids({"agency": {"$nin": ["so-gtvt", None]}}) == ["a"]
    assert await ids({"agency": {"$nin": [None]}}) == ["a", "b"]
    assert await ids({"agency": {"$nin": []}}) == ["a", "b", "c", "d"]
    assert await ids({"meta.d": {"$nin": [7]}}) == ["a", "b", "c"]
    assert await store.count("things", {"agency": {"$nin": ["so-xd"]}}) == 3


async def test_missing_and_null_fields_are_found_with_exists_and_none(store: DocumentStore) -> None:
    await store.insert("things", {"_id": "a", "version": 1, "sent": None})
    await store.insert("things", {"_id": "b", "version": 1, "sent": "2026-11-27"})
    await store.insert("things", {"_id": "c", "version": 1})
    unsent = await store.find("things", {"sent": None}, order_by="_id")
    assert [d["_id"] for d in unsent] == ["a", "c"]
    sent = await store.find("things", {"sent": {"$exists": True, "$ne": None}})
    assert [d["_id"] for d in sent] == ["b"]


async def test_booleans_compare_as_booleans(store: DocumentStore) -> None:
    await store.insert("things", {"_id": "a", "version": 1, "flag": True})
    await store.insert("things", {"_id": "b", "version": 1, "flag": False})
    assert [d["_id"] for d in await store.find("things", {"flag": True})] == ["a"]


async def test_update_where_claims_only_once(store: DocumentStore) -> None:
    await store.insert("things", {"_id": "a", "version": 1, "claimed_by": None})
    first = await store.update_where("things", "a", {"claimed_by": None}, {"claimed_by": "replica-1"})
    second = await store.update_where("things", "a", {"claimed_by": None}, {"claimed_by": "replica-2"})
    assert (first, second) == (True, False)
    got = await store.get("things", "a")
    assert got is not None
    assert got["claimed_by"] == "replica-1"


async def test_unsupported_operators_are_refused(store: DocumentStore) -> None:
    with pytest.raises(ValueError, match="unsupported"):
        await store.find("things", {"n": {"$regex": "x"}})


async def test_ping_succeeds_on_a_reachable_store(store: DocumentStore) -> None:
    await store.ping()


async def insert_all(store: DocumentStore, collection: str, *docs: dict[str, object]) -> None:
    for doc in docs:
        await store.insert(collection, {"version": 1, **doc})


async def test_a_unique_sparse_index_leaves_out_explicit_nulls_as_well_as_missing_fields(
    store: DocumentStore,
) -> None:
    # MongoDB's partial index on {$exists: true} would index the nulls, and the second null clash.
    await store.ensure_indexes("codes", [Index(("code",), unique=True, sparse=True)])
    await insert_all(store, "codes", {"_id": "a"}, {"_id": "b"}, {"_id": "c", "code": None},
                     {"_id": "d", "code": None}, {"_id": "e", "code": "DD-1"})  # fmt: skip
    with pytest.raises(DuplicateKey):
        await store.insert("codes", {"_id": "f", "version": 1, "code": "DD-1"})
    assert await store.count("codes") == 5


async def test_a_unique_index_that_is_not_sparse_indexes_a_missing_field_as_null(
    store: DocumentStore,
) -> None:
    await store.ensure_indexes("codes", [Index(("code",), unique=True)])
    await insert_all(store, "codes", {"_id": "a"}, {"_id": "b", "code": "DD-1"})
    for clash in ({"_id": "c"}, {"_id": "d", "code": None}, {"_id": "e", "code": "DD-1"}):
        with pytest.raises(DuplicateKey):
            await store.insert("codes", {"version": 1, **clash})
    assert sorted(d["_id"] for d in await store.find("codes")) == ["a", "b"]


async def test_a_compound_unique_index_that_is_not_sparse_counts_a_missing_field_as_null(
    store: DocumentStore,
) -> None:
    await store.ensure_indexes("ranked", [Index(("group", "rank"), unique=True)])
    await insert_all(store, "ranked", {"_id": "a", "group": "g"}, {"_id": "b", "group": "h"},
                     {"_id": "c", "group": "g", "rank": 1}, {"_id": "d", "rank": 1})  # fmt: skip
    for clash in (
        {"_id": "x", "group": "g"},
        {"_id": "y", "group": "g", "rank": None},
        {"_id": "z", "rank": 1},
    ):
        with pytest.raises(DuplicateKey):
            await store.insert("ranked", {"version": 1, **clash})
    assert await store.count("ranked") == 4


async def test_an_index_whose_definition_changed_is_replaced(
    store: DocumentStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    await store.ensure_indexes("codes", [Index(("code",))])
    await insert_all(store, "codes", {"_id": "a", "code": "DD-1"}, {"_id": "b"})

    await store.ensure_indexes("codes", [Index(("code",), unique=True, sparse=True)])
    with pytest.raises(DuplicateKey):
        await store.insert("codes", {"_id": "c", "version": 1, "code": "DD-1"})
    await store.insert("codes", {"_id": "d", "version": 1})  # sparse: "b" and "d" both lack the code

    await store.save("codes", {"_id": "d", "version": 2, "code": "DD-4"})
    await store.ensure_indexes("codes", [Index(("code",), unique=True)])
    with pytest.raises(DuplicateKey):  # not sparse any more: a second missing code clashes with "b"
        await store.insert("codes", {"_id": "e", "version": 1})

    await store.ensure_indexes("codes", [Index(("code",))])
    await insert_all(store, "codes", {"_id": "f", "code": "DD-1"}, {"_id": "g"})
    assert await store.count("codes") == 5  # a, b, d (its code given), f and g
    if not isinstance(store, InMemoryStore):
        assert any("replacing" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


async def test_ensuring_the_same_indexes_again_replaces_nothing(
    store: DocumentStore, caplog: pytest.LogCaptureFixture
) -> None:
    indexes = [Index(("code",), unique=True), Index(("group", "rank"), unique=True, sparse=True),
               Index(("kind",), sparse=True)]  # fmt: skip
    await store.ensure_indexes("codes", indexes)
    await store.insert("codes", {"_id": "a", "version": 1, "code": "DD-1"})
    caplog.set_level(logging.WARNING)
    await store.ensure_indexes("codes", indexes)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    with pytest.raises(DuplicateKey):
        await store.insert("codes", {"_id": "b", "version": 1, "code": "DD-1"})


async def test_update_where_reports_a_match_whose_changes_equal_the_current_values(
    store: DocumentStore,
) -> None:
    await store.insert("things", {"_id": "a", "version": 1, "state": "sending", "n": 1})
    # MongoDB's modified_count is 0 for a $set that changes nothing; the document did match.
    assert await store.update_where("things", "a", {"state": "sending"}, {"state": "sending", "n": 1}) is True
    assert await store.update_where("things", "a", {"state": "sent"}, {"n": 1}) is False


async def test_exists_means_present_and_not_null(store: DocumentStore) -> None:
    # MongoDB's own $exists: true also matches an explicit null; SQLite's json_extract cannot tell
    # a null from a missing field, so the port means "present and not null" on every adapter.
    await insert_all(
        store, "things", {"_id": "a", "sent": None}, {"_id": "b", "sent": "2026-11-27"}, {"_id": "c"}
    )
    assert [d["_id"] for d in await store.find("things", {"sent": {"$exists": True}})] == ["b"]
    assert [d["_id"] for d in await store.find("things", {"sent": {"$exists": False}}, order_by="_id")] == [
        "a",
        "c",
    ]
    assert await store.count("things", {"sent": {"$exists": True, "$ne": "2026-11-27"}}) == 0
    assert await store.update_where("things", "a", {"sent": {"$exists": True}}, {"sent": "x"}) is False
    assert await store.update_where("things", "b", {"sent": {"$exists": True}}, {"sent": "y"}) is True


async def test_a_cancelled_operation_is_never_reported_as_done(store: DocumentStore) -> None:
    # A stopping service cancels its sweeps; a cancellation lost inside a store call (Python 3.11's
    # asyncio.wait_for in PyMongo's pool) let a sweep loop run on and the stop wait forever. The
    # cancellation lands at a different step of the call each round, the last rounds after it ends.
    await insert_all(store, "things", *({"_id": f"t{i}", "n": i} for i in range(20)))
    lost = []
    for round_ in range(400):
        call = asyncio.create_task(store.count("things", {"n": {"$gte": 3}}))
        for _ in range(round_ % 40):
            await asyncio.sleep(0)
        requested = call.cancel()
        try:
            await call
        except asyncio.CancelledError:
            continue
        if requested:
            lost.append(round_)
    assert lost == []
