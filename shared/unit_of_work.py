"""One unit of work for every service, run by the host: save state and outbox, publish, confirm.

A handler loads through its repository, calls the domain and returns an ``Outcome``: the documents
it changed (``Change``), the events to publish, and the reply for a command. It never saves or
publishes itself. The host then:

1. saves every change with its events in the outbox (``shared.outbox``), optimistically by version;
2. publishes the events and waits for JetStream's PubAcks;
3. clears the outbox's unpublished events; only then is the message acked (or the reply sent).

A concurrent save (``ConcurrencyConflict``) re-runs the handler on the fresh state; a publish that
fails leaves the events in the outbox, where the host's sweep finds them, and the message is
redelivered, finds its cause in the outbox and re-publishes the same ids. The sweep leaves alone the
events staged less than ``sweep_min_age`` seconds ago (``outbox.stage`` records when): a unit of work
that saved them may still be publishing them, and a second publish of the same ids while JetStream
processes the first only makes a clustered stream answer 409 ("duplicate message id is in process").

Batches: a JetStream consumer's fetched messages are handled concurrently, each with its own
metrics, span and ack policy (``shared.batch_consumer``). With ``batch_size`` above 1, the outcomes
that the handlers of one loop turn return (or of ``batch_wait`` seconds) are committed together
(``commit_batch``): one store call for their states (``DocumentStore.save_batch``: a transaction on
SQLite, bulk writes on MongoDB), one publish of all their events with the PubAcks awaited
together, one store call clearing the outboxes. Each handler then returns on its own, so each
message is acked, nacked or dead-lettered on its own. A change that conflicts fails only its
own outcome, whose handler runs again on the fresh state (in a later batch); a handler that raises
never reaches the batch; the others are committed.

Chains: outcomes with the same ``Outcome.chain`` were decided one after the other, each against
the ones before it (intake: a conference's new opinions, grouped against the earlier ones and
numbered after them). In one batch they are saved as one group, in the order they were handed in,
so a later one is never saved without the earlier ones (SQLite: all or none; MongoDB: one ordered
bulk write, stopping at the first document that fails). Each outcome gets its own answer from how
far the group got (the refusal's ``SaveRefused.written``): an outcome whose documents were all
written before the refused one is committed (published, confirmed, its message acked); the outcome
holding the refused document and every later one of the chain get the refusal and run again. On
SQLite nothing of a refused group is written, so all of its outcomes fail. An outcome of several
changes whose first documents were written before the refused one is not committed either: those
documents stay saved with their events unpublished in their outbox, the sweep publishes them once
they are ``sweep_min_age`` old, and a conflict runs its handler again on the state they hold.
``open_batch()`` tells a handler whether an earlier outcome is still in the batch its own would join.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from shared import failpoints, outbox
from shared.contracts.base import Event
from shared.errors import TransientError
from shared.storage.port import ConcurrencyConflict, Doc, DocumentStore, DuplicateKey, Saved, SaveRefused

log = logging.getLogger(__name__)
T = TypeVar("T")
Publish = Callable[[Sequence[Event]], Awaitable[None]]
ATTEMPTS = 3  # a handler re-run on the fresh state after a concurrent save
# Failpoints (``shared.failpoints``) of a batch of several outcomes, for the fault tests: their
# states saved, nothing published yet; their events published (if any), the outboxes not cleared
# and no message acked yet.
AFTER_BATCH_SAVE = "after-batch-save"
AFTER_BATCH_PUBLISH = "after-batch-publish"


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
    chain: str | None = None  # saved in one group with its batch's other outcomes of the chain

    @property
    def all_events(self) -> list[Event]:
        return [*(e for c in self.changes for e in c.events), *self.events]


@dataclass
class _Waiting:
    """An outcome waiting for its batch: the handler's context (its span, its log correlation)."""

    outcome: Outcome[Any]
    done: asyncio.Future[None]
    context: contextvars.Context


async def _save(
    store: DocumentStore, groups: Sequence[Sequence[Saved]], chained: bool = False
) -> list[Exception | None]:
    """``store.save_batch``; one group (one message's commit) is saved as it always was, document by
    document, unless it holds a chain of several outcomes (``save_batch`` saves it as one)."""
    if len(groups) > 1 or chained:
        return await store.save_batch(groups)
    try:
        for collection, doc in groups[0]:
            await store.save(collection, doc)
    except (ConcurrencyConflict, DuplicateKey) as exc:
        return [exc]
    return [None]


def _answers(
    groups: Sequence[Sequence[int]], sizes: Sequence[int], answers: Sequence[Exception | None]
) -> dict[int, Exception | None]:
    """Each writing outcome's answer from its save group's: committed when every document of it was
    written before the refused one (``SaveRefused.written``), else the group's refusal."""
    results: dict[int, Exception | None] = {}
    for group, refused in zip(groups, answers, strict=True):
        written = refused.written if isinstance(refused, SaveRefused) else 0
        for i in group:
            if refused is None or written >= sizes[i]:
                results[i] = None
                written -= sizes[i]
            else:  # this outcome holds the refused document, or comes after it
                results[i] = refused
                written = 0
    return results


