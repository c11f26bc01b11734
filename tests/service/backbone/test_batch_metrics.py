"""A fetched batch committed together keeps per-message meaning: FastStream's Prometheus middleware
counts each message with its own status, a refused one is rejected and dead-lettered alone, and the
batch-size histogram counts the outcomes committed together."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest
from nats.aio.client import Client

from shared.contracts.base import derived_id
from shared.contracts.intake import OpinionClassified, OpinionKind
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Intake
from shared.unit_of_work import Change, Outcome

pytestmark = pytest.mark.service
VALID = 10


def classified(n: int) -> OpinionClassified:
    return OpinionClassified(
        event_id=derived_id("batch-metrics", n),
        opinion_id=f"op-batch-{n}",
        tracking_code=f"DT-B{n}",
        field="land",
        kind=OpinionKind.OPINION,
        summary="Đề nghị hướng dẫn đấu giá đất công ích.",
        received_at="2026-11-27T08:00:00+00:00",  # type: ignore[arg-type]
    )


def sample(host: ServiceHost, name: str, **labels: str) -> float:
    """The sum of a metric's samples whose labels include ``labels``."""
    total = 0.0
    for family in host.registry.collect():
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                total += s.value
    return total


async def test_a_batch_commits_together_and_each_message_keeps_its_own_status(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    owner = ServiceHost(settings_for("intake"), owned_streams=["INTAKE"])
    consumer = ServiceHost(settings_for("assignment"), owned_streams=["ASSIGNMENT"])
    seen: list[str] = []

    @consumer.consumer(Intake.OPINION_CLASSIFIED, "classified")
    async def on_classified(event: OpinionClassified) -> Outcome[None]:
        seen.append(event.opinion_id)
        doc = {"_id": event.opinion_id, "field": event.field}
        return Outcome(changes=[Change("batch_test", doc, None, (), event.event_id)])

    await owner.start()
    try:
        js = nats_client.jetstream()  # type: ignore[attr-defined]
        for n in range(VALID):  # stored before the consumer exists: its first fetch takes them all
            await js.publish(Intake.OPINION_CLASSIFIED, classified(n).to_json())
        await js.publish(Intake.OPINION_CLASSIFIED, json.dumps({"opinion_id": "x"}).encode())
        await consumer.start()
        try:
            async with asyncio.timeout(20):
                while sample(consumer, "faststream_received_processed_messages_total") < VALID + 1:
                    await asyncio.sleep(0.05)
            assert sorted(seen) == sorted(f"op-batch-{n}" for n in range(VALID))
            processed = "faststream_received_processed_messages_total"
            assert sample(consumer, "faststream_received_messages_total") == VALID + 1
            assert sample(consumer, processed, status="acked") == VALID
            assert sample(consumer, processed, status="rejected") == 1
            rejected = {"service": "assignment", "reason": "missing_field"}
            assert consumer.registry.get_sample_value("dialogue_messages_rejected_total", rejected) == 1.0
            labels = {"service": "assignment"}
            committed = consumer.registry.get_sample_value("dialogue_commit_batch_size_sum", labels)
            commits = consumer.registry.get_sample_value("dialogue_commit_batch_size_count", labels)
            assert committed == VALID  # every valid message's outcome, each committed once
            assert commits is not None
            assert commits < VALID  # some of them together
            for n in range(VALID):
                assert await consumer.store.get("batch_test", f"op-batch-{n}") is not None
        finally:
            await consumer.stop()
    finally:
        await owner.stop()
