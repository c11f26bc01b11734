"""An error PubAck fails the publish that sent it, at once, and reaches no connection error callback.

nats-py's ``publish_async`` raises an error PubAck inside its reply subscription's callback instead
of failing the publish's future (see ``shared.publisher.settling_error_replies``); FastStream then
logged "Connection broken" with a traceback, and the publish only failed at its timeout.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator

import pytest
from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.js.errors import APIError, BadRequestError

from shared.contracts.base import derived_id
from shared.contracts.intake import OpinionClassified, OpinionKind
from shared.errors import TransientError
from shared.jobs import Jobs
from shared.metrics import CommonMetrics, new_registry
from shared.nats_server import NatsServer
from shared.publisher import DUPLICATE_IN_PROCESS, Publisher
from shared.subjects import Intake

pytestmark = pytest.mark.service


def classified(n: int) -> OpinionClassified:
    return OpinionClassified(
        event_id=derived_id("pub-ack-errors", n),
        opinion_id=f"op-{n}",
        tracking_code=f"DT-{n}",
        field="land",
        kind=OpinionKind.OPINION,
        summary="Đề nghị hướng dẫn đấu giá đất công ích.",
        received_at="2026-11-27T08:00:00+00:00",  # type: ignore[arg-type]
    )


class Connected:
    """A connected broker, the errors its connection reported, and an untraced publisher over it."""

    def __init__(self, url: str) -> None:
        self.errors: list[Exception] = []
        self.broker = NatsBroker(url, error_cb=self.on_error)
        self.publisher = Publisher(self.broker, "intake", CommonMetrics(new_registry()), traced=False)

    async def on_error(self, exc: Exception) -> None:
        self.errors.append(exc)

    def published(self) -> float | None:
        labels = {"service": "intake", "stream": "INTAKE"}
        return self.publisher.metrics.registry.get_sample_value("dialogue_events_published_total", labels)


@pytest.fixture
async def connected(nats_server: NatsServer) -> AsyncIterator[Connected]:
    connected = Connected(nats_server.url)
    await connected.broker.connect()
    yield connected
    await connected.broker.stop()


async def test_a_pub_ack_refused_by_the_stream_raises_its_error_and_no_connection_error(
    connected: Connected,
) -> None:
    # A stream of another name stores the subject: JetStream refuses the expected stream (400).
    js = connected.broker.connection.jetstream()
    await js.add_stream(name="NOT_INTAKE", subjects=[Intake.OPINION_CLASSIFIED])
    event = classified(1)

    with pytest.raises(BadRequestError) as refused:
        await connected.publisher.publish([(event.routing_subject(), event)])

    assert refused.value.err_code == 10060  # JSStreamNotMatchError: expected stream does not match
    assert connected.errors == []
    assert connected.published() is None


async def answer_as_the_stream_leader(connected: Connected, error: dict[str, object]) -> None:
    """A responder on the subject answers each publish with ``error``, as a clustered stream's
    leader does (a single server never says it)."""
    connection = connected.broker.connection

    async def stream_leader(msg: Msg) -> None:
        await msg.respond(json.dumps({"error": error}).encode())

    await connection.subscribe(Intake.OPINION_CLASSIFIED, cb=stream_leader)
    await connection.flush()


@pytest.mark.parametrize(
    "refusal",
    [
        {"code": 409, "err_code": DUPLICATE_IN_PROCESS, "description": "duplicate message id is in process"},
        {"code": 503, "err_code": 10008, "description": "JetStream system temporarily unavailable"},
    ],
    ids=["duplicate-in-process", "temporarily-unavailable"],
)
async def test_a_cluster_not_storing_the_message_yet_is_a_transient_failure_with_no_connection_error(
    connected: Connected, refusal: dict[str, object]
) -> None:
    # What a clustered stream answers while it still proposes an earlier publish of the same id or
    # elects a leader; a single server never says it, so a responder on the subject stands in for it.
    await answer_as_the_stream_leader(connected, refusal)
    event = classified(2)

    with pytest.raises(TransientError) as failed:
        await connected.publisher.publish([(event.routing_subject(), event)])

    cause = failed.value.__cause__
    assert isinstance(cause, APIError)
    assert (cause.code, cause.err_code) == (refusal["code"], refusal["err_code"])
    assert connected.errors == []
    assert connected.published() is None


async def test_a_stored_message_is_still_acknowledged_and_counted(connected: Connected) -> None:
    js = connected.broker.connection.jetstream()
    await js.add_stream(name="INTAKE", subjects=[Intake.OPINION_CLASSIFIED])
    event = classified(3)

    await connected.publisher.publish([(event.routing_subject(), event)])

    assert (await js.stream_info("INTAKE")).state.messages == 1
    assert connected.errors == []
    assert connected.published() == 1.0


async def test_a_sweep_whose_re_publish_is_still_in_process_warns_without_a_traceback(
    connected: Connected, caplog: pytest.LogCaptureFixture
) -> None:
    # The outbox sweep re-publishes what an in-flight unit of work is still publishing; a clustered
    # stream answers the second of the two with 409, which the next sweep or redelivery settles.
    conflict = {
        "code": 409,
        "err_code": DUPLICATE_IN_PROCESS,
        "description": "duplicate message id is in process",
    }
    await answer_as_the_stream_leader(connected, conflict)
    event = classified(4)

    async def sweep() -> None:
        await connected.publisher.publish([(event.routing_subject(), event)])

    jobs = Jobs()
    jobs.every(3600)(sweep)
    with caplog.at_level(logging.WARNING, logger="shared.jobs"):
        jobs.start()
        async with asyncio.timeout(30):
            while not [r for r in caplog.records if r.name == "shared.jobs"]:
                await asyncio.sleep(0.05)
        await jobs.stop()

    [record] = [r for r in caplog.records if r.name == "shared.jobs"]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert "duplicate message id is in process" in record.getMessage()
    assert connected.errors == []