def _chained(outcomes: Sequence[Outcome[Any]], writing: Sequence[int]) -> list[list[int]]:
    """The save groups of a batch: each writing outcome alone, except a chain's, together in order."""
    groups: list[list[int]] = []
    of_chain: dict[str, list[int]] = {}
    for i in writing:
        chain = outcomes[i].chain
        if chain is not None and chain in of_chain:
            of_chain[chain].append(i)
            continue
        groups.append([i])
        if chain is not None:
            of_chain[chain] = groups[-1]
    return groups


@dataclass
class UnitOfWork:
    """Commits outcomes against one store and one publisher; sweeps what was left unconfirmed.

    ``batch_size`` is how many outcomes of concurrent consumer handlers one commit takes at most
    (1: each is committed on its own); ``batch_wait`` the seconds the first of them waits for
    others (0: until the end of the event loop's turn, when every handler of a fetched batch that
    did not wait for I/O has decided). ``publish_in_context``: publish each outcome's events in its
    handler's context (tracing: each event's span is a child of its own message's span).
    """

    store: Callable[[], DocumentStore]
    publish: Publish
    collections: set[str] = field(default_factory=set)  # where the sweep looks
    batch_size: int = 1
    batch_wait: float = 0.0
    publish_in_context: bool = False
    # Called with the number of outcomes each commit confirmed (the batch-size histogram).
    observe_batch: Callable[[int], None] | None = None
    # The sweep leaves events staged less than this many seconds ago to the unit of work publishing
    # them (0: it publishes every unconfirmed event); ``clock`` is the wall clock (epoch seconds)
    # that stamps and ages them, so that one replica's sweep can age another replica's events.
    sweep_min_age: float = 0.0
    clock: Callable[[], float] = time.time
    _waiting: list[_Waiting] = field(default_factory=list, init=False, repr=False)
    _batch: object = field(default_factory=object, init=False, repr=False)  # what ``_waiting`` forms
    _timer: asyncio.Handle | None = field(default=None, init=False, repr=False)
    _flushing: set[asyncio.Task[None]] = field(default_factory=set, init=False, repr=False)

    async def commit(self, outcomes: Sequence[Outcome[Any]]) -> None:
        """Commit ``outcomes`` together (see ``commit_batch``); raise the first one's failure."""
        for failure in await self.commit_batch(outcomes):
            if failure is not None:
                raise failure

    async def commit_batch(
        self, outcomes: Sequence[Outcome[Any]], contexts: Sequence[contextvars.Context] | None = None
    ) -> list[BaseException | None]:
        """Save every outcome's changes, publish their events in order, then clear the outboxes.

        Returns, per outcome, None when it was committed, or why not: a ``ConcurrencyConflict`` or
        ``DuplicateKey`` of one of its changes or of an earlier outcome of its chain (nothing of it
        was saved, except, on MongoDB, documents of it before the refused one: their events wait in
        their outbox for the sweep), or the publish's failure (saved, not confirmed: the outbox
        keeps its events). A store that cannot be reached raises.
        ``contexts`` (one per outcome): publish each outcome's events in its own context.
        """
        store = self.store()
        now = self.clock()
        staged: list[list[Saved]] = []
        for outcome in outcomes:
            staged.append(
                [
                    (c.collection, outbox.stage(c.doc, c.previous, c.cause, c.events, now=now))
                    for c in outcome.changes
                ]
            )
        results: list[BaseException | None] = [None] * len(outcomes)
        writing = [i for i, docs in enumerate(staged) if docs]
        if writing:
            groups = _chained(outcomes, writing)
            answers = await _save(
                store, [[d for i in g for d in staged[i]] for g in groups], any(len(g) > 1 for g in groups)
            )
            for i, answer in _answers(groups, [len(docs) for docs in staged], answers).items():
                results[i] = answer
            self.collections.update(c for i in writing for c, _ in staged[i])
        events: list[list[Event]] = []
        for outcome, result in zip(outcomes, results, strict=True):
            mine: list[Event] = []
            if result is None:
                for change in outcome.changes:
                    # Events an earlier version left unconfirmed go out first: clearing the outbox
                    # below forgets them too.
                    mine += outbox.pending(change.previous or {}) + list(change.events)
                mine += outcome.events
            events.append(mine)
        saved = sum(1 for i in writing if results[i] is None)
        if saved and any(events):
            failpoints.reached(failpoints.AFTER_SAVE)
        if saved > 1:
            failpoints.reached(AFTER_BATCH_SAVE)
        for i, unconfirmed in enumerate(await self._publish(events, contexts)):
            if unconfirmed is not None and results[i] is None:
                results[i] = unconfirmed
        if saved > 1:
            failpoints.reached(AFTER_BATCH_PUBLISH)
        confirmed = [i for i, result in enumerate(results) if result is None]
        clear = [u for i in confirmed for c, d in staged[i] if (u := outbox.published(c, d)) is not None]
        if len(clear) == 1:  # one message's commit: as it always was, one statement
            await store.update_where(clear[0].collection, clear[0].key, clear[0].where, clear[0].changes)
        elif clear:
            await store.update_batch(clear)
        for i in confirmed:
            hook = outcomes[i].after_commit
            if hook is not None:
                hook()
        if confirmed and self.observe_batch is not None:
            self.observe_batch(len(confirmed))
        return results

    async def _publish(
        self, events: Sequence[Sequence[Event]], contexts: Sequence[contextvars.Context] | None
    ) -> list[BaseException | None]:
        """Publish every outcome's events; per outcome, the failure that kept them unconfirmed."""
        if contexts is None or not self.publish_in_context:
            try:
                await self.publish([e for mine in events for e in mine])
            except Exception as exc:
                return [exc if mine else None for mine in events]
            return [None] * len(events)
        sending = [i for i, mine in enumerate(events) if mine]
        sends = [contexts[i].run(asyncio.ensure_future, self.publish(events[i])) for i in sending]
        failures: list[BaseException | None] = [None] * len(events)
        for i, outcome in zip(sending, await asyncio.gather(*sends, return_exceptions=True), strict=True):
            if isinstance(outcome, BaseException):
                if not isinstance(outcome, Exception):
                    raise outcome  # cancelled: the batch's messages stay unacked and come back
                failures[i] = outcome
        return failures

    def open_batch(self) -> object:
        """The batch an outcome handed to ``run(batched=True)`` now would join: the same object until
        that batch is taken for its commit (a new object on every call when outcomes commit alone)."""
        return self._batch if self.batch_size > 1 else object()

    async def run(
        self, decide: Callable[[], Awaitable[Any]], what: str = "the change", *, batched: bool = False
    ) -> Any:
        """Call a handler and commit its ``Outcome``; answer its reply (anything else passes through).

        ``batched``: commit it with the outcomes of concurrent handlers (see the module). A
        concurrent save re-runs the handler on the fresh state, up to ``ATTEMPTS`` times.
        """
        for attempt in range(ATTEMPTS):
            result = await decide()
            if not isinstance(result, Outcome):
                return result
            try:
                if batched and self.batch_size > 1:
                    await self._in_batch(result)
                else:
                    await self.commit([result])
            except ConcurrencyConflict:
                log.info(
                    "concurrent change while committing %s (attempt %d); deciding again", what, attempt + 1
                )
                continue
            return result.reply
        raise TransientError(f"{what} kept changing concurrently; it will be tried again")

    async def _in_batch(self, outcome: Outcome[Any]) -> None:
        """Wait for ``outcome``'s batch to be committed; raise its own failure."""
        loop = asyncio.get_running_loop()
        waiting = _Waiting(outcome, loop.create_future(), contextvars.copy_context())
        self._waiting.append(waiting)
        if len(self._waiting) >= self.batch_size:
            self._flush()
        elif self._timer is None:
            if self.batch_wait > 0:
                self._timer = loop.call_later(self.batch_wait, self._flush)
            else:
                self._timer = loop.call_soon(self._flush)
        await waiting.done

    def _flush(self) -> None:
        """Commit what waits, in a task of its own (the handlers wait for their futures)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._waiting = self._waiting, []
        if batch:
            self._batch = object()
            task = asyncio.ensure_future(self._commit_waiting(batch))
            self._flushing.add(task)
            task.add_done_callback(self._flushing.discard)

    async def _commit_waiting(self, batch: Sequence[_Waiting]) -> None:
        outcomes = [w.outcome for w in batch]
        try:
            results = await self.commit_batch(outcomes, [w.context for w in batch])
        except asyncio.CancelledError:
            for w in batch:
                w.done.cancel()
            raise
        except Exception as exc:  # the store could not be reached: nothing of the batch is confirmed
            results = [exc] * len(batch)
        for w, failure in zip(batch, results, strict=True):
            if w.done.done():  # its handler was cancelled meanwhile: its message comes back
                continue
            if failure is None:
                w.done.set_result(None)
            else:
                w.done.set_exception(failure)

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
        """Publish what was saved and never confirmed (a process died between save and PubAck).

        Events staged less than ``sweep_min_age`` seconds ago are left to the unit of work that is
        publishing them (a later sweep takes them if it does not); a document saved before their
        staging time was recorded has none, and is swept at once. The stamp may come from another
        replica's wall clock: one running ahead of this one's delays the sweep of its events by as
        much.
        """
        store = self.store()
        published = 0
        staged_before = self.clock() - self.sweep_min_age if self.sweep_min_age > 0 else None
        unconfirmed = await outbox.unpublished(store, {*self.collections, *collections}, staged_before)
        for collection, doc in unconfirmed:
            events = outbox.pending(doc)
            await self.publish(events)
            await outbox.mark_published(store, collection, doc)
            published += len(events)
        if published:
            log.info("outbox sweep re-published %d event(s) saved before a failed publish", published)
        return published
