"""Every store query of the citizens' listings and Open311 has an index declared for its filter and sort."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.portal.adapters import listings, open311_reads
from services.portal.adapters.repository import CONFERENCES, OPINIONS, ensure_indexes
from services.portal.deps import Deps
from services.portal.domain.answers import Search
from services.portal.domain.open311 import RequestQuery
from shared.storage.port import Doc, Filter
from tests.fakes import InMemoryStore

pytestmark = pytest.mark.unit


class RecordingStore(InMemoryStore):
    """The in-memory store, remembering each ``find``: collection, filter and sort."""

    def __init__(self) -> None:
        super().__init__()
        self.finds: list[tuple[str, dict[str, Any], str | None]] = []

    async def find(
        self,
        collection: str,
        where: Filter | None = None,
        *,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[Doc]:
        self.finds.append((collection, dict(where or {}), order_by))
        return await super().find(collection, where, order_by=order_by, descending=descending, limit=limit)


def served(store: RecordingStore, collection: str, where: dict[str, Any], order_by: str | None) -> bool:
    """An index whose leading fields are the query's equality (or ``$in``) fields and then its sort."""
    equal = {k for k, v in where.items() if not isinstance(v, dict) or set(v) == {"$in"}}
    for index in store.indexes.get(collection, []):
        *lead, last = index.fields
        if set(lead) == equal and last == order_by:
            return True
    return False


@pytest.mark.parametrize(
    ("search", "keys"),
    [
        (Search(), {"published"}),
        (Search(field="transport"), {"published", "field"}),
        (Search(unit="xa-binh-luc"), {"published", "unit_code"}),
        (Search(field="transport", unit="xa-binh-luc", page=2), {"published", "field", "unit_code"}),
    ],
)
async def test_the_answers_search_sorts_on_publication_over_an_index_of_its_filter(
    search: Search, keys: set[str]
) -> None:
    store = RecordingStore()
    await ensure_indexes(store)
    await listings.published(Deps(store=store), search)
    collection, where, order_by = store.finds[0]  # then the count, over the same filter
    assert (collection, set(where), order_by) == (OPINIONS, keys, "published_at")
    # Field and unit together: the field's index, the unit checked on what it finds.
    narrowed = {k: v for k, v in where.items() if k != "unit_code"} if len(keys) == 3 else where
    assert served(store, collection, narrowed, order_by)


async def test_the_conference_calendar_reads_public_states_by_start_over_an_index() -> None:
    store = RecordingStore()
    await ensure_indexes(store)
    await listings.snapshots(Deps(store=store))
    [(collection, where, order_by)] = store.finds
    assert (collection, order_by) == (CONFERENCES, "starts_at")
    assert served(store, collection, where, order_by)


async def test_open311_s_service_code_filter_reads_by_field_over_an_index() -> None:
    store = RecordingStore()
    await ensure_indexes(store)
    query = RequestQuery(service_codes=("transport", "land"), start=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    await open311_reads.requests(Deps(store=store), query)
    [(collection, where, order_by)] = store.finds
    assert collection == OPINIONS
    assert where["field"] == {"$in": ["transport", "land"]}
    assert served(store, collection, where, order_by)
