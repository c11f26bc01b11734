"""The outbox kept inside each aggregate document.

A handler stores the events it produced for a cause (the incoming message's id) in the same document
write as the state change. A redelivered cause finds its events there and re-publishes them with the
same ids, so JetStream's de-duplication and the consumers' own checks make the re-publish a no-op.
One document, one write: atomic on SQLite and on MongoDB alike, no transactions needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.contracts.base import Event
from shared.contracts.registry import dump_events, load_events

# Keep the outbox bounded: older causes are far outside any redelivery window.
MAX_CAUSES = 50


def replay(doc: dict[str, Any] | None, cause_id: str) -> list[Event] | None:
    """The events already produced for ``cause_id``, or None when it was never applied."""
    if doc is None:
        return None
    stored = doc.get("outbox", {}).get(cause_id)
    return None if stored is None else load_events(stored)


def record(doc: dict[str, Any], cause_id: str, events: Sequence[Event]) -> None:
    """Remember that ``cause_id`` produced ``events`` (mutates ``doc``)."""
    outbox: dict[str, Any] = doc.setdefault("outbox", {})
    outbox[cause_id] = dump_events(events)
    while len(outbox) > MAX_CAUSES:
        outbox.pop(next(iter(outbox)))
