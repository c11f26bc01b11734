"""MongoDB adapter of the storage port, on PyMongo's asyncio API (``pymongo.AsyncMongoClient``).

Motor, named in the client's design card, reached end of life on 2026-05-14; its maintainers point
to this API.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from pymongo import ASCENDING, DESCENDING, InsertOne, ReplaceOne, UpdateOne, timeout
from pymongo.errors import (
    BulkWriteError,
    ConnectionFailure,
    DuplicateKeyError,
    ExecutionTimeout,
    OperationFailure,
    PyMongoError,
    WriteConcernError,
)

from shared.errors import StartupError, TransientError
from shared.storage.port import (
    ConcurrencyConflict,
    Doc,
    DuplicateKey,
    Filter,
    Index,
    Saved,
    SaveRefused,
    Update,
    check_filter,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

# Server error codes: https://www.mongodb.com/docs/manual/reference/error-codes/
UNAUTHORIZED = 13
AUTHENTICATION_FAILED = 18
INDEX_NOT_FOUND = 27
INDEX_OPTIONS_CONFLICT = 85  # the same keys exist under another name or with other options
INDEX_KEY_SPECS_CONFLICT = 86  # the same name exists with other keys or options
DUPLICATE_KEY = 11000
# Every BSON type a value can have except null (and the undefined/minKey/maxKey markers, which JSON
# documents never hold): a unique sparse index leaves out explicit nulls as well as missing fields.
VALUE_TYPES = ["string", "number", "bool", "date", "object", "array", "objectId", "binData", "timestamp"]
# The client bounds every operation (``timeoutMS``, 10 s unless the URL says otherwise) so that a
# handler never hangs; building an index over a large collection at start-up may take far longer.
INDEX_BUILD_SECONDS = 600.0
# The readiness check's answer: a server that does not answer a ping this fast is reported not ready
# (the bound would otherwise hold ``/readyz`` for 10 s while the server is away).
PING_SECONDS = 2.0


def _is_transient(exc: PyMongoError) -> bool:
    """Trouble that passes: no server or no primary (elections, a lost majority), a dropped or timed
    out connection, a write the majority did not confirm in time, the operation's time bound."""
    return (
        isinstance(exc, ConnectionFailure | WriteConcernError | ExecutionTimeout)
        or exc.timeout
        or exc.has_error_label("RetryableWriteError")
    )


@contextmanager
def _unavailable_is_transient() -> Iterator[None]:
    """Raise ``TransientError`` for an unavailable server; duplicate keys and bugs pass unchanged."""
    try:
        yield
    except DuplicateKeyError:
        raise
    except PyMongoError as exc:
        if _is_transient(exc):
            raise TransientError(f"MongoDB unavailable: {exc}") from exc
        raise


async def _settled(operation: Awaitable[T]) -> T:
    """Await a PyMongo operation without losing a cancellation.

    On Python 3.11 (the image's), ``asyncio.wait_for``, which PyMongo's pool uses, returns normally
    when its task is cancelled just as the awaited future completes (CPython gh-86296, fixed in
    3.12): the operation then succeeds and the cancellation is gone, so a host stopping a periodic
    sweep waited forever for a loop that went on. A cancellation requested meanwhile is raised here.
    """
    task = asyncio.current_task()
    requested = task.cancelling() if task is not None else 0
    result = await operation
    if task is not None and task.cancelling() > requested:
        raise asyncio.CancelledError
    return result


def _index_options(index: Index) -> dict[str, Any]:
    options: dict[str, Any] = {"name": index.name, "unique": index.unique}
    if index.sparse:
        # A unique sparse index must leave out explicit nulls ($exists alone keeps them, and two
        # nulls would clash), hence $type. The planner only uses a $type filter for a query that
        # repeats it, so a non-unique sparse index, which exists for queries, keeps $exists: a query
        # with $exists: true (sent as $ne: null, see _query) can use it, and the nulls it also
        # holds are never visible through the port.
        condition = {"$type": VALUE_TYPES} if index.unique else {"$exists": True}
        options["partialFilterExpression"] = dict.fromkeys(index.fields, condition)
    return options


def _query(where: Filter | None) -> dict[str, Any]:
    """The port's filter in MongoDB's terms: ``$exists: true`` means present and not null.

    That is what SQLite's ``json_extract(...) IS NOT NULL`` and a sparse index mean; MongoDB's own
    ``$exists: true`` also matches an explicit null, so it becomes ``$ne: null`` (``$exists: false``
    becomes ``$eq: null``, which matches a missing field too).
    """
    query: dict[str, Any] = {}
    extra: list[dict[str, Any]] = []
    for field, cond in (where or {}).items():
        if not (isinstance(cond, Mapping) and "$exists" in cond):
            query[field] = cond
            continue
        rest = {op: value for op, value in cond.items() if op != "$exists"}
        null_test = {"$ne": None} if cond["$exists"] else {"$eq": None}
        if rest:
            query[field] = rest
            extra.append({field: null_test})
        else:
            query[field] = null_test
    if extra:
        query["$and"] = extra
    return query


