"""The assignment service on a real nats-server: routing, re-routing, redelivery, commands, sweep, conclusion."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from assignment_bed import Clock, Seen, assignment_host, command, owners, wait_until
from docx import Document
from nats.aio.client import Client

from services.cli.conclusion.docx import render_docx
from services.cli.conclusion.reply import info_of, items_of
from shared.contracts.base import derived_id
from shared.contracts.intake import OpinionClassified, OpinionKind, OpinionReclassified
from shared.contracts.scheduling import Chair, ConferencePlanned
from shared.settings import ServiceSettings
from shared.subjects import Assignment, Intake

pytestmark = [pytest.mark.service, pytest.mark.timeout(120)]
START = dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)


def classified(n: int, field: str = "education") -> OpinionClassified:
    return OpinionClassified(
        event_id=derived_id("svc-classified", n),
        opinion_id=f"svc-{n}",
        tracking_code=f"HN-9{n:03d}",
        field=field,
        kind=OpinionKind.RECOMMENDATION,
        conference_id="conf-svc",
        level="province",
        unit_code="ninh-binh",
        summary=f"Ý kiến {n}.",
        received_at=START,
    )


async def test_routing_redelivery_commands_and_the_conclusion_document(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, tmp_path: Path
) -> None:
    intake, scheduling = owners(settings_for)
    host = assignment_host(settings_for, Clock(START))
    seen = Seen()
    await seen.start(nats_client)
    for h in (intake, scheduling, host):
        await h.start()
    try:
        await scheduling.publish(
            [
                ConferencePlanned(
                    conference_id="conf-svc",
                    title="hội nghị đối thoại với nhân dân",
                    unit_code="ninh-binh",
                    unit_name="tỉnh Ninh Bình",
                    level="province",
                    starts_at=START,
                    ends_at=START,
                    chairs=[Chair(name="Trương Quốc Huy", title="Chủ tịch UBND tỉnh")],
                )
            ]
        )
        await intake.publish([classified(1)])
        await wait_until(lambda: len(seen.on(Assignment.OPINION_ASSIGNED)) == 1)
        (assigned,) = seen.on(Assignment.OPINION_ASSIGNED)
        assert (assigned["agency_code"], assigned["deadline"]) == ("nb-sgddt", "2026-12-14")
        await intake.publish([classified(1)])  # same id: JetStream drops it
        js = nats_client.jetstream()  # type: ignore[attr-defined]
        await js.publish(Intake.OPINION_CLASSIFIED, classified(1).to_json())  # no Msg-Id: delivered again
        await asyncio.sleep(1.0)
        doc = await host.store.get("assignments", "svc-1")
        assert doc is not None
        assert doc["version"] == 1

        base = {
            "opinion_id": "svc-1",
            "agency_code": "nb-sgddt",
            "document_date": "2026-11-25",
            "summary": "Sở sẽ sửa trường trong quý I.",
        }
        wrong = await command(
            nats_client,
            "answer",
            {**base, "command_id": "w", "agency_code": "nb-sxd", "document_number": "1/SXD"},
        )
        assert not wrong["ok"]
        assert wrong["code"] == "not_assigned_agency"
        assert (
            await command(nats_client, "answer", {**base, "command_id": "a1", "document_number": "1/SGD"})
        )["ok"]
        returned = await command(
            nats_client, "return", {"command_id": "r1", "opinion_id": "svc-1", "reason": "Thiếu mốc."}
        )
        assert returned["data"]["status"] == "returned"
        assert (
            await command(nats_client, "answer", {**base, "command_id": "a2", "document_number": "2/SGD"})
        )["ok"]
        first = await command(nats_client, "publish", {"command_id": "p1", "opinion_id": "svc-1"})
        again = await command(nats_client, "publish", {"command_id": "p1", "opinion_id": "svc-1"})
        assert first["data"]["duplicate"] is False
        assert again["data"]["duplicate"] is True
        bad = await command(nats_client, "rate", {"command_id": "s0", "opinion_id": "HN-9001", "stars": 7})
        assert bad["code"] == "rating_out_of_range"
        assert "từ 1 đến 5" in bad["message"]
        assert (
            await command(nats_client, "rate", {"command_id": "s1", "opinion_id": "HN-9001", "stars": 5})
        )["ok"]
        (published,) = {m["event_id"]: m for m in seen.on(Assignment.ANSWER_PUBLISHED)}.values()
        assert published["document_number"] == "2/SGD"
        assert published["tracking_code"] == "HN-9001"

        reply = await command(nats_client, "conclusion", {"conference_id": "conf-svc"})
        data = reply["data"]
        path = render_docx(
            info_of(data, "12/TB-UBND", dt.date(2026, 11, 27)), items_of(data), tmp_path / "kl.docx"
        )
        text = "\n".join(p.text for p in Document(str(path)).paragraphs)
        assert "Ý kiến 1." in text
        assert "Sở Giáo dục và Đào tạo tỉnh Ninh Bình" in text
    finally:
        for h in (host, scheduling, intake):
            await h.stop()


async def test_the_reminder_and_the_escalation_are_sent_once_across_a_restart(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    intake, scheduling = owners(settings_for)
    clock = Clock(START)
    host = assignment_host(settings_for, clock)
    seen = Seen()
    await seen.start(nats_client)
    for h in (intake, scheduling, host):
        await h.start()
    try:
        await intake.publish([classified(2)])
        await wait_until(lambda: len(seen.on(Assignment.OPINION_ASSIGNED)) == 1)
        clock.now = dt.datetime(2026, 12, 9, 2, tzinfo=dt.UTC)  # three working days before 14/12
        await wait_until(lambda: len(seen.on(Assignment.DEADLINE_APPROACHING)) == 1)
        await asyncio.sleep(0.5)
        await host.stop()
        host = assignment_host(settings_for, clock)  # same SQLite file, fresh process state
        await host.start()
        await asyncio.sleep(0.5)
        clock.now = dt.datetime(2026, 12, 15, 2, tzinfo=dt.UTC)
        await wait_until(lambda: len(seen.on(Assignment.OPINION_OVERDUE)) == 1)
        await asyncio.sleep(0.8)  # several more sweeps
        assert len(seen.on(Assignment.DEADLINE_APPROACHING)) == 1
        (overdue,) = seen.on(Assignment.OPINION_OVERDUE)
        assert overdue["head_name"] == "Quách Văn Toàn"
        assert overdue["agency_email"] == "sogddt@ninhbinh.example"
        gauge = host.registry.get_sample_value("dialogue_opinions_overdue", {"agency": "nb-sgddt"})
        assert gauge == 1.0
    finally:
        for h in (host, scheduling, intake):
            await h.stop()


async def test_a_reclassification_moves_the_opinion_to_the_new_fields_agency_once(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    intake, scheduling = owners(settings_for)
    clock = Clock(START)
    host = assignment_host(settings_for, clock)
    seen = Seen()
    await seen.start(nats_client)
    for h in (intake, scheduling, host):
        await h.start()
    try:
        await intake.publish([classified(3, "transport")])
        await wait_until(lambda: len(seen.on(Assignment.OPINION_ASSIGNED)) == 1)
        clock.now = dt.datetime(2026, 11, 25, 2, tzinfo=dt.UTC)
        moved = OpinionReclassified(
            event_id=derived_id("svc-reclassified", 3),
            opinion_id="svc-3",
            tracking_code="HN-9003",
            field="education",
            previous_field="transport",
            kind=OpinionKind.RECOMMENDATION,
            conference_id="conf-svc",
            level="province",
            unit_code="ninh-binh",
            summary="Ý kiến 3.",
            by="Văn phòng UBND tỉnh",
            reason="Nội dung về trường học.",
            received_at=START,
        )
        await intake.publish([moved])
        await wait_until(lambda: len(seen.on(Assignment.OPINION_ASSIGNED)) == 2)
        first, second = seen.on(Assignment.OPINION_ASSIGNED)
        assert first["agency_code"] == "nb-sxd"
        assert (second["agency_code"], second["deadline"], second["field"]) == (
            "nb-sgddt",
            "2026-12-16",
            "education",
        )
        assert (second["reassigned_from"], second["reassigned_from_email"]) == (
            "nb-sxd",
            "soxaydung@ninhbinh.example",
        )
        js = nats_client.jetstream()  # type: ignore[attr-defined]
        await js.publish(Intake.OPINION_RECLASSIFIED, moved.to_json())  # no Msg-Id: delivered again
        await asyncio.sleep(1.0)
        doc = await host.store.get("assignments", "svc-3")
        assert doc is not None
        assert (doc["agency_code"], doc["version"]) == ("nb-sgddt", 2)
        # The redelivery re-published the same event (same id), which JetStream drops.
        assert {m["event_id"] for m in seen.on(Assignment.OPINION_ASSIGNED)} == {
            first["event_id"],
            second["event_id"],
        }
    finally:
        for h in (host, scheduling, intake):
            await h.stop()
