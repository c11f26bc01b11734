"""Operator commands over an in-memory store: the rework loop, refusals, duplicates, sweep, metrics."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from assignment_handler_support import Bed, classified

from shared.contracts.assignment import AnswerPublished, DeadlineApproaching, OpinionOverdue
from shared.errors import DomainError

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
AGENCY = "nb-sgddt"


def answer(cid: str, n: str = "12/SGDĐT") -> dict[str, Any]:
    return {
        "command_id": cid,
        "opinion_id": "op-1",
        "agency_code": AGENCY,
        "document_number": n,
        "document_date": "2026-11-25",
        "summary": "Sở đã bố trí kinh phí sửa trường.",
    }


@pytest.fixture
async def bed() -> Bed:
    bed = Bed(NOW)
    await bed.route(classified(1))
    return bed


async def test_the_rework_loop_ends_in_a_published_rated_answer(bed: Bed) -> None:
    bed.now = NOW + dt.timedelta(days=5)
    await bed.command("answer", answer("a1"))
    await bed.command("return", {"command_id": "r1", "opinion_id": "op-1", "reason": "Chưa nêu thời gian."})
    await bed.command("answer", answer("a2", "13/SGDĐT"))
    await bed.command("publish", {"command_id": "p1", "opinion_id": "op-1"})
    reply = await bed.command("rate", {"command_id": "s1", "opinion_id": "op-1", "stars": 4})
    assert reply["status"] == "published"
    published = next(e for e in bed.published if isinstance(e, AnswerPublished))
    assert published.document_number == "13/SGDĐT"
    assert published.on_time
    assert bed.sample("dialogue_answers_total", {"timeliness": "on_time"}) == 1.0
    labels = {"level": "province", "field": "education"}
    assert bed.sample("dialogue_response_assigned_to_answered_seconds_count", labels) == 2.0
    assert bed.sample("dialogue_response_received_to_published_seconds_count", labels) == 1.0


@pytest.mark.parametrize(
    ("verb", "body", "code"),
    [
        ("assign", {"agency_code": "no-such"}, "unknown_agency"),
        ("answer", {**answer("x"), "agency_code": "nb-sxd"}, "not_assigned_agency"),
        ("rate", {"stars": 9}, "rating_out_of_range"),
        (
            "request-extension",
            {"agency_code": AGENCY, "new_deadline": "2027-06-01", "reason": "Cần khảo sát."},
            "extension_too_long",
        ),
        ("publish", {"opinion_id": "op-404"}, "unknown_opinion"),
        ("accept", {"agency_code": AGENCY, "surprise": 1}, "unknown_field"),
    ],
)
async def test_a_wrong_command_is_refused_with_one_vietnamese_sentence(
    bed: Bed, verb: str, body: dict[str, Any], code: str
) -> None:
    before = dict(bed.store.collections["assignments"]["op-1"])
    with pytest.raises(DomainError) as refused:
        await bed.command(verb, {"command_id": "z", "opinion_id": "op-1", **body})
    assert refused.value.code == code
    assert refused.value.message.endswith(".")
    assert bed.store.collections["assignments"]["op-1"] == before


async def test_an_answer_to_a_closed_opinion_is_refused(bed: Bed) -> None:
    await bed.command("answer", answer("a1"))
    await bed.command("publish", {"command_id": "p1", "opinion_id": "op-1"})
    with pytest.raises(DomainError) as refused:
        await bed.command("answer", answer("a3"))
    assert refused.value.code == "opinion_closed"


async def test_the_sweep_reminds_then_escalates_once_and_sets_the_gauges(bed: Bed) -> None:
    bed.now = dt.datetime(2026, 12, 9, 2, tzinfo=dt.UTC)
    first = await bed.sweep()
    assert [type(e) for e in first] == [DeadlineApproaching]
    assert await bed.sweep() == []
    bed.now = dt.datetime(2026, 12, 15, 2, tzinfo=dt.UTC)
    (overdue,) = await bed.sweep()
    assert isinstance(overdue, OpinionOverdue)
    assert overdue.head_name == "Quách Văn Toàn"
    assert await bed.sweep() == []
    assert bed.sample("dialogue_opinions_overdue", {"agency": AGENCY}) == 1.0
    rows = await bed.command("list", {"overdue": True})
    assert [r["opinion_id"] for r in rows] == ["op-1"]


async def test_events_saved_but_not_published_are_flushed_by_the_next_sweep(bed: Bed) -> None:
    doc = bed.store.collections["assignments"]["op-1"]
    doc["unpublished"], doc["has_unpublished"] = (
        [{"type": "OpinionAssigned", "data": bed.published[0].model_dump(mode="json")}],
        True,
    )
    assert await bed.uow.sweep(["assignments"]) == 1
    assert bed.published[-1].event_id == bed.published[0].event_id
    assert bed.store.collections["assignments"]["op-1"]["has_unpublished"] is False


async def test_the_report_and_the_conclusion_data_cover_the_opinion(bed: Bed) -> None:
    report = await bed.command("report", {"period": "2026-Q4", "as_of": "2026-12-31"})
    (row,) = report["rows"]
    assert (row["agency_code"], row["assigned"], row["open_overdue"]) == (AGENCY, 1, 1)
    assert (report["total"]["assigned"], report["total"]["p90_working_days"]) == (1, None)  # nothing answered
    other = await bed.command("report", {"period": "2026-Q4", "agency_codes": ["xa-khong-co"]})
    assert (other["rows"], other["total"]["assigned"], other["total"]["on_time_rate_text"]) == ([], 0, "—")
    data = await bed.command("conclusion", {"conference_id": "conf-1"})
    assert data["items"][0]["tracking_code"] == "HN-0001"
    assert data["items"][0]["outcome"] == "assigned"
