"""On a real nats-server: a 2023 opinion typed in in 2026 keeps the agency and deadline of 2023."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

import pytest
from assignment_bed import Clock, Seen, assignment_host, command, owners, wait_until
from nats.aio.client import Client

from shared.contracts.base import derived_id
from shared.contracts.intake import OpinionClassified, OpinionKind
from shared.settings import ServiceSettings
from shared.subjects import Assignment

pytestmark = [pytest.mark.service, pytest.mark.timeout(120)]
NOW = dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)
SEED = dt.datetime(2023, 12, 20, 1, tzinfo=dt.UTC)  # 08:00 in Hà Nội, the seed's conference


async def test_a_back_recorded_opinion_is_answered_on_time_and_never_reminded_to_a_gone_agency(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    intake, scheduling = owners(settings_for)
    host = assignment_host(settings_for, Clock(NOW))
    seen = Seen()
    await seen.start(nats_client)
    for h in (intake, scheduling, host):
        await h.start()
    try:
        classified = OpinionClassified(
            event_id=derived_id("svc-back", 1),
            opinion_id="svc-back-1",
            tracking_code="HN-8001",
            field="land",
            kind=OpinionKind.RECOMMENDATION,
            conference_id="conf-seed",
            level="province",
            unit_code="ha-nam",
            summary="Hướng dẫn đấu giá đất công ích.",
            received_at=SEED,
        )
        await intake.publish([classified])
        await wait_until(lambda: len(seen.on(Assignment.OPINION_ASSIGNED)) == 1)
        (assigned,) = seen.on(Assignment.OPINION_ASSIGNED)
        assert (assigned["agency_code"], assigned["deadline"]) == ("hn-stnmt", "2024-01-19")
        assert dt.datetime.fromisoformat(assigned["occurred_at"]) == SEED
        await asyncio.sleep(0.5)  # several sweeps: the deadline passed long ago, the agency is gone
        assert seen.on(Assignment.OPINION_OVERDUE) == []

        body = {
            "command_id": "svc-back-answer",
            "opinion_id": "HN-8001",
            "agency_code": "hn-stnmt",
            "document_number": "15/STNMT-QLĐĐ",
            "document_date": "2024-01-15",
            "summary": "Sở đã hướng dẫn UBND huyện Bình Lục tổ chức đấu giá.",
            "effective_at": "2024-01-15T10:00:00",  # Vietnam time, as the CLI's --at sends it
        }
        reply = await command(nats_client, "answer", body)
        assert reply["ok"], reply
        late = await command(
            nats_client,
            "publish",
            {"command_id": "p", "opinion_id": "HN-8001", "effective_at": "2024-01-14T09:00:00"},
        )
        assert (late["ok"], late["code"]) == (False, "effective_before_last_action")
        await wait_until(lambda: len(seen.on(Assignment.ANSWER_SUBMITTED)) == 1)
        (submitted,) = seen.on(Assignment.ANSWER_SUBMITTED)
        assert submitted["on_time"] is True
        assert dt.datetime.fromisoformat(submitted["answered_at"]) == dt.datetime(
            2024, 1, 15, 3, tzinfo=dt.UTC
        )
    finally:
        for h in (host, scheduling, intake):
            await h.stop()
