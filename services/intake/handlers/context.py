"""What every intake handler needs: the repository, the rules and the policies."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from services.intake.adapters.repository import OpinionRepository
from services.intake.domain import GroupingPolicy, IntakePolicy, RuleSet
from services.intake.handlers.topics_cache import TopicsCache
from services.intake.validation import MAX_PAYLOAD_BYTES
from shared.workdays import WorkCalendar

# The conference (dict with level, unit_code...) or None when it does not exist; raises
# ``TransientError`` when that cannot be known right now.
ConferenceLookup = Callable[[str], Awaitable[dict[str, Any] | None]]


class KeyedLocks:
    """One asyncio lock per key: JetStream hands a consumer its fetched batch concurrently, and
    grouping must see the opinions of the same conference that were recorded just before."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}

    def __call__(self, key: str) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())


@dataclass(frozen=True)
class IntakeContext:
    """Dependencies of the handlers, built once by the app (or by a test with fakes)."""

    repo: OpinionRepository
    rules: RuleSet
    calendar: WorkCalendar
    known_sources: frozenset[str]
    conferences: ConferenceLookup
    policy: IntakePolicy = field(default_factory=IntakePolicy)
    grouping: GroupingPolicy = field(default_factory=GroupingPolicy)
    max_payload: int = MAX_PAYLOAD_BYTES
    conference_lock: KeyedLocks = field(default_factory=KeyedLocks)
    topics: TopicsCache = field(default_factory=TopicsCache)
