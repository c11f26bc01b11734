"""The intake handlers over the in-memory store, committed by the shared unit of work as the host does."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from pydantic import BaseModel

from services.intake import domain as d
from services.intake import handlers, queries
from services.intake.adapters.rules_file import load_rules
from services.intake.deps import Deps
from services.intake.handlers import Submitted
from shared import conference_snapshot, refusals
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts.base import Event
from shared.contracts.intake_commands import (
    ListOpinions,
    ReclassifyOpinion,
    ReportOpinions,
    ShowOpinion,
    SubmitDeskOpinion,
)
from shared.storage import DocumentStore
from shared.storage.port import Doc
from shared.unit_of_work import UnitOfWork
from tests.fakes import InMemoryStore

NOW = dt.datetime(2023, 12, 20, 2, 0, tzinfo=dt.UTC)
CONFERENCE = "hn-2023-dong-du"
SNAPSHOT = ConferenceSnapshot(
    conference_id=CONFERENCE, title="Hội nghị Đồng Du", unit_code="xa-dong-du", level="commune",
    starts_at=NOW, ends_at=NOW + dt.timedelta(hours=3),
)  # fmt: skip


class Intake:
    """One intake process: its deps (its own topics cache) and a unit of work on ``store``."""

    def __init__(self, store: DocumentStore, conference_known: bool) -> None:
        self.deps = Deps(store=store, rules=load_rules(), known_sources=frozenset({"demo-portal", "hotline"}))
        self.repo = self.deps.repo
        self.published: list[Event] = []
        self.uow = UnitOfWork(lambda: store, self._publish)
        self._conference_known = conference_known

    async def _publish(self, events: Sequence[Event]) -> None:
        self.published.extend(events)

    async def run(self, decide: Callable[[], Awaitable[Any]]) -> tuple[Any, list[Event]]:
        """The handler's reply once committed, and the events that commit published."""
        if self._conference_known:  # scheduling's event reached the conference-snapshots consumer
            await self.uow.commit([await conference_snapshot.keep(self.deps.store, SNAPSHOT)])
            self._conference_known = False
        before = len(self.published)
        reply = await self.uow.run(decide)
        return reply, self.published[before:]


def make_context(
    store: InMemoryStore | DocumentStore | None = None, *, conference_known: bool = True
) -> Intake:
    return Intake(store or InMemoryStore(), conference_known)


async def submit_external(
    ctx: Intake, source: str, body: bytes, *, key: str, now: dt.datetime, deliveries: int = 1
) -> Submitted:
    async with ctx.deps.topics.reservations() as reserved:
        reply, _ = await ctx.run(
            lambda: handlers.submit_external(
                ctx.deps, reserved, source, body, key=key, now=now, deliveries=deliveries
            )
        )
    assert isinstance(reply, Submitted)
    return reply


async def submit_desk(
    ctx: Intake, body: dict[str, Any], now: dt.datetime
) -> tuple[Submitted, dict[str, Any]]:
    command = refusals.parse(SubmitDeskOpinion, body)
    async with ctx.deps.topics.reservations() as reserved:
        reply, _ = await ctx.run(lambda: handlers.submit_desk(ctx.deps, reserved, command, now))
    assert isinstance(reply, Submitted)
    assert reply.view is not None
    return reply, reply.view


async def reclassify(
    ctx: Intake, body: dict[str, Any], now: dt.datetime
) -> tuple[list[Event], dict[str, Any]]:
    command = refusals.parse(ReclassifyOpinion, body)
    view, events = await ctx.run(lambda: handlers.reclassify(ctx.deps, command, now))
    return events, view


_QUERIES: dict[str, tuple[Callable[[Deps, Any], Awaitable[Any]], type[BaseModel]]] = {
    "list": (queries.list_opinions, ListOpinions),
    "show": (queries.show, ShowOpinion),
    "report": (queries.report, ReportOpinions),
}


async def ask(ctx: Intake, verb: str, body: dict[str, Any]) -> Any:
    """A query as the host answers it: the payload validated with its contract, then the query."""
    query, model = _QUERIES[verb]
    return await query(ctx.deps, refusals.parse(model, body))


def payload(external_id: str = "dd-01", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": external_id,
        "kind": "recommendation",
        "content": "Đề nghị sớm có văn bản hướng dẫn quy trình đấu giá đất nông nghiệp sử dụng vào mục đích công ích.",
        "submitter": {"name": "Trần Thị Hoa", "role": "citizen", "residence": "thôn Đồng Du, xã Đồng Du"},
        "channel": "conference",
        "conference_id": CONFERENCE,
    }
    body.update(changes)
    return body


def raw(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def assert_grouped_in_sequence(docs: Sequence[Doc]) -> None:
    """A conference's opinions (``docs`` in sequence order) are numbered 1..n once each, and each is
    in the group that grouping it after the ones numbered below it gives: what one replica deciding
    one opinion at a time records."""
    assert [doc["conference_seq"] for doc in docs] == list(range(1, len(docs) + 1))
    groups: list[d.TopicGroup] = []
    for doc in docs:
        chosen = d.assign_group(d.candidate(d.Opinion.from_doc(doc)), groups)
        if all(group is not chosen for group in groups):
            groups.append(chosen)
        assert doc["topic_group_id"] == chosen.group_id, doc["external_id"]
