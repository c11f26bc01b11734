"""The per-process topics of each conference that grouping compares a new opinion with, recorded and
in flight.

Grouping compares the new opinion with every opinion already recorded for its conference. Reading
and decoding all those documents for every new opinion made intake quadratic in the conference's
size (the benchmark's top cost), so each process keeps the conference's topics in memory and checks
them against the store with one indexed count: if another replica recorded opinions meanwhile, the
count differs and the topics are reloaded from the store.

Across replicas, the count and the insert are two steps, and another replica may record an opinion
of the same conference between them. So each opinion of a conference is recorded with the next
sequence number of the conference (``conference_seq``, unique per conference in the store): of two
replicas grouping against the same topics, only one can record; the other's insert is a conflict,
the host runs its handler again, the count has changed, and it groups against what is now recorded.

In flight. The opinions of one conference that a fetched batch brings are decided one after the
other and committed together. ``reserve`` groups an opinion against the conference's recorded
opinions and the ones decided before it and not yet committed (in flight), and takes the next
sequence number, both in the cached topics; the handler then hands its outcome to the unit of work
in the same step (no await in between), under the conference's chain (``Outcome.chain``), so the
in-flight opinions of one batch are saved as one group in the order they were decided. An opinion
is decided against in-flight ones only while those still wait in the batch its own outcome joins
(``UnitOfWork.open_batch``) and the store holds as many opinions as the cache counts; otherwise
(their batch is being committed, or another replica recorded meanwhile, or it is one of them
delivered again) it waits until they are committed or have failed (``decidable``). So the in-flight
opinions of a conference are always in one batch. A committed one is confirmed (``after_commit``);
one whose commit failed (conflict, store, publish, a cancelled handler: see ``Reservations``) drops
the conference's topics, and the next decision reloads them from the store.

Why what is recorded stays right. An opinion decided with sequence number n was grouped against
the topics the cache held (recorded opinions, numbered up to the cached count) and the in-flight
opinions of its own batch, which took the numbers just below n. The latter are in its save group
before it, so it is never recorded without them (SQLite: the group is all or none; MongoDB: saved in
order, stopping at the first failure); the former are recorded. Every number below n is taken by
one of those opinions, and numbers are unique per conference, so no other opinion can be recorded
below n: an opinion recorded with n was grouped against exactly the opinions recorded below n,
whatever failed around it. A stale cache (a decision against topics dropped meanwhile, or another
replica) only ever repeats a number that is taken, which the store refuses.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType

from services.intake import domain as d
from services.intake.adapters.repository import OpinionRepository

Batch = Callable[[], object]  # ``UnitOfWork.open_batch``: the batch an outcome handed in now joins


@dataclass
class ConferenceTopics:
    """The topics of one conference as this process sees them: recorded and in-flight members."""

    groups: list[d.TopicGroup] = field(default_factory=list)
    opinions: int = 0  # recorded (loaded, or confirmed since)
    last_seq: int = 0  # the highest conference sequence number recorded or reserved
    in_flight: dict[str, int] = field(default_factory=dict)  # opinion id → its reserved number
    batch: object | None = None  # the unit of work's batch the in-flight opinions wait in
    _settled: asyncio.Event | None = field(default=None, repr=False)

    @property
    def next_seq(self) -> int:
        return max(self.opinions + len(self.in_flight), self.last_seq) + 1

    def reserve(self, new: d.GroupCandidate, policy: d.GroupingPolicy, batch: object) -> tuple[str, int]:
        """The group ``new`` joins and its sequence number; it is in flight from now until committed."""
        chosen = d.assign_group(new, self.groups, policy)
        if all(group is not chosen for group in self.groups):
            self.groups.append(chosen)
        seq = self.next_seq
        self.last_seq = seq
        if not self.in_flight:
            self.batch = batch
        self.in_flight[new.opinion_id] = seq
        return chosen.group_id, seq

    def confirm(self, opinion_id: str) -> None:
        """After its commit: an in-flight opinion is recorded."""
        if self.in_flight.pop(opinion_id, None) is not None:
            self.opinions += 1
        if not self.in_flight:
            self._wake()

    async def settled(self) -> None:
        """Wait until no opinion is in flight (all committed, or the topics dropped after a failure)."""
        if not self.in_flight:
            return
        if self._settled is None:
            self._settled = asyncio.Event()
        await self._settled.wait()

    def _wake(self) -> None:
        if self._settled is not None:
            self._settled.set()
            self._settled = None


class TopicsCache:
    """Per-process topics of the conferences seen recently (bounded; those in flight are kept)."""

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = capacity
        self._by_conference: dict[str, ConferenceTopics] = {}

    def get(self, conference_id: str) -> ConferenceTopics | None:
        return self._by_conference.get(conference_id)

    def drop(self, conference_id: str, topics: ConferenceTopics | None = None) -> None:
        """Forget the conference's topics (only ``topics``, if given); their waiters reload."""
        cached = self._by_conference.get(conference_id)
        if cached is not None and (topics is None or cached is topics):
            del self._by_conference[conference_id]
        if topics is not None:
            topics.in_flight.clear()
            topics._wake()

    def put(self, conference_id: str, topics: ConferenceTopics) -> None:
        self._by_conference.pop(conference_id, None)
        self._by_conference[conference_id] = topics
        idle = [key for key, cached in self._by_conference.items() if not cached.in_flight]
        for key in idle[: max(0, len(self._by_conference) - self.capacity)]:
            del self._by_conference[key]

    async def decidable(
        self, repo: OpinionRepository, conference_id: str, opinion_id: str, batch: Batch
    ) -> ConferenceTopics | None:
        """The topics to decide ``opinion_id`` against now; None when it was itself in flight.

        None: another delivery of the same opinion was in flight and is committed or has failed
        now; look the opinion up again. The caller must ``reserve`` before its next await.
        """
        recorded: int | None = await repo.count({"conference_id": conference_id})
        while True:
            cached = self.get(conference_id)
            if cached is not None and cached.in_flight:
                if opinion_id in cached.in_flight:
                    await cached.settled()
                    return None
                changed = recorded is not None and cached.opinions != recorded
                if changed or cached.batch is not batch():
                    await cached.settled()
                    # Waiting for this process's own batch: what changed since is what it committed
                    # (counted by the confirmations) or dropped, so the waiters decide at once, in
                    # one step and one batch; a store that moved under the cache is counted again.
                    recorded = await repo.count({"conference_id": conference_id}) if changed else None
                    continue
                return cached
            if cached is None or (recorded is not None and cached.opinions != recorded):
                # The highest number first: an opinion recorded between the two reads is then among
                # the loaded ones and numbered below the next, or its number is reserved again and
                # the insert conflicts; read the other way round it could be numbered past, unseen.
                last = await repo.last_conference_seq(conference_id)
                opinions = await repo.find({"conference_id": conference_id})
                if self.get(conference_id) is not cached:  # another decision loaded them meanwhile
                    continue
                cached = ConferenceTopics(d.topics_of(opinions), len(opinions), last)
                self.put(conference_id, cached)
            return cached

    def reservations(self, batch: Batch = object) -> Reservations:
        """The scope of one message's handling (``batch``: how its outcome is committed)."""
        return Reservations(self, batch)


@dataclass
class Reservation:
    """One opinion decided in flight: confirmed by its commit, else dropped with its topics."""

    cache: TopicsCache
    conference_id: str
    topics: ConferenceTopics
    opinion_id: str
    confirmed: bool = False

    def confirm(self) -> None:
        self.confirmed = True
        self.topics.confirm(self.opinion_id)

    def fail(self) -> None:
        if not self.confirmed:
            self.cache.drop(self.conference_id, self.topics)


class Reservations:
    """What one message's handling reserved; whatever its commit did not confirm is failed.

    The subscriber opens it around ``host.uow.run(...)``. The unit of work runs the handler again
    only after its outcome failed, and the scope closes after the commit or its failure (a
    cancelled handler included), so ``retry`` (at the start of each decision) and the close fail
    every reservation not confirmed.
    """

    def __init__(self, cache: TopicsCache, batch: Batch) -> None:
        self.cache = cache
        self.batch = batch
        self._held: list[Reservation] = []

    def hold(self, reservation: Reservation) -> None:
        self._held.append(reservation)

    def retry(self) -> None:
        """The handler runs again: what it reserved before was not committed."""
        for reservation in self._held:
            reservation.fail()
        self._held.clear()

    async def __aenter__(self) -> Reservations:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.retry()
