"""The storage port: a small async document store every service's repository uses.

Documents are JSON-compatible dicts with a string ``_id`` and an integer ``version``. Saving is
optimistic: version 1 inserts, version n replaces version n-1, anything else is a conflict, so two
replicas never overwrite each other's work. Queries take a Mongo-like filter limited to equality and
the operators in ``OPERATORS``, on top-level or dotted fields, which both adapters implement natively.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Doc = dict[str, Any]
Filter = Mapping[str, Any]

OPERATORS = frozenset({"$eq", "$ne", "$lt", "$lte", "$gt", "$gte", "$in", "$exists"})


class ConcurrencyConflict(Exception):
    """Someone else saved the document first; reload and try again."""


class DuplicateKey(Exception):
    """A document with that id already exists."""


@dataclass(frozen=True)
class Index:
    """A secondary index on one or more (dotted) fields.

    ``sparse``: only documents that have every field are indexed, so a unique sparse index ignores
    the documents without them (MongoDB: a partial index; SQLite: ``WHERE ... IS NOT NULL``).
    """

    fields: tuple[str, ...]
    unique: bool = False
    sparse: bool = False

    @property
    def name(self) -> str:
        return "ix_" + "_".join(f.replace(".", "_") for f in self.fields)


class DocumentStore(Protocol):
    """Async document store; one per service (database per service)."""

    async def ensure_indexes(self, collection: str, indexes: Sequence[Index]) -> None:
        """Create the collection's indexes if missing (called at start-up)."""

    async def get(self, collection: str, key: str) -> Doc | None:
        """The document with ``_id == key``, or None."""

    async def insert(self, collection: str, doc: Doc) -> None:
        """Insert a new document; raises ``DuplicateKey`` when the id exists."""

    async def save(self, collection: str, doc: Doc) -> None:
        """Optimistic save by ``version`` (1 inserts); raises ``ConcurrencyConflict``.

        An update (version above 1) that would clash on a unique index raises ``DuplicateKey``.
        """

    async def upsert(self, collection: str, doc: Doc) -> None:
        """Insert or overwrite unconditionally (projections, caches)."""

    async def update_where(
        self, collection: str, key: str, where: Filter, changes: Mapping[str, Any]
    ) -> bool:
        """Atomically set ``changes`` on ``key`` if it matches ``where``; True when it did (claims)."""

    async def find(
        self,
        collection: str,
        where: Filter | None = None,
        *,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[Doc]:
        """Documents matching ``where``."""

    async def count(self, collection: str, where: Filter | None = None) -> int:
        """How many documents match ``where``."""

    async def delete(self, collection: str, key: str) -> bool:
        """Delete by id; True when something was deleted."""

    async def ping(self) -> None:
        """Raise ``shared.errors.TransientError`` when the store cannot be reached."""

    async def close(self) -> None:
        """Release connections."""


def check_filter(where: Filter | None) -> None:
    """Refuse operators the adapters do not both support, early and loudly."""
    for key, value in (where or {}).items():
        if key.startswith("$"):
            raise ValueError(f"top-level operator {key!r} is not supported")
        if isinstance(value, Mapping):
            unknown = set(value) - OPERATORS
            if unknown:
                raise ValueError(f"unsupported operators {sorted(unknown)} on {key!r}")
