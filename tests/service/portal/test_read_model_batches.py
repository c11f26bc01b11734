"""An opinion's events arriving together through the portal's four consumers: the record they give
is the one applied one event at a time, and a notice the portal does not record is acked unwritten."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from nats.aio.client import Client

from services.portal.adapters import events
from services.portal.adapters.repository import OPINIONS
from services.portal.domain.opinion import record
from shared.contracts.notification import NotificationSent
from shared.settings import ServiceSettings
from tests.service.portal.support import (
    EMAIL,
    T0,
    classified,
    code_for,
    eventually,
    path,
    received,
    running_portal,
)

pytestmark = pytest.mark.service

SUBJECTS = ["assigned", "answer-submitted", "answer-returned", "answer-submitted", "answer-published"]
KEPT = ("facts", "facts_at", "steps", "seen", "requests", "status", "stage", "agency_name", "deadline",
        "requested_at", "updated_at", "published", "published_at", "on_time", "rated", "tracking_code")  # fmt: skip


def notice(opinion_id: str, trigger: str, n: int) -> NotificationSent:
    return NotificationSent(
        event_id=f"{opinion_id}-notice-{n}", correlation_id=opinion_id, delivery_id=f"d{n}", trigger=trigger,
        trigger_event_id="x", channel="email", recipient=f"citizen:{EMAIL}", sent_at=T0.replace(minute=30),
    )  # fmt: skip


async def test_events_arriving_together_give_the_record_applied_one_at_a_time_and_an_ignored_notice_is_acked_unwritten(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code = code_for("read-model-batches")
    opinion_id = "op-read-model-batches"
    told = [received(opinion_id, code), classified(opinion_id, code)]
    steps = path(opinion_id, code)
    ack = notice(opinion_id, "opinion_acknowledged", 1)
    async with running_portal(settings_for) as run:
        h = run.hosts
        # Published back to back: the four consumers bring them in the same loop turns.
        await h["intake"].publish(told)
        await h["assignment"].publish(steps)
        await h["notification"].publish([ack])

        async def complete() -> dict[str, object] | None:
            found = await run.portal.store.get(OPINIONS, opinion_id)
            return found if found is not None and len(found["seen"]) == 8 else None

        doc = await eventually(complete)
        js = nats_client.jetstream()
        before = await js.consumer_info("NOTIFICATION", "portal-acknowledgements")
        await h["notification"].publish([notice(opinion_id, "opinion_assigned", 2)])

        async def acked() -> bool:
            info = await js.consumer_info("NOTIFICATION", "portal-acknowledgements")
            done = info.ack_floor.consumer_seq > before.ack_floor.consumer_seq
            return done and info.num_ack_pending == 0 and info.num_pending == 0

        await eventually(acked)
        after = await run.portal.store.get(OPINIONS, opinion_id)

    expected: dict[str, object] | None = None
    for recorded in (
        events.received(told[0]),
        events.classified(told[1]),
        *(events.assignment(f"assignment.opinion.{s}", events.AssignmentStep.model_validate(e.model_dump()))
          for s, e in zip(SUBJECTS, steps, strict=True)),
        events.acknowledgement(events.NoticeSent.model_validate(ack.model_dump())),
    ):  # fmt: skip
        assert recorded is not None
        expected = record(opinion_id, expected, recorded) or expected
    assert expected is not None
    assert {k: sorted(doc["seen"]) if k == "seen" else doc.get(k) for k in KEPT} == {
        k: sorted(expected["seen"]) if k == "seen" else expected.get(k)  # type: ignore[arg-type]
        for k in KEPT
    }
    assert after == doc  # the notice of another trigger was acked and wrote nothing
