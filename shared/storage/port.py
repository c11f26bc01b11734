"""The storage port: a small async document store every service's repository uses.

Documents are JSON-compatible dicts with a string ``_id`` and an integer ``version``. Saving is
optimistic: version 1 inserts, version n replaces version n-1, anything else is a conflict, so two
replicas never overwrite each other's work. Queries take a Mongo-like filter limited to equality and
the operators in ``OPERATORS``, on top-level or dotted fields, which both adapters implement natively.
A missing field and an explicit null are alike to a filter: ``{"f": None}`` matches both, and
``{"f": {"$exists": True}}`` means present *and not null* (MongoDB's own ``$exists`` would also match a
null; the MongoDB adapter sends ``$ne: null``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Doc = dict[str, Any]
Filter = Mapping[str, Any]

# ``$nin`` (not in) is MongoDB's: it also matches a document whose field is missing or null, unless
# the list holds None.
OPERATORS = frozenset({"$eq", "$ne", "$lt", "$lte", "$gt", "$gte", "$in", "$nin", "$exists"})


class SaveRefused(Exception):
    """A save the store refused: ``ConcurrencyConflict`` or ``DuplicateKey``.

    ``written``: in an answer of ``save_batch``, how many of the group's documents, the ones before
    the refused document in the group's order, stay saved. MongoDB saves a group in order without a
    transaction, so the documents before the refused one are written; SQLite (and the fake) roll the
    group back, and a refusal raised by ``save`` or ``insert`` concerns one document: 0 there.
    """

    def __init__(self, *args: object, written: int = 0) -> None:
        super().__init__(*args)
        self.written = written


class ConcurrencyConflict(SaveRefused):
    """Someone else saved the document first; reload and try again."""


class DuplicateKey(SaveRefused):
    """A document with that id already exists."""


Saved = tuple[str, Doc]  # (collection, document) for ``save_batch``


@dataclass(frozen=True)
class Update:
    """One conditional ``$set`` of ``update_batch``: ``changes`` on ``key`` if it matches ``where``."""

    collection: str
    key: str
    where: Filter
    changes: Mapping[str, Any]


@dataclass(frozen=True)
class Index:
    """A secondary index on one or more (dotted) fields, named after them.

    ``sparse``: only documents that have every field with a non-null value are indexed, so a unique
    sparse index ignores the documents where one is missing *or null*: any number of them may exist
    (MongoDB: a partial index on ``$type`` of the non-null types, since one on ``$exists`` would
    index explicit nulls and make two of them clash; SQLite: ``WHERE ... IS NOT NULL``).

    Not sparse: every document is indexed, a missing field counting as null (MongoDB's rule), so a
    unique index admits one document whose field is missing or null, and a second one clashes
    (SQLite, whose unique indexes let NULLs repeat, gets a companion index for those rows).

    ``ensure_indexes`` replaces an index of the same name whose definition changed (logged at
    WARNING), so a release that makes an index unique or sparse takes effect at start-up.
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

    async def save_batch(self, groups: Sequence[Sequence[Saved]]) -> list[Exception | None]:
        """Save many groups of documents in few round trips, each document as ``save`` would save it.

        The answer has one entry per group: None when its documents were saved, else the
        ``ConcurrencyConflict`` or ``DuplicateKey`` (a ``SaveRefused``) that ``save`` would have
        raised for the first document of the group that was refused. A group's documents are saved
        in their order, and none after the refused one is saved; the refusal's ``written`` says how
        many before it stay saved: 0 on SQLite (one transaction, a savepoint per group, rolled back
        when it fails), the count of the documents before the refused one on MongoDB (one unordered
        bulk write per collection for the groups of one document; one ordered bulk write for a
        group of several, one per run of consecutive documents of one collection, stopping at the
        first that fails). A store that cannot be reached raises ``TransientError`` and saved nothing
        (SQLite) or what its answer cannot say (MongoDB: the caller treats every group as failed,
        and optimistic versions make a retry safe).
        """

    async def update_batch(self, updates: Sequence[Update]) -> None:
        """Apply each ``Update`` as ``update_where`` would, in one round trip (one per collection)."""

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
