"""Payloads and the scheduling handlers over the in-memory store, committed by the real unit of work."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from prometheus_client import CollectorRegistry

from services.scheduling import handlers
from services.scheduling.adapters.repository import CONFERENCES, ConferenceRepository
from services.scheduling.adapters.units_file import load_units
from services.scheduling.deps import Deps
from services.scheduling.domain import DEFAULT_RULES, ReminderPolicy
from services.scheduling.metrics import SchedulingMetrics
from shared import refusals
from shared.contracts.base import CommandResult, Event
from shared.unit_of_work import Outcome, Publish, UnitOfWork
from tests.fakes import InMemoryStore

NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # 09:00 on 02/11/2026 in Hà Nội
Handler = Callable[[Deps, Any], Awaitable[Outcome[CommandResult]]]


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class Published:
    def __init__(self) -> None:
        self.events: list[Event] = []

    async def __call__(self, events: Sequence[Event]) -> None:
        self.events.extend(events)


class Bed:
    """The handlers as the host runs them: payload validated, outcome committed, events published."""

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store or InMemoryStore()
        self.clock = Clock(NOW)
        self.published = Published()
        self.uow = self.unit_of_work(self.published)
        self.registry = CollectorRegistry()
        self.metrics = SchedulingMetrics(self.registry)
        self.deps = Deps(
            ConferenceRepository(self.store), load_units(), DEFAULT_RULES, ReminderPolicy(), self.metrics,
            self.clock,
        )  # fmt: skip

    def unit_of_work(self, publish: Publish) -> UnitOfWork:
        return UnitOfWork(lambda: self.store, publish, {CONFERENCES})

    async def run(
        self, handler: Handler, payload: dict[str, Any], now: dt.datetime = NOW
    ) -> Outcome[CommandResult]:
        """``payload`` validated against the handler's command model, decided at ``now``, committed."""
        self.clock.now = now
        model = typing.get_type_hints(handler)["c"]
        outcome = await handler(self.deps, refusals.parse(model, payload))
        await self.uow.commit([outcome])
        return outcome

    async def sweep(self, now: dt.datetime, publish: Publish | None = None) -> int:
        """One reminder sweep then one outbox sweep, as the host runs them; how many events went out."""
        self.clock.now = now
        before = len(self.published.events)
        uow = self.uow if publish is None else self.unit_of_work(publish)
        await uow.commit_each(await handlers.remind(self.deps))
        await self.uow.sweep()
        return len(self.published.events) - before


def replayed(outcome: Outcome[CommandResult]) -> bool:
    assert outcome.reply is not None
    assert isinstance(outcome.reply.data, dict)
    return bool(outcome.reply.data["replayed"])


def plan_payload(conference_id: str = "c-1", **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "command_id": f"{conference_id}/plan",
        "conference_id": conference_id,
        "title": "Hội nghị đối thoại với nhân dân xã Bình Lục",
        "unit_code": "binh-luc-xa",
        "starts_at": "2026-12-05T08:00:00+07:00",
        "ends_at": "2026-12-05T11:00:00+07:00",
        "chairs": [{"name": "Nguyễn Văn An", "title": "Bí thư Đảng ủy xã"}],
        "participant_groups": ["cadres_party_members", "citizens"],
        "venue": "Hội trường UBND xã Bình Lục",
    }
    payload.update(overrides)
    return payload


def cmd(conference_id: str, command_id: str, **fields: Any) -> dict[str, Any]:
    return {"command_id": command_id, "conference_id": conference_id, **fields}
