"""Open the store named by a URL: ``sqlite:///path``, ``sqlite://:memory:`` or ``mongodb://...``."""

from __future__ import annotations

from shared.storage.mongo import MongoStore
from shared.storage.port import DocumentStore
from shared.storage.sqlite import SqliteStore


async def open_store(url: str, database: str) -> DocumentStore:
    """Connect to the store at ``url``; ``database`` names the service's own database."""
    if url.startswith("sqlite://"):
        path = url.removeprefix("sqlite://")
        if path in ("", "/:memory:", ":memory:"):
            return await SqliteStore(":memory:").connect()
        # sqlite:///var/x.db is relative (./var/x.db); sqlite:////abs/x.db is absolute.
        path = path.removeprefix("/")
        if "{database}" in path:
            path = path.format(database=database)
        return await SqliteStore(path).connect()
    if url.startswith(("mongodb://", "mongodb+srv://")):
        from pymongo import AsyncMongoClient

        client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
            url, w="majority", serverSelectionTimeoutMS=5000, tz_aware=True
        )
        return MongoStore(client[database], client)
    raise ValueError(f"unsupported store URL {url!r}: use sqlite:///path or mongodb://host/")
