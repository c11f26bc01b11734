"""SQLite adapter of the storage port (WAL): the embedded default.

One table per collection holding the JSON document; filters compile to ``json_extract`` so the same
Mongo-like queries work on both adapters. Indexes are expression indexes on the extracted fields.

Statements run on the event loop's thread. Every one is a primary-key or indexed lookup or a single
row write that takes tens of microseconds, while handing it to a worker thread (aiosqlite) cost more
than the statement itself: a queue, a thread wake-up, a GIL hand-over and a loop wake-up each way,
four or five times per message (see docs/benchmarks.md). The price is that a write lock held by
another process blocks the loop, so the busy timeout is short: past it the write fails as a
``TransientError`` and the message is redelivered later instead of the loop waiting.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

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

log = logging.getLogger(__name__)

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
# Seconds a statement waits for another process's write lock before failing as ``TransientError``
# (the loop waits with it), and the longer wait allowed while the service starts.
BUSY_TIMEOUT = 0.25
STARTUP_BUSY_TIMEOUT = 10.0
_NULLS = "_nulls"  # suffix of the companion index of a unique non-sparse index, see _index_statements
_OPS = {"$eq": "=", "$ne": "!=", "$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}


def _table(collection: str) -> str:
    if not _NAME.match(collection):
        raise ValueError(f"invalid collection name {collection!r}")
    return f'"c_{collection}"'


def _path(field: str) -> str:
    if not _FIELD.match(field):
        raise ValueError(f"invalid field name {field!r}")
    return "$." + field


def _param(value: Any) -> Any:
    # json_extract returns SQLite scalars: booleans come back as 0/1.
    if isinstance(value, bool):
        return int(value)
    return value


def _text(value: Any) -> str:
    """Compact JSON text (orjson: several times faster than the json module on our documents)."""
    return orjson.dumps(value).decode("utf-8")


def _index_statements(collection: str, table: str, index: Index) -> dict[str, str]:
    """The ``CREATE INDEX`` statements that make ``index``, by index name, as sqlite_master keeps them."""
    exprs = [f"json_extract(doc, '{_path(f)}')" for f in index.fields]
    name = f"{collection}_{index.name}"
    unique = "UNIQUE " if index.unique else ""
    where = ""
    if index.sparse:
        where = " WHERE " + " AND ".join(f"{e} IS NOT NULL" for e in exprs)
    statements = {name: f'CREATE {unique}INDEX "{name}" ON {table} ({", ".join(exprs)}){where}'}
    if index.unique and not index.sparse:
        # A unique index in SQLite lets any number of rows hold NULL, while MongoDB indexes a missing
        # or null field as null and two nulls clash. This companion holds only the rows with a
        # missing or null field, null replaced by an empty blob (no JSON value extracts to a blob),
        # so those clash as on MongoDB; rows with every field set stay in the first index, which is
        # the one queries use.
        keys = ", ".join(f"ifnull({e}, x'')" for e in exprs)
        nulls = " OR ".join(f"{e} IS NULL" for e in exprs)
        statements[name + _NULLS] = f'CREATE UNIQUE INDEX "{name}{_NULLS}" ON {table} ({keys}) WHERE {nulls}'
    return statements


def _compile(where: Filter | None) -> tuple[str, list[Any]]:
    check_filter(where)
    clauses: list[str] = []
    params: list[Any] = []
    for field, cond in (where or {}).items():
        expr = "_id" if field == "_id" else f"json_extract(doc, '{_path(field)}')"
        ops = cond if isinstance(cond, Mapping) else {"$eq": cond}
        for op, value in ops.items():
            if op == "$exists":
                clauses.append(f"{expr} IS {'NOT ' if value else ''}NULL")
            elif op == "$in":
                values = list(value)
                if not values:
                    clauses.append("0")
                    continue
                clauses.append(f"{expr} IN ({','.join('?' * len(values))})")
                params.extend(_param(v) for v in values)
            elif op == "$nin":
                clauses.append(_not_in(expr, list(value), params))
            elif value is None and op in ("$eq", "$ne"):
                clauses.append(f"{expr} IS {'NOT ' if op == '$ne' else ''}NULL")
            else:
                clauses.append(f"{expr} {_OPS[op]} ?")
                params.append(_param(value))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _not_in(expr: str, values: list[Any], params: list[Any]) -> str:
    """``$nin`` as MongoDB means it: a missing or null field matches, unless None is in the list
    (SQL's ``NOT IN`` alone would leave out the NULLs)."""
    known = [v for v in values if v is not None]
    null = f"{expr} IS NOT NULL" if len(known) < len(values) else f"{expr} IS NULL"
    if not known:
        return null if len(known) < len(values) else "1"
    params.extend(_param(v) for v in known)
    joined = "AND" if len(known) < len(values) else "OR"
    return f"({null} {joined} {expr} NOT IN ({','.join('?' * len(known))}))"


@contextmanager
def _transient_when_unavailable() -> Iterator[None]:
    """Turn "store down or closed" errors into ``TransientError``; integrity errors and bugs pass."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise
    except (sqlite3.OperationalError, sqlite3.DatabaseError) as exc:
        raise TransientError(f"SQLite store unavailable: {exc}") from exc
    except ValueError as exc:
        if "closed" not in str(exc):
            raise
        raise TransientError(f"SQLite store unavailable: {exc}") from exc


class SqliteStore:
    """Document store on one SQLite file (or ``:memory:``)."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._db: sqlite3.Connection | None = None
        self._tables: set[str] = set()

    async def connect(self) -> SqliteStore:
        if self._path != ":memory:":
            Path(self._path).parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: every statement is its own transaction, committed when ``execute`` returns.
        # Start-up may wait longer than a message would (another replica creating the same tables).
        self._db = sqlite3.connect(self._path, timeout=STARTUP_BUSY_TIMEOUT, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._busy_timeout(BUSY_TIMEOUT)
        return self

    def _busy_timeout(self, seconds: float) -> None:
        self.db.execute(f"PRAGMA busy_timeout={int(seconds * 1000)}")

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise TransientError("the SQLite store is not connected")
        return self._db

    async def _ensure_table(self, collection: str) -> str:
        table = _table(collection)
        if table not in self._tables:
            await self._run(
                f"CREATE TABLE IF NOT EXISTS {table} (_id TEXT PRIMARY KEY, version INTEGER, doc TEXT NOT NULL)"
            )
            self._tables.add(table)
        return table

    async def _run(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Execute one statement (committed on return: the connection is in autocommit mode)."""
        with _transient_when_unavailable():
            return self.db.execute(sql, params)

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run a query and fetch its rows."""
        with _transient_when_unavailable():
            return self.db.execute(sql, params).fetchall()

    async def ensure_indexes(self, collection: str, indexes: Sequence[Index]) -> None:
        self._busy_timeout(STARTUP_BUSY_TIMEOUT)  # called at start-up, before any message
        try:
            await self._create_indexes(collection, indexes)
        finally:
            self._busy_timeout(BUSY_TIMEOUT)

    async def _create_indexes(self, collection: str, indexes: Sequence[Index]) -> None:
        table = await self._ensure_table(collection)
        for index in indexes:
            wanted = _index_statements(collection, table, index)
            # The companion's name is looked at even when not wanted: an index that stopped being
            # unique and non-sparse leaves one behind, and it must go.
            names = [f"{collection}_{index.name}", f"{collection}_{index.name}{_NULLS}"]
            if await self._index_sql(names) == {n: wanted.get(n) for n in names}:
                continue
            await self._replace_indexes(names, wanted)

    async def _index_sql(self, names: Sequence[str]) -> dict[str, str | None]:
        """The statement each named index was created with (as sqlite_master keeps it), or None."""
        marks = ",".join("?" * len(names))
        rows = await self._rows(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ({marks})", names
        )
        found = {str(name): str(sql) for name, sql in rows}
        return {name: found.get(name) for name in names}

    async def _replace_indexes(self, names: Sequence[str], wanted: Mapping[str, str]) -> None:
        """Make the named indexes exactly ``wanted`` in one transaction.

        ``CREATE INDEX IF NOT EXISTS`` alone would keep an index whose definition changed between
        releases (unique, sparse, fields), silently enforcing the old rule; MongoDB refuses such an
        index, and both adapters replace it. The transaction re-reads the schema under the write
        lock, so another replica starting at the same time replaces it once, and a failure (a unique
        index the data already violates) leaves the old definition in place.
        """
        await self._run("BEGIN IMMEDIATE")
        try:
            current = await self._index_sql(names)
            for name in names:
                want, have = wanted.get(name), current[name]
                if want == have:
                    continue
                if have is not None:
                    log.warning("replacing SQLite index %s: it was %r, it becomes %r", name, have, want)
                    await self._run(f'DROP INDEX "{name}"')
                if want is not None:
                    await self._run(want)
            await self._run("COMMIT")
        except BaseException:
            if self.db.in_transaction:  # SQLite may have rolled back already (some errors do)
                self.db.execute("ROLLBACK")
            raise

    async def get(self, collection: str, key: str) -> Doc | None:
        table = await self._ensure_table(collection)
        rows = await self._rows(f"SELECT doc FROM {table} WHERE _id = ?", (key,))
        return dict(orjson.loads(rows[0][0])) if rows else None

    async def insert(self, collection: str, doc: Doc) -> None:
        table = await self._ensure_table(collection)
        try:
            await self._run(
                f"INSERT INTO {table} (_id, version, doc) VALUES (?, ?, ?)",
                (doc["_id"], doc.get("version", 1), _text(doc)),
            )
        except sqlite3.IntegrityError as exc:
            raise DuplicateKey(doc["_id"]) from exc

    async def save(self, collection: str, doc: Doc) -> None:
        table = await self._ensure_table(collection)
        with _transient_when_unavailable():
            self._save_now(table, doc)

    def _save_now(self, table: str, doc: Doc) -> None:
        """One optimistic save (see the port); integrity errors become the port's exceptions."""
        version = int(doc["version"])
        try:
            if version == 1:
                self.db.execute(
                    f"INSERT INTO {table} (_id, version, doc) VALUES (?, ?, ?)",
                    (doc["_id"], version, _text(doc)),
                )
                return
            cursor = self.db.execute(
                f"UPDATE {table} SET doc = ?, version = ? WHERE _id = ? AND version = ?",
                (_text(doc), version, doc["_id"], version - 1),
            )
        except sqlite3.IntegrityError as exc:
            # A first version clashing on any key lost to a concurrent insert; an update clashing
            # on a unique index is a duplicate the caller must resolve.
            raise (ConcurrencyConflict if version == 1 else DuplicateKey)(doc["_id"]) from exc
        if cursor.rowcount != 1:
            raise ConcurrencyConflict(doc["_id"])

    async def save_batch(self, groups: Sequence[Sequence[Saved]]) -> list[Exception | None]:
        """Every group in one transaction, each in its own savepoint (rolled back when it fails:
        nothing of a refused group stays, and its refusal's ``written`` is 0)."""
        tables = {c: await self._ensure_table(c) for group in groups for c, _ in group}
        results: list[Exception | None] = []
        with _transient_when_unavailable():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for group in groups:
                    self.db.execute("SAVEPOINT batch_group")
                    try:
                        for collection, doc in group:
                            self._save_now(tables[collection], doc)
                    except (ConcurrencyConflict, DuplicateKey) as exc:
                        self.db.execute("ROLLBACK TO batch_group")
                        results.append(exc)
                    else:
                        results.append(None)
                    self.db.execute("RELEASE batch_group")
                self.db.execute("COMMIT")
            except BaseException:
                self._roll_back()
                raise
        return results

    def _roll_back(self) -> None:
        """End a failed transaction; SQLite may have rolled it back already (some errors do)."""
        if self._db is not None and self._db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    async def update_batch(self, updates: Sequence[Update]) -> None:
        """Every update in one transaction."""
        statements = [
            (await self._update_statement(u.collection, u.key, u.where, u.changes)) for u in updates
        ]
        if not statements:
            return
        with _transient_when_unavailable():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    self.db.execute(sql, params)
                self.db.execute("COMMIT")
            except BaseException:
                self._roll_back()
                raise

    async def _update_statement(
        self, collection: str, key: str, where: Filter, changes: Mapping[str, Any]
    ) -> tuple[str, list[Any]]:
        table = await self._ensure_table(collection)
        clause, params = _compile({"_id": key, **where})
        setters = ", ".join(f"'{_path(f)}', json(?)" for f in changes)
        values = [_text(v) for v in changes.values()]
        return f"UPDATE {table} SET doc = json_set(doc, {setters}){clause}", [*values, *params]

    async def update_where(
        self, collection: str, key: str, where: Filter, changes: Mapping[str, Any]
    ) -> bool:
        sql, params = await self._update_statement(collection, key, where, changes)
        cursor = await self._run(sql, params)
        return cursor.rowcount == 1

    async def find(
        self,
        collection: str,
        where: Filter | None = None,
        *,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[Doc]:
        table = await self._ensure_table(collection)
        clause, params = _compile(where)
        sql = f"SELECT doc FROM {table}{clause}"
        if order_by:
            sql += f" ORDER BY json_extract(doc, '{_path(order_by)}') {'DESC' if descending else 'ASC'}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [dict(orjson.loads(row[0])) for row in await self._rows(sql, params)]

    async def count(self, collection: str, where: Filter | None = None) -> int:
        table = await self._ensure_table(collection)
        clause, params = _compile(where)
        rows = await self._rows(f"SELECT COUNT(*) FROM {table}{clause}", params)
        return int(rows[0][0]) if rows else 0

    async def ping(self) -> None:
        await self._rows("SELECT 1")

    async def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
