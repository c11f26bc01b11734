"""The one outbox: the events of a state change, kept in the same document write as the change.

Every aggregate document a unit of work saves carries two outbox fields beside its state:

- ``outbox``: the events each cause (incoming message or command id) produced, so a redelivered
  cause finds them and re-publishes the same ids instead of applying itself twice (bounded to the
  last ``MAX_CAUSES`` causes, far more than any redelivery window holds);
- ``unpublished`` (and the indexed flag ``has_unpublished``): events saved but not yet stored by
  JetStream. The unit of work clears them after the PubAcks; if the process died in between, the
  host's sweep publishes them again (same ids, so JetStream drops what did arrive);
- ``unpublished_at``: when the oldest of the ``unpublished`` events was staged (epoch seconds of the
  wall clock), so the sweep can leave alone the events a unit of work is still publishing. Carried
  over with them to the next version, cleared with them; a document staged before this field existed
  has none, and its events count as old.

One document, one write: atomic on SQLite and on MongoDB alike, no transactions needed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from shared.contracts.base import Event
from shared.contracts.registry import dump_events, load_events
from shared.storage.port import Doc, DocumentStore, Index, Update

MAX_CAUSES = 50
STAGED_AT = "unpublished_at"
FIELDS = ("outbox", "unpublished", "has_unpublished", STAGED_AT)
INDEX = Index(("has_unpublished",))


def replay(doc: Doc | None, cause: str) -> list[Event] | None:
    """The events already produced for ``cause``, or None when it was never applied."""
    if doc is None:
        return None
    stored = doc.get("outbox", {}).get(cause)
    return None if stored is None else load_events(stored)


def stage(
    doc: Doc, previous: Doc | None, cause: str | None, events: Sequence[Event], *, now: float | None = None
) -> Doc:
    """The document to save: ``doc``'s state, the next version, and the outbox carried over.

    ``now`` (epoch seconds, else the wall clock's) stamps ``unpublished_at`` when the document's
    pending events are all new; events carried over keep the stamp they came with (none for a
    document staged before stamps existed).
    """
    staged = {k: v for k, v in doc.items() if k not in FIELDS}
    staged["version"] = int((previous or {}).get("version", 0)) + 1
    causes: dict[str, Any] = dict((previous or {}).get("outbox", {}))
    if cause is not None:
        causes.pop(cause, None)
        causes[cause] = dump_events(events)
        while len(causes) > MAX_CAUSES:
            causes.pop(next(iter(causes)))
    carried = list((previous or {}).get("unpublished", []))
    pending = carried + dump_events(events)
    staged["outbox"] = causes
    staged["unpublished"] = pending
    staged["has_unpublished"] = bool(pending)
    if pending:
        at = (previous or {}).get(STAGED_AT) if carried else (time.time() if now is None else now)
        if at is not None:
            staged[STAGED_AT] = at
    return staged


def pending(doc: Doc) -> list[Event]:
    """The events ``doc`` holds that JetStream has not confirmed."""
    return load_events(doc.get("unpublished", []))


def published(collection: str, doc: Doc) -> Update | None:
    """The update forgetting ``doc``'s unpublished events unless a newer version was saved meanwhile
    (None when it holds none). A newer version carries the events over, and its own commit (or the
    sweep) clears them."""
    if not doc.get("has_unpublished"):
        return None
    return Update(
        collection,
        doc["_id"],
        {"version": doc["version"]},
        {"unpublished": [], "has_unpublished": False, STAGED_AT: None},
    )


async def mark_published(store: DocumentStore, collection: str, doc: Doc) -> None:
    """Forget ``doc``'s unpublished events, unless a newer version was saved meanwhile."""
    if (update := published(collection, doc)) is not None:
        await store.update_where(update.collection, update.key, update.where, update.changes)


def staged_at(doc: Doc) -> float | None:
    """When ``doc``'s oldest unpublished event was staged (epoch seconds), or None if unknown."""
    at = doc.get(STAGED_AT)
    return float(at) if isinstance(at, int | float) and not isinstance(at, bool) else None


async def unpublished(
    store: DocumentStore, collections: Iterable[str], staged_before: float | None = None
) -> list[tuple[str, Doc]]:
    """Every (collection, document) holding events that were saved but not confirmed.

    ``staged_before`` (epoch seconds): only those whose events were staged at or before it, or at an
    unknown time. The age is filtered here, after the indexed ``has_unpublished`` lookup: the
    documents it finds are few, and a range filter on the stamp would need a second query for the
    documents without one.
    """
    found: list[tuple[str, Doc]] = []
    for collection in collections:
        for doc in await store.find(collection, {"has_unpublished": True}):
            at = staged_at(doc)
            if staged_before is None or at is None or at <= staged_before:
                found.append((collection, doc))
    return found
