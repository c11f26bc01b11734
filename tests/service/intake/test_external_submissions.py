"""External submissions on ``intake.submit.<source>`` against a real nats-server."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from nats.aio.client import Client

from shared.settings import ServiceSettings
from shared.subjects import Intake
from tests.service.intake.support import (
    SOURCE,
    encode,
    running_intake,
    submission,
    wait_until,
)

pytestmark = pytest.mark.service


async def opinions(nc: Client) -> list[dict[str, object]]:
    reply = await nc.request(f"{Intake.CMD}.list", b"{}", timeout=5)
    data: list[dict[str, object]] = json.loads(reply.data)["data"]
    return data


async def test_a_submission_sent_twice_and_redelivered_yields_one_opinion_and_one_tracking_code(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    js = nats_client.jetstream()  # type: ignore[attr-defined]
    body = encode(submission("portal-0001"))
    async with running_intake(settings_for, nats_client) as (intake, outcomes):
        await js.publish(Intake.submit(SOURCE), body, headers={"Nats-Msg-Id": "portal-0001"})
        await js.publish(Intake.submit(SOURCE), body, headers={"Nats-Msg-Id": "portal-0001"})  # dropped
        await js.publish(Intake.submit(SOURCE), body, headers={"Nats-Msg-Id": "portal-0001-retry"})
        await wait_until(lambda: len(outcomes.of("portal-0001")) == 2)
        first, second = outcomes.of("portal-0001")
        assert first["accepted"]
        assert second["accepted"]
        assert first["tracking_code"] == second["tracking_code"]
        assert len(await opinions(nats_client)) == 1
        received = intake.registry.get_sample_value(
            "dialogue_opinions_received_total", {"channel": "external_system", "field": "labour_jobs"}
        )
        assert received == 1.0
    # Redelivery: the durable consumer is recreated, so JetStream delivers both stored messages again.
    await js.delete_consumer("INTAKE", "intake-submissions")
    async with running_intake(settings_for, nats_client) as (intake, outcomes):
        await wait_until(lambda: len(outcomes.of("portal-0001")) == 2)
        assert {o["tracking_code"] for o in outcomes.of("portal-0001")} == {first["tracking_code"]}
        assert len(await opinions(nats_client)) == 1
    info = await js.stream_info("INTAKE", subjects_filter=Intake.OPINION_ALL)
    assert info.state.subjects is not None
    assert info.state.subjects[Intake.OPINION_RECEIVED] == 1
    assert info.state.subjects[Intake.OPINION_CLASSIFIED] == 1


async def test_an_unknown_conference_is_rejected_with_its_reason_and_a_dead_letter(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    js = nats_client.jetstream()  # type: ignore[attr-defined]
    async with running_intake(settings_for, nats_client) as (intake, outcomes):
        await js.publish(
            Intake.submit(SOURCE), encode(submission("portal-0002", conference_id="hn-khong-co"))
        )
        await wait_until(lambda: len(outcomes.of("portal-0002")) == 1)
        (outcome,) = outcomes.of("portal-0002")
        assert not outcome["accepted"]
        assert outcome["reason"] == "unknown_conference"
        assert "hn-khong-co" in outcome["message"]
        sub = await js.pull_subscribe("deadletter.intake.>", durable=None, stream="DEADLETTER")
        (dead,) = await sub.fetch(1, timeout=10)
        record = json.loads(dead.data)
        assert record["reason"] == "unknown_conference"
        assert "hn-khong-co" in record["raw_payload"]
        rejected = intake.registry.get_sample_value(
            "dialogue_messages_rejected_total", {"service": "intake", "reason": "unknown_conference"}
        )
        assert rejected == 1.0
