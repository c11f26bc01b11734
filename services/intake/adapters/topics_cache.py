"""The per-process cache of conference topics that grouping compares a new opinion with.

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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.intake import domain as d
from services.intake.adapters.repository import OpinionRepository


@dataclass
class ConferenceTopics:
    """The topics of one conference as this process last saw them, and how many opinions they hold."""

    groups: list[d.TopicGroup] = field(default_factory=list)
    opinions: int = 0
    last_seq: int = 0  # the highest conference sequence number recorded

    @property
    def next_seq(self) -> int:
        return max(self.opinions, self.last_seq) + 1

    def copies(self) -> list[d.TopicGroup]:
        """Groups to assign into: the opinion is not recorded yet, and may never be (a conflict)."""
        return [d.TopicGroup(g.group_id, g.field, list(g.members)) for g in self.groups]


class TopicsCache:
    """Per-process topics of the conferences seen recently (bounded)."""

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = capacity
        self._by_conference: dict[str, ConferenceTopics] = {}

    def get(self, conference_id: str) -> ConferenceTopics | None:
        return self._by_conference.get(conference_id)

    def drop(self, conference_id: str) -> None:
        self._by_conference.pop(conference_id, None)

    def put(self, conference_id: str, topics: ConferenceTopics) -> None:
        self._by_conference.pop(conference_id, None)
        self._by_conference[conference_id] = topics
        while len(self._by_conference) > self.capacity:
            self._by_conference.pop(next(iter(self._by_conference)))

    async def current(self, repo: OpinionRepository, conference_id: str) -> ConferenceTopics:
        """The conference's topics as recorded: the cached ones if no opinion was recorded since."""
        recorded = await repo.count({"conference_id": conference_id})
        cached = self.get(conference_id)
        if cached is None or cached.opinions != recorded:
            groups = d.topics_of(await repo.find({"conference_id": conference_id}))
            cached = ConferenceTopics(groups, recorded, await repo.last_conference_seq(conference_id))
            self.put(conference_id, cached)
        return cached

    def remember(self, opinion: d.Opinion, seq: int | None) -> None:
        """After the opinion was recorded: add it to the cached topics of its conference."""
        if opinion.conference_id is None:
            return
        topics = self.get(opinion.conference_id)
        if topics is None:
            return
        topics.last_seq = max(topics.last_seq, seq or 0)
        member = d.candidate(opinion)
        group_id = opinion.topic_group_id or opinion.id
        for group in topics.groups:
            if group.group_id == group_id:
                group.members.append(member)
                break
        else:
            topics.groups.append(d.TopicGroup(group_id, opinion.field, [member]))
        topics.opinions += 1
