"""MongoDB adapter of the storage port, on PyMongo's asyncio API (``pymongo.AsyncMongoClient``).

Motor, named in the client's design card, reached end of life on 2026-05-14; its maintainers point
to this API. The adapter only needs a database object with Motor-compatible coroutine methods, which
is also what mongomock-motor provides, so CI runs this very code without a server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import ConnectionFailure, DuplicateKeyError, PyMongoError, ServerSelectionTimeoutError

from shared.errors import TransientError
from shared.storage.port import ConcurrencyConflict, Doc, DuplicateKey, Filter, Index, check_filter

_TRANSIENT = (ConnectionFailure, ServerSelectionTimeoutError)


class MongoStore:
    """Document store on one MongoDB database (database per service)."""

    def __init__(self, database: Any, client: Any = None) -> None:
        self._db = database
        self._client = client

    def _coll(self, collection: str) -> Any:
        return self._db[collection]

    async def ensure_indexes(self, collection: str, indexes: Sequence[Index]) -> None:
        try:
            for index in indexes:
                options: dict[str, Any] = {"name": index.name, "unique": index.unique}
                if index.sparse:
                    options["partialFilterExpression"] = {f: {"$exists": True} for f in index.fields}
                await self._coll(collection).create_index([(f, ASCENDING) for f in index.fields], **options)
        except _TRANSIENT as exc:
            raise TransientError(f"MongoDB unavailable: {exc}") from exc

    async def get(self, collection: str, key: str) -> Doc | None:
        try:
            doc = await self._coll(collection).find_one({"_id": key})
        except _TRANSIENT as exc:
            raise TransientError(f"MongoDB unavailable: {exc}") from exc
        return None if doc is None else dict(doc)

    async def insert(self, collection: str, doc: Doc) -> None:
        try:
            await self._coll(collection).insert_one(dict(doc))
        except DuplicateKeyError as exc:
            raise DuplicateKey(doc["_id"]) from exc
        except _TRANSIENT as exc:
            raise TransientError(f"MongoDB unavailable: {exc}") from exc

    async def save(self, collection: str, doc: Doc) -> None:
        version = int(doc["version"])
        if version == 1:
            try:
                await self.insert(collection, doc)
            except DuplicateKey as exc:
                raise ConcurrencyConflict(doc["_id"]) from exc
            return
        try:
            result = await self._coll(collection).replace_one(
                {"_id": doc["_id"], "version": version - 1}, dict(doc)
            )
        except DuplicateKeyError as exc:
            raise DuplicateKey(doc["_id"]) from exc
        except _TRANSIENT as exc:
            raise TransientError(f"MongoDB unavailable: {exc}") from exc
        if result.matched_count != 1:
            raise ConcurrencyConflict(doc["_id"])

    async def upsert(self, collection: str, doc: Doc) -> None:
        try:
            await self._coll(collection).replace_one({"_id": doc["_id"]}, dict(doc), upsert=True)
        except _TRANSIENT as exc:
            raise TransientError(f"MongoDB unavailable: {exc}") from exc

    async def update_where(
        self, collection: str, key: str, where: Filter, changes: Mapping[str, Any]
    ) -> bool:
        check_filter(where)
        try:
            result = await self._coll(collection).update_one({"_id": key, **where}, {"$set": dict(changes)})
        except _TRANSIENT as exc:
            raise TransientError(f"MongoDB unavailable: {exc}") from exc
        return bool(result.modified_count == 1)

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
        cursor = self._coll(collection).find(dict(where or {}))
        if order_by:
            cursor = cursor.sort(order_by, DESCENDING if descending else ASCENDING)
        if limit is not None:
            cursor = cursor.limit(int(limit))
        try:
            return [dict(d) for d in await cursor.to_list(length=None)]
        except _TRANSIENT as exc:
            raise TransientError(f"MongoDB unavailable: {exc}") from exc

    async def count(self, collection: str, where: Filter | None = None) -> int:
        check_filter(where)
        try:
            return int(await self._coll(collection).count_documents(dict(where or {})))
        except _TRANSIENT as exc:
            raise TransientError(f"MongoDB unavailable: {exc}") from exc

    async def delete(self, collection: str, key: str) -> bool:
        try:
            result = await self._coll(collection).delete_one({"_id": key})
        except _TRANSIENT as exc:
            raise TransientError(f"MongoDB unavailable: {exc}") from exc
        return bool(result.deleted_count == 1)

    async def ping(self) -> None:
        try:
            await self._db.command("ping")
        except PyMongoError as exc:
            raise TransientError(f"MongoDB unavailable: {exc}") from exc

    async def close(self) -> None:
        if self._client is not None:
            result = self._client.close()
            if hasattr(result, "__await__"):
                await result
