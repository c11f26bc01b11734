"""The per-process cache of conference topics used by grouping (see handlers.grouping)."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.intake import domain as d


@dataclass
class ConferenceTopics:
    """The topics of one conference as this process last saw them, and how many opinions they hold."""

    groups: list[d.TopicGroup] = field(default_factory=list)
    opinions: int = 0
    last_seq: int = 0  # the highest conference sequence number recorded (see handlers.grouping)

    @property
    def next_seq(self) -> int:
        return max(self.opinions, self.last_seq) + 1


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
