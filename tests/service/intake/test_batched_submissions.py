"""A conference's submissions fetched together are decided in order and committed in batches, on a
real nats-server and a real store (SQLite and MongoDB)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from nats.aio.client import Client

from services.cli.demo_data import load_demo
from services.intake.adapters.repository import OPINIONS
from shared import conference_snapshot
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Intake
from tests.service.intake.support import CONFERENCE, SOURCE, encode, running_intake, submission, wait_until
from tests.unit.intake.intake_handler_support import assert_grouped_in_sequence

pytestmark = pytest.mark.service

OPINIONS_SENT = 50
CONTENTS = [o.content for o in load_demo("dong_du").opinions]  # 16 opinions in 11 topics


def commits(host: ServiceHost) -> tuple[float, float]:
    """How many commits intake's unit of work made, and how many outcomes they confirmed."""
    labels = {"service": "intake"}
    count = host.registry.get_sample_value("dialogue_commit_batch_size_count", labels)
    total = host.registry.get_sample_value("dialogue_commit_batch_size_sum", labels)
    return count or 0.0, total or 0.0


async def test_fifty_opinions_of_one_conference_are_committed_in_batches_numbered_and_grouped_in_order(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    js = nats_client.jetstream()  # type: ignore[attr-defined]
    ids = [f"batch-{n:03d}" for n in range(OPINIONS_SENT)]
    async with running_intake(settings_for, nats_client) as (intake, _):
        async with asyncio.timeout(20):  # its stream, its durable consumers, then the conference
            while await conference_snapshot.load(intake.store, CONFERENCE) is None:
                await asyncio.sleep(0.05)
    for n, external_id in enumerate(ids):  # stored while intake is down: its fetches take 16 at once
        body = encode(submission(external_id, content=CONTENTS[n % len(CONTENTS)]))
        await js.publish(Intake.submit(SOURCE), body, headers={"Nats-Msg-Id": external_id})
    for external_id in ids[:2]:  # sent again by the other system, in the same fetch as the first
        body = encode(submission(external_id, content=CONTENTS[ids.index(external_id)]))
        await js.publish(Intake.submit(SOURCE), body, headers={"Nats-Msg-Id": f"{external_id}-again"})

    async with running_intake(settings_for, nats_client) as (intake, outcomes):
        await wait_until(lambda: len(outcomes.received) == OPINIONS_SENT + 2, timeout=60)
        assert [o.get("reason") for o in outcomes.received if not o["accepted"]] == []
        for external_id in ids[:2]:
            assert len({o["tracking_code"] for o in outcomes.of(external_id)}) == 1
        # A commit counts its outcomes once their outboxes are cleared, after the publish the test
        # has just seen (on MongoDB a round trip later).
        await wait_until(lambda: commits(intake)[1] >= OPINIONS_SENT + 2, timeout=10)
        count, _ = commits(intake)
        assert count < OPINIONS_SENT  # one commit took several opinions of the one conference
        docs = await intake.store.find(OPINIONS, {"conference_id": CONFERENCE})
        codes = {o["external_id"]: o["tracking_code"] for o in outcomes.received}

    assert sorted(doc["external_id"] for doc in docs) == ids  # each recorded once
    assert_grouped_in_sequence(sorted(docs, key=lambda doc: int(doc["conference_seq"])))
    assert len({doc["topic_group_id"] for doc in docs}) == 11
    # Redelivered in batches (the consumer recreated): answered with the recorded codes, nothing new.
    await js.delete_consumer("INTAKE", "intake-submissions")
    async with running_intake(settings_for, nats_client) as (intake, outcomes):
        await wait_until(lambda: len(outcomes.received) == OPINIONS_SENT + 2, timeout=60)
        assert {o["external_id"]: o["tracking_code"] for o in outcomes.received} == codes
        assert await intake.store.count(OPINIONS, {"conference_id": CONFERENCE}) == OPINIONS_SENT