def _clashes_on_id(error: Mapping[str, Any]) -> bool:
    """Whether a duplicate-key write error is on ``_id`` (not on a unique secondary index)."""
    pattern = error.get("keyPattern")
    if isinstance(pattern, Mapping):
        return list(pattern) == ["_id"]
    return " index: _id_ " in str(error.get("errmsg", ""))


class MongoStore:
    """Document store on one MongoDB database (database per service).

    ``setting`` names where the URL came from, for the sentence of a ``StartupError``.
    """

    def __init__(self, database: Any, client: Any = None, *, setting: str = "DIALOGUE_STORE_URL") -> None:
        self._db = database
        self._client = client
        self._setting = setting

    def _coll(self, collection: str) -> Any:
        return self._db[collection]

    async def connect(self) -> MongoStore:
        """First contact: credentials the server refuses stop the service (``StartupError``), a
        server that cannot be reached is ``TransientError`` (the service may start later)."""
        try:
            # The driver authenticates the connection before its first command, so this ping is
            # where wrong credentials show; later commands only see a server-selection timeout.
            await _settled(self._db.command("ping"))
        except OperationFailure as exc:
            if exc.code == AUTHENTICATION_FAILED:
                raise StartupError(
                    self._setting,
                    f"MongoDB refused the user name or password in {self._setting}: correct them, "
                    "or the authSource option naming the database that holds the user.",
                ) from exc
            raise
        except PyMongoError as exc:
            if _is_transient(exc):
                raise TransientError(f"MongoDB unavailable: {exc}") from exc
            raise
        return self

    async def ensure_indexes(self, collection: str, indexes: Sequence[Index]) -> None:
        try:
            with _unavailable_is_transient(), timeout(INDEX_BUILD_SECONDS):
                for index in indexes:
                    await self._ensure_index(self._coll(collection), index)
        except OperationFailure as exc:
            if exc.code != UNAUTHORIZED:
                raise
            raise StartupError(
                self._setting,
                f"the MongoDB user in {self._setting} may not create indexes in the database "
                f"{self._db.name}: give it the readWrite role on that database.",
            ) from exc

    async def _ensure_index(self, coll: Any, index: Index) -> None:
        keys = [(f, ASCENDING) for f in index.fields]
        options = _index_options(index)
        try:
            await _settled(coll.create_index(keys, **options))
            return
        except OperationFailure as exc:
            if exc.code not in (INDEX_OPTIONS_CONFLICT, INDEX_KEY_SPECS_CONFLICT):
                raise
        # An index of this name or on these keys exists with other options (an older release's
        # definition): MongoDB never changes one in place, so it is dropped and created anew.
        existing = await _settled(coll.index_information())
        for name, spec in existing.items():
            same_keys = [(f, d) for f, d in spec.get("key", [])] == keys
            if name == "_id_" or (name != index.name and not same_keys):
                continue
            log.warning(
                "replacing index %s on %s.%s: it was %s, it becomes %s",
                name, self._db.name, coll.name, spec, {"key": keys, **options},
            )  # fmt: skip
            try:
                await _settled(coll.drop_index(name))
            except OperationFailure as exc:
                if exc.code != INDEX_NOT_FOUND:  # another replica starting up dropped it first
                    raise
        await _settled(coll.create_index(keys, **options))

    async def get(self, collection: str, key: str) -> Doc | None:
        with _unavailable_is_transient():
            doc = await _settled(self._coll(collection).find_one({"_id": key}))
        return None if doc is None else dict(doc)

    async def insert(self, collection: str, doc: Doc) -> None:
        try:
            with _unavailable_is_transient():
                await _settled(self._coll(collection).insert_one(dict(doc)))
        except DuplicateKeyError as exc:
            raise DuplicateKey(doc["_id"]) from exc

    async def save(self, collection: str, doc: Doc) -> None:
        version = int(doc["version"])
        if version == 1:
            try:
                await self.insert(collection, doc)
            except DuplicateKey as exc:
                raise ConcurrencyConflict(doc["_id"]) from exc
            return
        try:
            with _unavailable_is_transient():
                result = await _settled(
                    self._coll(collection).replace_one({"_id": doc["_id"], "version": version - 1}, dict(doc))
                )
        except DuplicateKeyError as exc:
            raise DuplicateKey(doc["_id"]) from exc
        if result.matched_count != 1:
            raise ConcurrencyConflict(doc["_id"])

    async def save_batch(self, groups: Sequence[Sequence[Saved]]) -> list[Exception | None]:
        """One unordered bulk write per collection for the single-document groups; a group of
        several documents in one ordered bulk write (one per run of consecutive documents of one
        collection), which stops at its first refused document: the ones before it stay saved, as
        the refusal's ``written`` says (MongoDB without transactions)."""
        results: list[Exception | None] = [None] * len(groups)
        bulks: dict[str, list[tuple[int, Doc]]] = {}
        for i, group in enumerate(groups):
            if len(group) == 1:
                collection, doc = group[0]
                bulks.setdefault(collection, []).append((i, doc))
                continue
            results[i] = await self._save_in_order(group)
        for collection, docs in bulks.items():
            for i, failure in await self._bulk_save(collection, docs):
                results[i] = failure
        return results

    @staticmethod
    def _operation(doc: Doc) -> Any:
        """The bulk operation saving ``doc`` as ``save`` does (see ``_bulk_save``)."""
        version = int(doc["version"])
        if version == 1:
            return InsertOne(dict(doc))
        return ReplaceOne({"_id": doc["_id"], "version": version - 1}, dict(doc), upsert=True)

    async def _save_in_order(self, group: Sequence[Saved]) -> Exception | None:
        """Save ``group`` in its order, one ordered bulk write per run of consecutive documents of
        one collection (a single one for a group in one collection); the first refusal, whose
        ``written`` counts the documents of the group saved before it, or None."""
        written = 0
        runs: list[tuple[str, list[Doc]]] = []
        for collection, doc in group:
            if runs and runs[-1][0] == collection:
                runs[-1][1].append(doc)
            else:
                runs.append((collection, [doc]))
        for collection, docs in runs:
            ops = [self._operation(doc) for doc in docs]
            try:
                with _unavailable_is_transient():
                    await _settled(self._coll(collection).bulk_write(ops, ordered=True))
            except BulkWriteError as exc:
                # Ordered: the write stopped at its one write error, and the documents before it
                # are saved.
                failures = self._failures(exc, list(enumerate(docs)))
                if not failures:  # no write error to answer with: as ``save`` would raise it
                    raise
                k, failure = failures[0]
                failure.written = written + k
                return failure
            written += len(docs)
        return None

    async def _bulk_save(
        self, collection: str, docs: Sequence[tuple[int, Doc]]
    ) -> list[tuple[int, SaveRefused]]:
        """Save ``docs`` (group index, document) in one unordered bulk write; the failed ones.

        A later version replaces its predecessor through an upsert filtered on the previous
        version: when another writer saved first, the upsert's insert clashes on ``_id``, so the
        version conflict comes back as that operation's duplicate-key error (the port never deletes,
        so a document of version above 1 always exists, and the upsert never inserts one).
        """
        ops = [self._operation(doc) for _, doc in docs]
        try:
            with _unavailable_is_transient():
                await _settled(self._coll(collection).bulk_write(ops, ordered=False))
        except BulkWriteError as exc:
            return self._failures(exc, docs)
        return []

    @staticmethod
    def _failures(exc: BulkWriteError, docs: Sequence[tuple[int, Doc]]) -> list[tuple[int, SaveRefused]]:
        details = exc.details or {}
        if details.get("writeConcernErrors"):
            raise TransientError(f"MongoDB did not confirm a bulk write: {details['writeConcernErrors']}")
        failures: list[tuple[int, SaveRefused]] = []
        for error in details.get("writeErrors", []):
            i, doc = docs[int(error["index"])]
            if error.get("code") != DUPLICATE_KEY:
                raise exc  # not a clash: a bug or a refused document, as ``save`` would raise it
            on_id = _clashes_on_id(error)
            if int(doc["version"]) == 1 or on_id:
                failures.append((i, ConcurrencyConflict(doc["_id"])))
            else:
                failures.append((i, DuplicateKey(doc["_id"])))
        return failures

    async def update_batch(self, updates: Sequence[Update]) -> None:
        by_collection: dict[str, list[Any]] = {}
        for update in updates:
            check_filter(update.where)
            query = {"_id": update.key, **_query(update.where)}
            by_collection.setdefault(update.collection, []).append(
                UpdateOne(query, {"$set": dict(update.changes)})
            )
        for collection, ops in by_collection.items():
            with _unavailable_is_transient():
                await _settled(self._coll(collection).bulk_write(ops, ordered=False))

    async def update_where(
        self, collection: str, key: str, where: Filter, changes: Mapping[str, Any]
    ) -> bool:
        check_filter(where)
        with _unavailable_is_transient():
            result = await _settled(
                self._coll(collection).update_one({"_id": key, **_query(where)}, {"$set": dict(changes)})
            )
        # matched, not modified: a $set that leaves the document as it was still did what was asked
        # (modified_count is 0 then), as SQLite's and the fake's row counts say.
        return bool(result.matched_count == 1)

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
        cursor = self._coll(collection).find(_query(where))
        if order_by:
            cursor = cursor.sort(order_by, DESCENDING if descending else ASCENDING)
        if limit is not None:
            cursor = cursor.limit(int(limit))
        with _unavailable_is_transient():
            return [dict(d) for d in await _settled(cursor.to_list(length=None))]

    async def count(self, collection: str, where: Filter | None = None) -> int:
        check_filter(where)
        with _unavailable_is_transient():
            return int(await _settled(self._coll(collection).count_documents(_query(where))))

    async def ping(self) -> None:
        try:
            with timeout(PING_SECONDS):
                await _settled(self._db.command("ping"))
        except PyMongoError as exc:
            raise TransientError(f"MongoDB unavailable: {exc}") from exc

    async def close(self) -> None:
        if self._client is not None:
            result = self._client.close()
            if hasattr(result, "__await__"):
                await result
