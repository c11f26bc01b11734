"""An opinion's events applied together (one load, one save) give the record applied one at a time gives."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from typing import Any

import pytest

from services.portal import handlers
from services.portal.adapters import events
from services.portal.adapters.repository import OPINIONS, UNIT_AGENCIES, Lanes
from services.portal.deps import Deps
from services.portal.domain.opinion import Recorded, record, record_all
from services.portal.domain.requests import mark
from services.portal.domain.steps import Step
from shared.contracts.intake import Channel, OpinionClassified, OpinionKind, OpinionReceived
from shared.errors import TransientError
from shared.storage.port import Doc
from shared.unit_of_work import UnitOfWork
from tests.fakes import InMemoryStore

pytestmark = pytest.mark.unit

T0 = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
LOCAL = dt.timezone(dt.timedelta(hours=7))


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def path_events() -> list[Recorded]:
    """Received, classified, assigned (with an extension asked and granted), acknowledged, published."""
    assigned = Step("e-assigned", "assigned", at(2), agency="Sở Y tế", deadline=dt.date(2026, 12, 20))
    extended = Step("e-extended", "extended", at(5), deadline=dt.date(2026, 12, 30))
    published = Step("e-published", "published", at(9).astimezone(LOCAL), answer="Đã xử lý.", on_time=True)
    asked = mark("assignment.opinion.extension-requested", "e-asked", at(4), dt.date(2026, 12, 30))
    return [
        Recorded("e-received", at(0), {"tracking_code": "NB-1", "received_at": at(0).isoformat(),
                                        "content": "Đề nghị sửa đường."}, Step("e-received", "received", at(0))),
        Recorded("e-classified", at(1), {"field": "health", "unit_code": "ninh-binh"}),
        Recorded("e-assigned", at(2), {"agency_code": "so-y-te", "field": "health"}, assigned),
        Recorded("e-asked", at(4), {}, None, asked),
        Recorded("e-extended", at(5), {}, extended,
                 mark("assignment.opinion.deadline-extended", "e-extended", at(5))),
        Recorded("e-ack", at(1), {}, Step("e-ack", "acknowledged", at(1))),
        Recorded("e-ack-sms", at(1), {}, Step("e-ack-sms", "acknowledged", at(1))),  # a second one: no step
        Recorded("e-reclassified", at(0), {"field": "transport"}),  # older than the classification: ignored
        Recorded("e-published", at(9), {}, published),
    ]  # fmt: skip


def one_at_a_time(opinion_id: str, previous: Doc | None, recorded: list[Recorded]) -> Doc | None:
    doc = previous
    for r in recorded:
        doc = record(opinion_id, doc, r) or doc
    return doc


@pytest.mark.parametrize("split", [1, 2, 4, 9])
def test_events_applied_together_give_the_record_applied_one_at_a_time(split: int) -> None:
    recorded = path_events()
    for order in itertools.islice(itertools.permutations(recorded), 0, None, 997):  # 365 of the orders
        expected = one_at_a_time("op-1", None, list(order))
        doc: Doc | None = None
        for start in range(0, len(order), split):
            doc = record_all("op-1", doc, list(order[start : start + split]))[0] or doc
        assert doc == expected


def test_a_batch_applies_each_event_once_and_says_which_were_new() -> None:
    received, classified, *_ = path_events()
    first = record("op-1", None, received)

    doc, fresh = record_all("op-1", first, [classified, received, classified])

    assert doc is not None
    assert doc["seen"] == ["e-received", "e-classified"]
    assert fresh == [classified]
    assert record_all("op-1", doc, [received, classified]) == (None, [])


def contracts(opinion_id: str) -> tuple[OpinionReceived, OpinionClassified, events.AssignmentStep]:
    common: dict[str, Any] = {"correlation_id": opinion_id, "opinion_id": opinion_id, "tracking_code": "NB-7",
                              "kind": OpinionKind.RECOMMENDATION, "received_at": at(0), "unit_code": "ninh-binh"}  # fmt: skip
    received = OpinionReceived(event_id=f"{opinion_id}-r", occurred_at=at(0), channel=Channel.EXTERNAL_SYSTEM,
                               content="Đề nghị sửa đường.", submitter_name="Nguyễn Văn An", **common)  # fmt: skip
    classified = OpinionClassified(event_id=f"{opinion_id}-c", occurred_at=at(1), field="transport",
                                   summary="Sửa đường.", **common)  # fmt: skip
    assigned = events.AssignmentStep(event_id=f"{opinion_id}-a", occurred_at=at(2), opinion_id=opinion_id,
                                     unit_code="ninh-binh", agency_code="so-gtvt", agency_name="Sở GTVT")  # fmt: skip
    return received, classified, assigned


class CountingStore(InMemoryStore):
    """The fake store, counting the reads and the documents saved per collection."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: dict[str, int] = {}
        self.saves: dict[str, int] = {}

    async def get(self, collection: str, key: str) -> Doc | None:
        self.reads[collection] = self.reads.get(collection, 0) + 1
        return await super().get(collection, key)

    async def save(self, collection: str, doc: Doc) -> None:
        await super().save(collection, doc)
        self.saves[collection] = self.saves.get(collection, 0) + 1


