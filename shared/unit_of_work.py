"""One unit of work for every service, run by the host: save state and outbox, publish, confirm.

A handler loads through its repository, calls the domain and returns an ``Outcome``: the documents
it changed (``Change``), the events to publish, and the reply for a command. It never saves or
publishes itself. The host then:

1. saves every change with its events in the outbox (``shared.outbox``), optimistically by version;
2. publishes the events and waits for JetStream's PubAcks;
3. clears the outbox's unpublished events; only then is the message acked (or the reply sent).

A concurrent save (``ConcurrencyConflict``) re-runs the handler on the fresh state; a publish that
fails leaves the events in the outbox, where the host's sweep finds them, and the message is
redelivered, finds its cause in the outbox and re-publishes the same ids.

``commit`` takes a sequence of outcomes, so a batched consumer can later commit a fetched batch with
one call without touching the handlers.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from shared import failpoints, outbox
from shared.contracts.base import Event
from shared.errors import TransientError
from shared.storage.port import ConcurrencyConflict, Doc, DocumentStore

log = logging.getLogger(__name__)
T = TypeVar("T")
Publish = Callable[[Sequence[Event]], Awaitable[None]]
ATTEMPTS = 3  # a handler re-run on the fresh state after a concurrent save


@dataclass(frozen=True)
class Change:
    """A document to save: its new state, the version it was loaded from, and the events it caused.

    ``previous`` is the stored document the state was computed from (None for a new document); its
    version and outbox are carried over. ``cause`` is the id of the message or command: its events
    are kept so a redelivery can be answered with ``outbox.replay``.
    """

    collection: str
    doc: Doc
    previous: Doc | None = None
    events: Sequence[Event] = ()
    cause: str | None = None


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a handler decided: documents to save, events to publish, the reply to a command.

    ``events`` are published without a state change (a replay of a redelivered cause, a
    submission's outcome); ``after_commit`` runs once everything was saved and published (caches).
    """

    changes: Sequence[Change] = ()
    events: Sequence[Event] = ()
    reply: T | None = None
    after_commit: Callable[[], None] | None = None

    @property
    def all_events(self) -> list[Event]:
        return [*(e for c in self.changes for e in c.events), *self.events]


@dataclass
class UnitOfWork:
    """Commits outcomes against one store and one publisher; sweeps what was left unconfirmed."""

    store: Callable[[], DocumentStore]
    publish: Publish
    collections: set[str] = field(default_factory=set)  # where the sweep looks

    async def commit(self, outcomes: Sequence[Outcome[Any]]) -> None:
        """Save every change, publish every event in order, then clear the outboxes."""
        store = self.store()
        saved: list[tuple[str, Doc]] = []
        events: list[Event] = []
        for outcome in outcomes:
            for change in outcome.changes:
                doc = outbox.stage(change.doc, change.previous, change.cause, change.events)
                await store.save(change.collection, doc)
                self.collections.add(change.collection)
                saved.append((change.collection, doc))
                # Events an earlier version left unconfirmed go out first: clearing the outbox
                # below forgets them too.
                events += outbox.pending(change.previous or {}) + list(change.events)
            events += outcome.events
        if saved and events:
            failpoints.reached(failpoints.AFTER_SAVE)
        await self.publish(events)
        for collection, doc in saved:
            await outbox.mark_published(store, collection, doc)
        for outcome in outcomes:
            if outcome.after_commit is not None:
                outcome.after_commit()

    async def run(self, decide: Callable[[], Awaitable[Any]], what: str = "the change") -> Any:
        """Call a handler and commit its ``Outcome``; answer its reply (anything else passes through).

        A concurrent save re-runs the handler on the fresh state, up to ``ATTEMPTS`` times.
        """
        for attempt in range(ATTEMPTS):
            result = await decide()
            if not isinstance(result, Outcome):
                return result
            try:
                await self.commit([result])
            except ConcurrencyConflict:
                log.info(
                    "concurrent change while committing %s (attempt %d); deciding again", what, attempt + 1
                )
                continue
            return result.reply
        raise TransientError(f"{what} kept changing concurrently; it will be tried again")

    async def commit_each(
        self, outcomes: Sequence[Outcome[Any]], what: str = "a sweep's change"
    ) -> list[Event]:
        """Commit a sweep's outcomes one by one; one that lost to a concurrent save is skipped.

        Another replica's sweep or an operator's command changed that document first; the next
        sweep decides again on the fresh state. Returns the events that went out.
        """
        published: list[Event] = []
        for outcome in outcomes:
            try:
                await self.commit([outcome])
            except ConcurrencyConflict:
                log.info("%s lost to a concurrent save; the next sweep looks again", what)
                continue
            published += outcome.all_events
        return published

    async def sweep(self, collections: Iterable[str] = ()) -> int:
        """Publish what was saved and never confirmed (a process died between save and PubAck)."""
        store = self.store()
        published = 0
        for collection, doc in await outbox.unpublished(store, {*self.collections, *collections}):
            events = outbox.pending(doc)
            await self.publish(events)
            await outbox.mark_published(store, collection, doc)
            published += len(events)
        if published:
            log.info("outbox sweep re-published %d event(s) saved before a failed publish", published)
        return published
