"""With tracing on, one opinion's path through two services is one trace."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from nats.aio.client import Client
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from shared.contracts.assignment import OpinionAssigned
from shared.contracts.base import derived_id
from shared.contracts.intake import OpinionClassified, OpinionKind
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Assignment, Intake

pytestmark = pytest.mark.service


def classified() -> OpinionClassified:
    return OpinionClassified(
        event_id=derived_id("trace", 1),
        opinion_id="op-trace",
        tracking_code="DT-TRACE",
        field="labour_jobs",
        kind=OpinionKind.PROPOSAL,
        summary="Đề nghị đào tạo nghề cho lao động nông thôn.",
        received_at="2026-11-27T08:00:00+00:00",
    )


def assigned_after(event: OpinionClassified) -> OpinionAssigned:
    return OpinionAssigned(
        event_id=derived_id(event.event_id, "OpinionAssigned"),
        correlation_id=event.correlation_id,
        opinion_id=event.opinion_id,
        tracking_code=event.tracking_code,
        agency_code="hn-snv",
        agency_name="Sở Nội vụ",
        field=event.field,
        deadline="2026-12-18",
        summary=event.summary,
        received_at=event.received_at,
        assigned_at=event.received_at,
    )


async def test_a_consumed_event_and_the_event_it_causes_share_one_trace(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    intake = ServiceHost(settings_for("intake"), owned_streams=["INTAKE"], tracer_provider=provider)
    assignment = ServiceHost(
        settings_for("assignment"), owned_streams=["ASSIGNMENT"], tracer_provider=provider
    )
    notified: list[str] = []

    @assignment.consumer(Intake.OPINION_CLASSIFIED, "classified")
    async def route(event: OpinionClassified) -> None:
        await assignment.publish([assigned_after(event)])

    @intake.consumer(Assignment.OPINION_ASSIGNED, "assigned-probe")
    async def notify(event: OpinionAssigned) -> None:
        notified.append(event.opinion_id)

    # Each consumes the other's stream, and waits for its owner to create it: start them together.
    await asyncio.gather(intake.start(), assignment.start())
    try:
        await intake.publish([classified()])
        async with asyncio.timeout(15):
            while not notified:
                await asyncio.sleep(0.05)
    finally:
        await assignment.stop()
        await intake.stop()
    spans = exporter.get_finished_spans()
    process = [s for s in spans if s.kind.name == "CONSUMER"]
    assert {s.name.split()[0] for s in process} >= {Intake.OPINION_CLASSIFIED, Assignment.OPINION_ASSIGNED}
    assert len({s.context.trace_id for s in spans}) == 1