def lanes_over(store: CountingStore) -> Lanes[handlers.Told]:
    deps = Deps(store=store)

    async def publish(_: Any) -> None:
        return None

    uow = UnitOfWork(lambda: store, publish, batch_size=16)
    return Lanes(
        lambda decide, what: uow.run(decide, what, batched=True),
        deps.repo.opinion,
        lambda key, previous, told: handlers.apply_told(deps, key, previous, told),
    )


def told_of(opinion_id: str) -> list[handlers.Told]:
    received, classified, assigned = contracts(opinion_id)
    subject = "assignment.opinion.assigned"
    return [
        handlers.received(received),
        handlers.classified(classified),
        handlers.assignment(subject, assigned),
    ]


async def test_two_events_of_one_opinion_in_one_loop_turn_are_one_load_and_one_save() -> None:
    store = CountingStore()
    lanes = lanes_over(store)
    received, classified, assigned = told_of("op-2")

    await asyncio.gather(lanes.apply("op-2", received), lanes.apply("op-2", classified))

    assert store.reads[OPINIONS] == 1
    assert store.saves[OPINIONS] == 1
    expected = one_at_a_time("op-2", None, [received.recorded, classified.recorded])
    stored = store.collections[OPINIONS]["op-2"]  # looked at directly: not a read of the portal's
    assert expected is not None
    assert {k: v for k, v in stored.items() if k in expected} == expected

    await lanes.apply("op-2", assigned)
    assert store.reads[OPINIONS] == 2
    assert store.saves[OPINIONS] == 2
    assert store.collections[UNIT_AGENCIES]["ninh-binh"]["agencies"]["so-gtvt"]["name"] == "Sở GTVT"


async def test_a_redelivered_event_changes_nothing_and_saves_nothing() -> None:
    store = CountingStore()
    lanes = lanes_over(store)
    received, classified, assigned = told_of("op-3")
    for told in (received, classified, assigned):
        await lanes.apply("op-3", told)
    saved = dict(store.saves)
    before = await store.get(OPINIONS, "op-3")

    await asyncio.gather(lanes.apply("op-3", classified), lanes.apply("op-3", assigned))

    assert store.saves == saved
    assert await store.get(OPINIONS, "op-3") == before


async def test_events_of_one_opinion_through_two_replicas_at_once_are_all_recorded() -> None:
    store = CountingStore()
    lanes = lanes_over(store)
    other = lanes_over(store)  # another replica: its lane does not know this one's
    received, classified, assigned = told_of("op-4")

    await asyncio.gather(lanes.apply("op-4", received), other.apply("op-4", classified))
    await lanes.apply("op-4", assigned)

    stored = await store.get(OPINIONS, "op-4")
    assert stored is not None
    assert stored["seen"] == ["op-4-r", "op-4-c", "op-4-a"]
    assert stored["field"] == "transport"
    assert stored["agency_code"] == "so-gtvt"


async def test_a_failed_commit_fails_every_event_that_waited_for_it_and_keeps_nothing() -> None:
    store = CountingStore()
    lanes = lanes_over(store)
    received, classified, _ = told_of("op-5")
    store.fail_next = 1  # the store cannot be reached for the load

    results = await asyncio.gather(
        lanes.apply("op-5", received), lanes.apply("op-5", classified), return_exceptions=True
    )

    assert [type(r) for r in results] == [TransientError, TransientError]
    assert await store.get(OPINIONS, "op-5") is None
    await asyncio.gather(lanes.apply("op-5", received), lanes.apply("op-5", classified))  # redelivered
    stored = await store.get(OPINIONS, "op-5")
    assert stored is not None
    assert stored["seen"] == ["op-5-r", "op-5-c"]


def test_a_notice_of_another_trigger_tells_the_record_nothing() -> None:
    sent = events.NoticeSent(event_id="n-1", correlation_id="op-6", trigger="opinion_assigned", sent_at=T0)
    ack = events.NoticeSent(event_id="n-2", correlation_id="op-6", trigger="opinion_acknowledged", sent_at=T0)

    assert handlers.notice(sent) is None
    told = handlers.notice(ack)
    assert told is not None
    assert told.recorded.step is not None
    assert told.recorded.step.kind == "acknowledged"
