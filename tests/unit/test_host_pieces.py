"""The pieces the service host is built from, without a NATS server: the publish path, the AsyncAPI
declarations, the stream and consumer configurations, the ack-policy middleware."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
from faststream.nats import NatsBroker
from pydantic import BaseModel, ConfigDict

from shared import streams
from shared.consumers import command_payload
from shared.contracts import assignment, intake, scheduling
from shared.contracts.base import Event
from shared.contracts.intake import OpinionClassified, OpinionKind
from shared.contracts.registry import events_of
from shared.contracts.scheduling import ConferenceEvent
from shared.errors import DomainError
from shared.host import ServiceHost
from shared.metrics import CommonMetrics, new_registry
from shared.publisher import Publisher
from shared.reliability import ReliabilityMiddleware, ReliableConsumer
from shared.settings import ServiceSettings
from shared.subjects import Intake

pytestmark = pytest.mark.unit


def classified(n: int) -> OpinionClassified:
    return OpinionClassified(
        event_id=f"ev-{n}",
        opinion_id=f"op-{n}",
        tracking_code=f"DT-{n}",
        field="land",
        kind=OpinionKind.OPINION,
        summary="Đề nghị hướng dẫn đấu giá đất công ích.",
        received_at="2026-11-27T08:00:00+00:00",
    )


class FakeJetStream:
    """Records what was published; the PubAck of every subject in ``refusing`` fails."""

    def __init__(self, refusing: set[str]) -> None:
        self.refusing = refusing
        self.sent: list[tuple[str, str | None, dict[str, str]]] = []

    async def publish_async(
        self, subject: str, payload: bytes, stream: str | None, headers: dict[str, str]
    ) -> asyncio.Future[Any]:
        self.sent.append((subject, stream, headers))
        ack: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        if subject in self.refusing:
            ack.set_exception(ConnectionError("no stream stored it"))
        else:
            ack.set_result(object())
        return ack


class FakeConnection:
    def __init__(self, js: FakeJetStream) -> None:
        self.js = js

    def jetstream(self) -> FakeJetStream:
        return self.js


class FakeBroker:
    def __init__(self, js: FakeJetStream) -> None:
        self.connection = FakeConnection(js)


def publisher_over(js: FakeJetStream) -> tuple[Publisher, CommonMetrics]:
    metrics = CommonMetrics(new_registry())
    return Publisher(cast(NatsBroker, FakeBroker(js)), "intake", metrics, traced=False), metrics


def published(metrics: CommonMetrics, stream: str) -> float | None:
    labels = {"service": "intake", "stream": stream}
    return metrics.registry.get_sample_value("dialogue_events_published_total", labels)


async def test_every_message_goes_out_in_order_with_its_id_as_nats_msg_id_and_is_counted_by_stream() -> None:
    js = FakeJetStream(refusing=set())
    publisher, metrics = publisher_over(js)
    events = [classified(1), classified(2)]

    await publisher.publish([(e.routing_subject(), e) for e in events])

    assert [(s, stream, h["Nats-Msg-Id"]) for s, stream, h in js.sent] == [
        (Intake.OPINION_CLASSIFIED, "INTAKE", "ev-1"),
        (Intake.OPINION_CLASSIFIED, "INTAKE", "ev-2"),
    ]
    assert all(h["correlation_id"] and h["content-type"] == "application/json" for _, _, h in js.sent)
    assert published(metrics, "INTAKE") == 2.0


async def test_a_refused_pub_ack_raises_after_counting_only_what_was_stored() -> None:
    js = FakeJetStream(refusing={"deadletter.intake.bad"})
    publisher, metrics = publisher_over(js)

    with pytest.raises(ConnectionError):
        await publisher.publish(
            [("deadletter.intake.bad", classified(3)), (Intake.OPINION_CLASSIFIED, classified(4))]
        )

    assert published(metrics, "INTAKE") == 1.0
    assert published(metrics, "DEADLETTER") is None


def test_the_asyncapi_events_of_a_contracts_module_are_its_concrete_events_only() -> None:
    for module in (scheduling, assignment, intake):
        found = events_of(module)

        assert found, module.__name__
        assert all(isinstance(getattr(e, "SUBJECT", None), str) for e in found), module.__name__
    assert ConferenceEvent not in events_of(scheduling)
    assert assignment.AssignmentEvent not in events_of(assignment)


def test_a_host_refuses_to_document_an_event_without_a_subject_unless_given_one() -> None:
    host = ServiceHost(ServiceSettings(service="scheduling"), owned_streams=["SCHEDULING"])

    with pytest.raises(TypeError, match="ConferenceEvent has no SUBJECT"):
        host.emits(ConferenceEvent)
    host.emits(ConferenceEvent, subject="scheduling.conference.>")
    host.emits(*events_of(scheduling))


def test_a_service_owns_its_streams_and_may_always_create_the_dead_letter_stream() -> None:
    assert [spec.name for spec in streams.owned(["INTAKE"])] == ["INTAKE", "DEADLETTER"]
    config = streams.stream_config(streams.owned(["INTAKE"])[0], replicas=0)
    assert config.num_replicas == 1
    assert config.duplicate_window == 120.0


class Ping(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    conference_id: str = "c-1"


def test_an_empty_command_body_is_an_empty_object_and_an_unknown_field_is_refused() -> None:
    assert command_payload(Ping, b"") == Ping()
    assert command_payload(Ping, {"conference_id": "c-2"}) == Ping(conference_id="c-2")
    with pytest.raises(DomainError) as refused:
        command_payload(Ping, b'{"conferense_id": "c-3"}')
    assert refused.value.code == "unknown_field"


def test_the_ack_policy_builds_one_module_level_middleware_class_per_message() -> None:
    async def nowhere(rejection: Event) -> None:
        pass

    policy = ReliableConsumer("intake", nowhere, lambda reason: None)

    first, second = policy(object(), context=None), policy(object(), context=None)

    assert type(first) is type(second) is ReliabilityMiddleware
    assert first.policy is policy
