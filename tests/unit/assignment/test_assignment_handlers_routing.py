"""Handlers over an in-memory store: routing, redelivery, direct answers, unknown units, projection."""

from __future__ import annotations

import datetime as dt

import pytest
from assignment_handler_support import Bed, classified

from shared.contracts.assignment import OpinionAnsweredDirectly, OpinionAssigned, OpinionTriageQueued
from shared.contracts.scheduling import ConferencePlanned, ConferenceRescheduled

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
SEED = dt.datetime(2023, 12, 20, 1, 0, tzinfo=dt.UTC)  # the seed's conference at Đồng Du, 08:00 local


async def test_a_classified_opinion_is_assigned_with_a_working_day_deadline_and_observed_once() -> None:
    bed = Bed(NOW)
    (event,) = await bed.route(classified(1))
    assert isinstance(event, OpinionAssigned)
    assert (event.agency_code, event.deadline) == ("nb-sgddt", dt.date(2026, 12, 14))
    assert event.correlation_id == "op-1"
    # Routing takes effect when the opinion was received (an hour before this clock), not when it ran.
    assert event.assigned_at == event.received_at == NOW - dt.timedelta(hours=1)
    labels = {"level": "province", "field": "education"}
    assert bed.sample("dialogue_response_received_to_assigned_seconds_count", labels) == 1.0
    assert bed.store.collections["assignments"]["op-1"]["has_unpublished"] is False


async def test_a_redelivered_classification_republishes_the_same_event_and_changes_nothing() -> None:
    bed = Bed(NOW)
    first = await bed.route(classified(2))
    version = bed.store.collections["assignments"]["op-2"]["version"]
    again = await bed.route(classified(2))
    assert [e.event_id for e in again] == [e.event_id for e in first]
    assert bed.store.collections["assignments"]["op-2"]["version"] == version
    labels = {"level": "province", "field": "education"}
    assert bed.sample("dialogue_response_received_to_assigned_seconds_count", labels) == 1.0


async def test_a_unit_named_with_its_kind_prefix_routes_to_the_commune_offices() -> None:
    bed = Bed(NOW)
    # Đồng Du was merged away in 2025: its opinion of 2023 goes to the office of its own date.
    (event,) = await bed.route(classified(3, "land", "xa-dong-du", "commune", received_at=SEED.isoformat()))
    assert isinstance(event, OpinionAssigned)
    assert event.agency_code == "dd-pkt"


async def test_an_unknown_unit_goes_to_triage_instead_of_failing() -> None:
    bed = Bed(NOW)
    (event,) = await bed.route(classified(4, "land", "xa-khong-co", "commune"))
    assert isinstance(event, OpinionTriageQueued)
    assert event.reason == "unknown_unit"


async def test_the_conference_projection_resolves_a_unit_by_its_name() -> None:
    bed = Bed(NOW)
    await bed.conference(
        ConferencePlanned(
            conference_id="conf-x",
            title="Hội nghị",
            unit_code="dongdu-2023",
            unit_name="xã Đồng Du",
            level="commune",
            starts_at=SEED,
            ends_at=SEED,
        )
    )
    event = classified(5, "labour_jobs", None, None, conference_id="conf-x", received_at=SEED.isoformat())
    (assigned,) = await bed.route(event)
    assert isinstance(assigned, OpinionAssigned)
    assert assigned.agency_code == "dd-vp"
    assert assigned.level == "commune"


async def test_a_direct_answer_recorded_before_the_opinion_arrives_closes_it_on_arrival() -> None:
    bed = Bed(NOW)
    reply = await bed.command(
        "answer-directly",
        {"command_id": "c1", "opinion_id": "op-6", "answer": "Đã có kế hoạch.", "answered_by": "Chủ tịch"},
    )
    assert reply["status"] == "pending"
    (event,) = await bed.route(classified(6))
    assert isinstance(event, OpinionAnsweredDirectly)
    assert event.answer == "Đã có kế hoạch."


async def test_a_direct_answer_after_assignment_closes_the_assigned_opinion() -> None:
    bed = Bed(NOW)
    await bed.route(classified(7))
    body = {
        "command_id": "c2",
        "opinion_id": "HN-0007",
        "answer": "Trả lời tại hội nghị.",
        "answered_by": "Bí thư",
    }
    reply = await bed.command("answer-directly", body)
    assert reply["status"] == "answered_directly"
    assert reply["events"] == ["OpinionAnsweredDirectly"]
    again = await bed.command("answer-directly", body)
    assert again["duplicate"] is True
    assert bed.types() == ["OpinionAssigned", "OpinionAnsweredDirectly", "OpinionAnsweredDirectly"]
    assert bed.published[1].event_id == bed.published[2].event_id


async def test_every_conference_event_feeds_the_snapshot_and_an_older_one_changes_nothing() -> None:
    bed = Bed(NOW)
    common = {"conference_id": "conf-r", "title": "Hội nghị", "unit_code": "ha-nam", "level": "province"}
    moved = NOW + dt.timedelta(days=3)
    await bed.conference(ConferencePlanned(**common, starts_at=NOW, ends_at=NOW))
    await bed.conference(
        ConferenceRescheduled(
            **common,
            starts_at=moved,
            ends_at=moved,
            previous_starts_at=NOW,
            previous_ends_at=NOW,
            conference_version=2,
            venue="Hội trường UBND tỉnh",
        )
    )
    await bed.conference(ConferencePlanned(**common, starts_at=NOW, ends_at=NOW))  # redelivered, older
    data = await bed.command("conclusion", {"conference_id": "conf-r"})
    conference = data["conference"]
    assert dt.datetime.fromisoformat(conference["starts_at"]) == moved
    assert conference["venue"] == "Hội trường UBND tỉnh"
    assert conference["unit_name"] == "tỉnh Hà Nam"  # the event named none: the routing file's name
