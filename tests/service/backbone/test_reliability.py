"""The backbone's delivery semantics, against a real nats-server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import nats
import nats.js.errors
import pytest
from nats.aio.client import Client

from shared.contracts.base import derived_id
from shared.contracts.intake import OpinionClassified, OpinionKind
from shared.errors import TransientError
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Intake

pytestmark = pytest.mark.service


def classified(n: int) -> OpinionClassified:
    return OpinionClassified(
        event_id=derived_id("test", n),
        opinion_id=f"op-{n}",
        tracking_code=f"DT-{n}",
        field="land",
        kind=OpinionKind.OPINION,
        summary="Đề nghị hướng dẫn đấu giá đất công ích.",
        received_at="2026-11-27T08:00:00+00:00",  # type: ignore[arg-type]
    )


async def wait_until(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)


async def start_pair(settings_for: Callable[[str], ServiceSettings]) -> tuple[ServiceHost, ServiceHost]:
    """An 'intake' host that owns the INTAKE stream, and an 'assignment' host that consumes it."""
    owner = ServiceHost(settings_for("intake"), owned_streams=["INTAKE"])
    consumer = ServiceHost(settings_for("assignment"), owned_streams=["ASSIGNMENT"])
    return owner, consumer


async def dead_letters(nc: Client, count: int) -> list[dict[str, Any]]:
    js = nc.jetstream()
    sub = await js.pull_subscribe("deadletter.>", durable=None, stream="DEADLETTER")
    msgs = await sub.fetch(count, timeout=10)
    return [json.loads(m.data) for m in msgs]


async def test_an_invalid_payload_is_dead_lettered_with_its_raw_bytes_and_the_consumer_goes_on(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    owner, consumer = await start_pair(settings_for)
    seen: list[str] = []

    @consumer.consumer(Intake.OPINION_CLASSIFIED, "classified")
    async def on_classified(event: OpinionClassified) -> None:
        seen.append(event.opinion_id)

    await owner.start()
    await consumer.start()
    try:
        js = nats_client.jetstream()  # type: ignore[attr-defined]
        await js.publish(Intake.OPINION_CLASSIFIED, b"{not json")
        await js.publish(Intake.OPINION_CLASSIFIED, json.dumps({"opinion_id": "x"}).encode())
        await js.publish(Intake.OPINION_CLASSIFIED, classified(1).to_json())
        await wait_until(lambda: seen == ["op-1"])
        rejected = await dead_letters(nats_client, 2)  # type: ignore[arg-type]
        assert {r["reason"] for r in rejected} == {"invalid_json", "missing_field"}
        assert rejected[0]["raw_payload"] == "{not json"
        assert all(r["service"] == "assignment" and r["message"] for r in rejected)
        metrics = consumer.registry.get_sample_value(
            "dialogue_messages_rejected_total", {"service": "assignment", "reason": "invalid_json"}
        )
        assert metrics == 1.0
    finally:
        await consumer.stop()
        await owner.stop()


async def test_a_transient_failure_is_retried_until_it_succeeds(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    owner, consumer = await start_pair(settings_for)
    attempts: list[int] = []

    @consumer.consumer(Intake.OPINION_CLASSIFIED, "classified")
    async def on_classified(event: OpinionClassified) -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise TransientError("store down")

    await owner.start()
    await consumer.start()
    try:
        js = nats_client.jetstream()  # type: ignore[attr-defined]
        await js.publish(Intake.OPINION_CLASSIFIED, classified(2).to_json())
        await wait_until(lambda: len(attempts) == 3)
        await asyncio.sleep(1.5)  # an acked message is not delivered again
        assert len(attempts) == 3
        retried = consumer.registry.get_sample_value(
            "dialogue_messages_retried_total", {"service": "assignment", "subject": Intake.OPINION_CLASSIFIED}
        )
        assert retried == 2.0
    finally:
        await consumer.stop()
        await owner.stop()


async def test_republishing_an_event_with_the_same_id_is_stored_once(
    settings_for: Callable[[str], ServiceSettings], nats_server: Any
) -> None:
    owner = ServiceHost(settings_for("intake"), owned_streams=["INTAKE"])
    await owner.start()
    try:
        event = classified(3)
        await owner.publish([event])
        await owner.publish([event])
        nc = await nats.connect(nats_server.url)
        info = await nc.jetstream().stream_info("INTAKE")
        await nc.drain()
        assert info.state.messages == 1
    finally:
        await owner.stop()


async def test_publish_returns_only_once_jetstream_stored_the_events_and_counts_what_was_stored(
    settings_for: Callable[[str], ServiceSettings],
) -> None:
    owner = ServiceHost(settings_for("intake"), owned_streams=["INTAKE"])
    stranger = ServiceHost(settings_for("assignment"), owned_streams=["ASSIGNMENT"])
    await stranger.start()  # no INTAKE stream yet: nothing can store intake's events
    try:
        with pytest.raises(nats.js.errors.NoStreamResponseError):
            await stranger.publish([classified(10), classified(11)])
        stored = {"service": "assignment", "stream": "INTAKE"}
        assert stranger.registry.get_sample_value("dialogue_events_published_total", stored) is None
        await owner.start()
        await stranger.publish([classified(10), classified(11)])
        assert stranger.registry.get_sample_value("dialogue_events_published_total", stored) == 2.0
    finally:
        await stranger.stop()
        await owner.stop()


async def test_readiness_reports_nats_and_store(settings_for: Callable[[str], ServiceSettings]) -> None:
    import urllib.request

    host = ServiceHost(settings_for("scheduling"), owned_streams=["SCHEDULING"])
    await host.start()
    try:

        def get(path: str) -> tuple[int, bytes]:
            with urllib.request.urlopen(f"http://127.0.0.1:{host.ops.port}{path}", timeout=5) as r:
                return r.status, r.read()

        status, body = await asyncio.to_thread(get, "/readyz")
        assert status == 200
        assert json.loads(body) == {"ready": True, "checks": {"nats": "ok", "store": "ok"}}
        status, body = await asyncio.to_thread(get, "/metrics")
        assert b"dialogue_service_ready" in body
    finally:
        await host.stop()
