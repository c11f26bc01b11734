"""Hand-written fakes of the ports, for unit tests of handlers (no mocks of our own code)."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from shared.contracts.base import Event, derived_id
from shared.contracts.rejections import MessageRejected
from shared.errors import TransientError
from shared.storage.port import (
    ConcurrencyConflict,
    Doc,
    DuplicateKey,
    Filter,
    Index,
    Saved,
    Update,
    check_filter,
)

_MISSING = object()


def _get(doc: Mapping[str, Any], dotted: str) -> Any:
    value: Any = doc
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _key(doc: Mapping[str, Any], fields: Sequence[str]) -> list[Any]:
    """A document's entry in an index on ``fields``: a missing field counts as null."""
    return [None if v is _MISSING else v for v in (_get(doc, f) for f in fields)]


def _matches(doc: Mapping[str, Any], where: Filter | None) -> bool:
    for field, cond in (where or {}).items():
        value = _get(doc, field)
        ops = cond if isinstance(cond, Mapping) else {"$eq": cond}
        for op, expected in ops.items():
            present = value is not _MISSING and value is not None
            if op == "$exists":
                ok = present == bool(expected)
            elif op == "$eq":
                ok = (not present) if expected is None else value == expected
            elif op == "$ne":
                ok = present if expected is None else value != expected
            elif op == "$in":
                ok = value in list(expected)
            elif op == "$nin":  # MongoDB's: a missing or null field matches unless None is listed
                ok = (None if not present else value) not in list(expected)
            elif not present:
                ok = False
            else:
                ok = {"$lt": value < expected, "$lte": value <= expected,
                      "$gt": value > expected, "$gte": value >= expected}[op]  # fmt: skip
            if not ok:
                return False
    return True


class InMemoryStore:
    """A DocumentStore in a dict; ``fail_next`` simulates an unavailable store."""

    def __init__(self) -> None:
        self.collections: dict[str, dict[str, Doc]] = {}
        self.fail_next = 0
        self.indexes: dict[str, list[Index]] = {}
        self.batches: list[int] = []  # the number of groups of each ``save_batch`` call
        self.fail_next_batch = 0  # ``save_batch`` calls that fail as an unreachable store does

    def _coll(self, name: str) -> dict[str, Doc]:
        if self.fail_next:
            self.fail_next -= 1
            raise TransientError("fake store unavailable")
        return self.collections.setdefault(name, {})

    async def ensure_indexes(self, collection: str, indexes: Sequence[Index]) -> None:
        # An index of the same name is replaced, as both adapters do when its definition changed.
        names = {index.name for index in indexes}
        kept = [index for index in self.indexes.get(collection, []) if index.name not in names]
        self.indexes[collection] = kept + list(indexes)

    async def get(self, collection: str, key: str) -> Doc | None:
        doc = self._coll(collection).get(key)
        return copy.deepcopy(doc) if doc is not None else None

    def _check_unique(self, collection: str, doc: Doc) -> None:
        """Unique secondary indexes, as the port defines them: a sparse one leaves out documents with
        a field missing or null; any other indexes a missing field as null, and two nulls clash."""
        for index in self.indexes.get(collection, []):
            if not index.unique:
                continue
            values = _key(doc, index.fields)
            if index.sparse and None in values:
                continue
            for other in self.collections.get(collection, {}).values():
                if other["_id"] != doc["_id"] and _key(other, index.fields) == values:
                    raise DuplicateKey(doc["_id"])

    async def insert(self, collection: str, doc: Doc) -> None:
        coll = self._coll(collection)
        if doc["_id"] in coll:
            raise DuplicateKey(doc["_id"])
        self._check_unique(collection, doc)
        coll[doc["_id"]] = copy.deepcopy(doc)

    async def save(self, collection: str, doc: Doc) -> None:
        coll = self._coll(collection)
        current = coll.get(doc["_id"])
        expected = int(doc["version"]) - 1
        if (current is None and expected != 0) or (
            current is not None and current.get("version") != expected
        ):
            raise ConcurrencyConflict(doc["_id"])
        try:
            self._check_unique(collection, doc)
        except DuplicateKey as exc:
            if current is None:  # an insert, as the adapters do it: any clash is a conflict
                raise ConcurrencyConflict(doc["_id"]) from exc
            raise
        coll[doc["_id"]] = copy.deepcopy(doc)

    async def save_batch(self, groups: Sequence[Sequence[Saved]]) -> list[Exception | None]:
        self.batches.append(len(groups))
        if self.fail_next_batch:
            self.fail_next_batch -= 1
            raise TransientError("fake store unavailable")
        results: list[Exception | None] = []
        for group in groups:
            before = copy.deepcopy(self.collections)
            try:
                for collection, doc in group:
                    await self.save(collection, doc)
            except (ConcurrencyConflict, DuplicateKey) as exc:
                self.collections = before  # a failed group leaves nothing of its own changed
                results.append(exc)
            else:
                results.append(None)
        return results

    async def update_batch(self, updates: Sequence[Update]) -> None:
        for update in updates:
            await self.update_where(update.collection, update.key, update.where, update.changes)

    async def update_where(
        self, collection: str, key: str, where: Filter, changes: Mapping[str, Any]
    ) -> bool:
        check_filter(where)
        doc = self._coll(collection).get(key)
        if doc is None or not _matches(doc, where):
            return False
        for dotted, value in changes.items():
            target = doc
            *parents, last = dotted.split(".")
            for part in parents:
                target = target.setdefault(part, {})
            target[last] = copy.deepcopy(value)
        return True

    async def find(
        self,
        collection: str,
        where: Filter | None = None,
        *,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[Doc]:
        check_filter(where)
        docs = [copy.deepcopy(d) for d in self._coll(collection).values() if _matches(d, where)]
        if order_by:
            docs.sort(
                key=lambda d: (_get(d, order_by) is _MISSING, str(_get(d, order_by))), reverse=descending
            )
        return docs[:limit] if limit is not None else docs

    async def count(self, collection: str, where: Filter | None = None) -> int:
        return len(await self.find(collection, where))

    async def ping(self) -> None:
        self._coll("__ping__")

    async def close(self) -> None:
        return None


def event_for(cause: str) -> Event:
    """An event caused by ``cause`` (any contract will do: a unit of work only publishes it and
    keeps it in an outbox)."""
    return MessageRejected(
        event_id=derived_id(cause, "counted"),
        service="test",
        subject="test.counted",
        reason="counted",
        message=cause,
        raw_payload="",
    )
