"""Open the store named by a URL: ``sqlite:///path``, ``sqlite://:memory:`` or ``mongodb://...``.

In either kind of URL, ``{database}`` stands for the service's own database name
(``dialogue_<service>``): a SQLite file name, or a MongoDB database name in the URL's path
(``mongodb://host/staging_{database}`` → database ``staging_dialogue_intake``), which lets several
stacks share one server. A MongoDB URL without it keeps the database ``dialogue_<service>``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from shared.errors import StartupError
from shared.storage.mongo import MongoStore
from shared.storage.port import DocumentStore
from shared.storage.sqlite import SqliteStore

PLACEHOLDER = "{database}"
# Defaults the URL may override. ``timeoutMS`` bounds every operation, server selection and a write
# waiting for a majority that was lost included, before it fails as ``TransientError``, so no
# handler hangs; ``serverSelectionTimeoutMS`` only applies when a URL turns that bound off
# (``timeoutMS=0``).
MONGO_DEFAULTS = {"serverSelectionTimeoutMS": 5000, "timeoutMS": 10000}


async def open_store(url: str, database: str, *, setting: str = "DIALOGUE_STORE_URL") -> DocumentStore:
    """Connect to the store at ``url``; ``database`` names the service's own database.

    A URL that cannot be used or credentials the store refuses raise ``StartupError`` naming
    ``setting`` (the one the URL came from); a store that cannot be reached raises ``TransientError``.
    """
    if url.startswith("sqlite://"):
        path = url.removeprefix("sqlite://")
        if path in ("", "/:memory:", ":memory:"):
            return await SqliteStore(":memory:").connect()
        # sqlite:///var/x.db is relative (./var/x.db); sqlite:////abs/x.db is absolute.
        path = path.removeprefix("/")
        if PLACEHOLDER in path:
            path = path.replace(PLACEHOLDER, database)
        return await SqliteStore(path).connect()
    if url.startswith(("mongodb://", "mongodb+srv://")):
        url, database = _mongo_database(url, database)
        return await _open_mongo(url, database, setting)
    scheme = url.split("://", 1)[0] if "://" in url else "no scheme"
    raise StartupError(
        setting, f"{setting} must start with sqlite:// or mongodb:// (it starts with {scheme!r})."
    )


def _mongo_database(url: str, database: str) -> tuple[str, str]:
    """Put the database name in the URL's path where it has ``{database}``; the database to use."""
    scheme, rest = url.split("://", 1)
    hosts, slash, tail = rest.partition("/")
    path, question, query = tail.partition("?")
    if PLACEHOLDER not in path:
        return url, database
    path = path.replace(PLACEHOLDER, database)
    return f"{scheme}://{hosts}{slash}{path}{question}{query}", path


async def _open_mongo(url: str, database: str, setting: str) -> MongoStore:
    from pymongo import AsyncMongoClient
    from pymongo.errors import ConfigurationError

    given = {key.lower() for key, _ in parse_qsl(url.partition("?")[2])}
    options: dict[str, Any] = {k: v for k, v in MONGO_DEFAULTS.items() if k.lower() not in given}
    try:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            url, w="majority", tz_aware=True, **options
        )
    except (ConfigurationError, ValueError) as exc:
        # pymongo's messages name the part that is wrong and never echo the password.
        raise StartupError(setting, f"{setting} is not a usable MongoDB URL: {exc}.") from exc
    store = MongoStore(client[database], client, setting=setting)
    try:
        await store.connect()
    except BaseException:
        await client.close()
        raise
    return store
