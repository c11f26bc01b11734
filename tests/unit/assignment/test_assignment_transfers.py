"""A transfer to the competent level is a hand-over: its agency holds it, answers it, or returns it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from assignment_handler_support import Bed, classified

from shared.contracts.assignment import (
    AnswerPublished,
    OpinionAssigned,
    OpinionTransferred,
    ReassignmentRequested,
)
from shared.contracts.intake import OpinionKind
from shared.errors import DomainError

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # Friday 20 November 2026, 09:00 in Hà Nội
PROVINCE = "nb-snv"  # Sở Nội vụ tỉnh Ninh Bình: staffing quotas are set by the province


def body(cid: str, **extra: Any) -> dict[str, Any]:
    return {"command_id": cid, "opinion_id": "op-1", **extra}


@pytest.fixture
async def bed() -> Bed:
    bed = Bed(NOW)
    # A staffing question at a commune of Ninh Bình is beyond the commune's authority.
    await bed.route(classified(1, "organisation_staff", "binh-luc-xa", "commune"))
    return bed


async def test_the_competent_department_receives_it_with_a_deadline_and_is_told(bed: Bed) -> None:
    transferred, assigned = bed.published
    assert isinstance(transferred, OpinionTransferred)
    assert (transferred.target_level, transferred.target_body) == ("province", "Sở Nội vụ tỉnh Ninh Bình")
    assert transferred.target_agency == PROVINCE
    assert isinstance(assigned, OpinionAssigned)
    assert (assigned.agency_code, assigned.agency_name) == (PROVINCE, "Sở Nội vụ tỉnh Ninh Bình")
    assert assigned.agency_email == "sonoivu@ninhbinh.example"
    assert assigned.transferred is True
    assert assigned.deadline == dt.date(2026, 12, 14)  # 15 working days
    shown = await bed.command("show", {"opinion_id": "op-1"})
    assert (shown["status"], shown["agency_code"], shown["deadline"]) == ("assigned", PROVINCE, "2026-12-14")
    assert (shown["transfer_level"], shown["transfer_body"]) == ("province", "Sở Nội vụ tỉnh Ninh Bình")
    assert shown["transfer"]["agency_code"] == PROVINCE
    (row,) = await bed.command("list", {"agency_code": PROVINCE})
    assert (row["opinion_id"], row["deadline"], row["transfer_level"]) == ("op-1", "2026-12-14", "province")


async def test_the_transferred_opinion_is_accepted_answered_published_and_rated_there(bed: Bed) -> None:
    await bed.command("accept", body("a", agency_code=PROVINCE))
    bed.now = NOW + dt.timedelta(days=6)
    await bed.command(
        "answer",
        body(
            "b",
            agency_code=PROVINCE,
            document_number="125/SNV-TCBC",
            document_date="2026-11-26",
            summary="Biên chế cấp xã do tỉnh giao theo đề án vị trí việc làm.",
        ),
    )
    await bed.command("publish", body("c"))
    reply = await bed.command("rate", body("d", stars=5))
    assert reply["status"] == "published"
    published = next(e for e in bed.published if isinstance(e, AnswerPublished))
    assert (published.agency_code, published.on_time) == (PROVINCE, True)
    report = await bed.command("report", {"period": "2026-Q4", "as_of": "2026-12-31"})
    (row,) = report["rows"]
    assert (row["agency_code"], row["answered_on_time"], row["ratings"], row["average_rating"]) == (
        PROVINCE,
        1,
        1,
        5.0,
    )
    assert row["average_rating_text"] == "5,0/5 (1 lượt)"
    data = await bed.command("conclusion", {"conference_id": "conf-1"})
    (item,) = data["items"]
    assert (item["outcome"], item["agency_name"]) == ("transferred", "Sở Nội vụ tỉnh Ninh Bình")
    assert (item["transfer_body"], item["deadline"]) == ("Sở Nội vụ tỉnh Ninh Bình", "2026-12-14")


async def test_the_competent_level_can_return_it_as_not_competent_and_the_head_reassigns(bed: Bed) -> None:
    await bed.command("request-reassignment", body("a", agency_code=PROVINCE, reason="Thuộc Sở Tài chính."))
    assert isinstance(bed.published[-1], ReassignmentRequested)
    bed.now = NOW + dt.timedelta(days=1)
    reply = await bed.command("reassign", body("b", agency_code="nb-stc", reason="Kinh phí biên chế."))
    assert (reply["agency_code"], reply["transfer_level"]) == ("nb-stc", "province")
    moved = bed.published[-1]
    assert isinstance(moved, OpinionAssigned)
    assert (moved.reassigned_from, moved.reassigned_from_email) == (PROVINCE, "sonoivu@ninhbinh.example")
    assert (moved.transferred, moved.reassignment_reason) == (True, "Kinh phí biên chế.")
    # The province finds the commune competent after all: back to the commune's office, no transfer.
    reply = await bed.command("reassign", body("c", agency_code="bl-vp"))
    assert (reply["agency_code"], reply["transfer_level"]) == ("bl-vp", None)
    assert bed.published[-1].transferred is False  # type: ignore[attr-defined]


async def test_a_transfer_outside_the_table_is_closed_but_the_head_can_give_it_to_an_agency() -> None:
    bed = Bed(NOW)
    # A national health-insurance proposal at a provincial conference: the ministry is only named.
    (transferred,) = await bed.route(classified(1, "health_insurance", kind=OpinionKind.PROPOSAL))
    assert isinstance(transferred, OpinionTransferred)
    assert (transferred.target_level, transferred.agency_code) == ("national", None)
    with pytest.raises(DomainError) as refused:
        await bed.command("accept", body("a", agency_code="nb-bhxh"))
    assert refused.value.code == "opinion_closed"
    reply = await bed.command("reassign", body("b", agency_code="nb-bhxh", reason="Tỉnh tổng hợp kiến nghị."))
    assert (reply["status"], reply["agency_code"], reply["transfer_level"]) == ("assigned", "nb-bhxh", None)
    assert isinstance(bed.published[-1], OpinionAssigned)
