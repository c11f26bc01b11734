"""Reclassification re-routes: the new agency is assigned like a first time, the losing one is named."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from assignment_handler_support import Bed, classified, reclassified

from shared.contracts.assignment import OpinionAssigned, OpinionTransferred, OpinionTriageQueued

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)  # Wednesday 25 November 2026


def body(cid: str, **extra: Any) -> dict[str, Any]:
    return {"command_id": cid, "opinion_id": "op-1", **extra}


async def test_an_opinion_moved_from_transport_to_education_leaves_the_economic_office() -> None:
    bed = Bed(NOW)
    await bed.route(classified(1, "transport", "binh-luc-xa", "commune"))
    await bed.command("accept", body("a", agency_code="bl-pkt"))
    bed.now = LATER
    (moved,) = await bed.reroute(reclassified(1, "education", "transport", "binh-luc-xa", "commune"))
    assert isinstance(moved, OpinionAssigned)
    # The new agency is told like a first assignment, with a deadline counted from the re-routing.
    assert (moved.agency_code, moved.agency_name) == ("bl-pvhxh", "Phòng Văn hóa - Xã hội xã Bình Lục")
    assert (moved.deadline, moved.assigned_at, moved.field) == (dt.date(2026, 12, 16), LATER, "education")
    # The agency that loses it is named, with its address and why, so it can be told.
    assert (moved.reassigned_from, moved.reassigned_from_name) == ("bl-pkt", "Phòng Kinh tế xã Bình Lục")
    assert moved.reassigned_from_email == "phongkinhte@binhluc.example"
    assert moved.reassignment_reason == "Phân loại lại lĩnh vực: Nội dung về trường học."
    shown = await bed.command("show", {"opinion_id": "op-1"})
    assert (shown["status"], shown["agency_code"], shown["field"]) == ("assigned", "bl-pvhxh", "education")
    assert shown["history"][-1]["action"] == "reroute"


async def test_a_redelivered_reclassification_republishes_the_same_events_and_changes_nothing() -> None:
    bed = Bed(NOW)
    await bed.route(classified(1, "transport", "binh-luc-xa", "commune"))
    event = reclassified(1, "education", "transport", "binh-luc-xa", "commune")
    first = await bed.reroute(event)
    version = bed.store.collections["assignments"]["op-1"]["version"]
    bed.now = LATER
    again = await bed.reroute(event)
    assert [e.event_id for e in again] == [e.event_id for e in first]
    assert again[0].model_dump() == first[0].model_dump()
    assert bed.store.collections["assignments"]["op-1"]["version"] == version


async def test_an_answered_opinion_keeps_its_agency_and_only_its_field_changes() -> None:
    bed = Bed(NOW)
    await bed.route(classified(1, "transport", "binh-luc-xa", "commune"))
    answer = {"document_number": "7/PKT", "document_date": "2026-11-24", "summary": "Đã sửa đường."}
    await bed.command("answer", body("a", agency_code="bl-pkt", **answer))
    assert await bed.reroute(reclassified(1, "education", "transport", "binh-luc-xa", "commune")) == []
    shown = await bed.command("show", {"opinion_id": "op-1"})
    assert (shown["status"], shown["agency_code"], shown["field"]) == ("answered", "bl-pkt", "education")
    await bed.command("publish", body("p"))
    assert await bed.reroute(reclassified(1, "land", "education", "binh-luc-xa", "commune", step=2)) == []
    assert (await bed.command("show", {"opinion_id": "op-1"}))["status"] == "published"


async def test_a_field_the_same_agency_handles_keeps_its_agency_and_deadline() -> None:
    bed = Bed(NOW)
    (assigned,) = await bed.route(classified(1, "transport", "binh-luc-xa", "commune"))
    bed.now = LATER
    assert await bed.reroute(reclassified(1, "agriculture", "transport", "binh-luc-xa", "commune")) == []
    shown = await bed.command("show", {"opinion_id": "op-1"})
    assert (shown["agency_code"], shown["deadline"]) == ("bl-pkt", assigned.deadline.isoformat())  # type: ignore[attr-defined]


async def test_an_opinion_in_triage_is_assigned_when_its_new_field_has_an_agency() -> None:
    bed = Bed(NOW)
    (queued,) = await bed.route(classified(1, "unclassified", "binh-luc-xa", "commune"))
    assert isinstance(queued, OpinionTriageQueued)
    (assigned,) = await bed.reroute(reclassified(1, "land", "unclassified", "binh-luc-xa", "commune"))
    assert isinstance(assigned, OpinionAssigned)
    assert (assigned.agency_code, assigned.reassigned_from) == ("bl-pkt", None)


async def test_a_new_field_beyond_the_communes_authority_is_handed_over_to_the_province() -> None:
    bed = Bed(NOW)
    await bed.route(classified(1, "labour_jobs", "binh-luc-xa", "commune"))
    events = await bed.reroute(reclassified(1, "organisation_staff", "labour_jobs", "binh-luc-xa", "commune"))
    transferred, assigned = events
    assert isinstance(transferred, OpinionTransferred)
    assert (transferred.target_agency, transferred.reassigned_from) == ("nb-snv", "bl-pvhxh")
    assert isinstance(assigned, OpinionAssigned)
    assert (assigned.agency_code, assigned.transferred, assigned.reassigned_from) == (
        "nb-snv",
        True,
        "bl-pvhxh",
    )


async def test_a_new_field_no_agency_handles_goes_to_triage_naming_the_agency_that_lost_it() -> None:
    bed = Bed(NOW)
    await bed.route(classified(1, "transport", "binh-luc-xa", "commune"))
    (queued,) = await bed.reroute(reclassified(1, "unclassified", "transport", "binh-luc-xa", "commune"))
    assert isinstance(queued, OpinionTriageQueued)
    assert (queued.reason, queued.reassigned_from, queued.agency_code) == ("unclassified", "bl-pkt", None)
    shown = await bed.command("show", {"opinion_id": "op-1"})
    assert (shown["status"], shown["agency_code"], shown["deadline"]) == ("triage", None, None)


async def test_a_reclassification_that_overtakes_the_classification_routes_with_the_new_field() -> None:
    bed = Bed(NOW)
    (assigned,) = await bed.reroute(reclassified(1, "education", "transport", "binh-luc-xa", "commune"))
    assert isinstance(assigned, OpinionAssigned)
    assert assigned.agency_code == "bl-pvhxh"
    assert await bed.route(classified(1, "transport", "binh-luc-xa", "commune")) == []
    assert (await bed.command("show", {"opinion_id": "op-1"}))["agency_code"] == "bl-pvhxh"
