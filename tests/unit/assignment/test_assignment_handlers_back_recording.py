"""Back-recording: a 2023 conference typed in in 2026 keeps the agencies and deadlines of its own date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from assignment_handler_support import Bed, classified, reclassified

from shared.contracts.assignment import (
    AnswerPublished,
    AnswerSubmitted,
    OpinionAnsweredDirectly,
    OpinionAssigned,
    OpinionOverdue,
    OpinionTriageQueued,
)
from shared.errors import DomainError
from shared.timeutil import VN_TZ

pytestmark = pytest.mark.unit

NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # the day the secretariat types it in
SEED = dt.datetime(2023, 12, 20, 1, 0, tzinfo=dt.UTC)  # the seed's conference, 08:00 in Hà Nội


def vn(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=VN_TZ).astimezone(dt.UTC)


def body(cid: str, **extra: Any) -> dict[str, Any]:
    return {"command_id": cid, "opinion_id": "op-1", **extra}


def answer(cid: str, agency: str, **extra: Any) -> dict[str, Any]:
    return body(
        cid,
        agency_code=agency,
        document_number=f"{cid}/SGDĐT",
        document_date="2024-01-10",
        summary="Sở đã bố trí thiết bị dạy học.",
        **extra,
    )


async def seeded(field: str = "education") -> Bed:
    """A Hà Nam opinion of the seed's conference, routed by a service whose clock says 2026."""
    bed = Bed(NOW)
    await bed.route(classified(1, field, received_at=SEED.isoformat(), unit="ha-nam"))
    return bed


async def test_a_land_opinion_of_2023_goes_to_the_department_of_2023_with_a_deadline_in_january_2024() -> (
    None
):
    bed = await seeded("land")
    (event,) = bed.published
    assert isinstance(event, OpinionAssigned)
    assert (event.agency_code, event.agency_name) == ("hn-stnmt", "Sở Tài nguyên và Môi trường tỉnh Hà Nam")
    assert event.agency_email == "sotnmt@hanam.example"
    assert event.deadline == dt.date(2024, 1, 19)  # 30 calendar days from 20/12/2023
    assert event.assigned_at == event.occurred_at == SEED
    # The same field raised at a commune of the merged province in 2026 goes to that commune's office.
    (today,) = await bed.route(classified(2, "land", "binh-luc-xa", "commune"))
    assert isinstance(today, OpinionAssigned)
    assert (today.agency_code, today.deadline) == ("bl-pkt", dt.date(2026, 12, 21))


async def test_a_working_day_field_of_2023_counts_fifteen_working_days_from_the_receipt() -> None:
    bed = await seeded("education")
    (event,) = bed.published
    assert isinstance(event, OpinionAssigned)
    assert (event.agency_code, event.deadline) == ("hn-sgddt", dt.date(2024, 1, 11))  # 1/1/2024 is a holiday
    labels = {"level": "province", "field": "education"}
    assert bed.sample("dialogue_response_received_to_assigned_seconds_sum", labels) == 0.0


async def test_a_reclassification_routes_with_today_and_finds_no_hanam_agency_in_force() -> None:
    bed = await seeded("transport")
    assert bed.published[0].agency_code == "hn-sgtvt"  # type: ignore[attr-defined]
    (queued,) = await bed.reroute(reclassified(1, "education", "transport", unit="ha-nam"))
    assert isinstance(queued, OpinionTriageQueued)
    assert (queued.reason, queued.reassigned_from, queued.occurred_at) == (
        "no_agency_for_field",
        "hn-sgtvt",
        NOW,
    )


async def test_an_answer_back_recorded_before_the_deadline_is_on_time_and_keeps_its_dates() -> None:
    bed = await seeded()
    # Vietnam time without an offset, as the CLI's --at sends it; the deadline is 11/01/2024.
    await bed.command("answer", answer("a1", "hn-sgddt", effective_at="2024-01-10T09:00:00"))
    await bed.command("publish", body("p1", effective_at="2024-01-12T15:00:00"))
    submitted = next(e for e in bed.published if isinstance(e, AnswerSubmitted))
    published = next(e for e in bed.published if isinstance(e, AnswerPublished))
    assert (submitted.on_time, submitted.answered_at, submitted.occurred_at) == (
        True,
        vn(2024, 1, 10, 9),
        vn(2024, 1, 10, 9),
    )
    assert (published.on_time, published.published_at) == (True, vn(2024, 1, 12, 15))
    assert bed.sample("dialogue_answers_total", {"timeliness": "on_time"}) == 1.0
    shown = await bed.command("show", {"opinion_id": "op-1"})
    assert [h["at"] for h in shown["history"]] == [
        SEED.isoformat(),
        vn(2024, 1, 10, 9).isoformat(),
        vn(2024, 1, 12, 15).isoformat(),
    ]


async def test_the_same_answer_recorded_without_a_date_is_late() -> None:
    bed = await seeded()
    await bed.command("answer", answer("a1", "hn-sgddt"))
    submitted = next(e for e in bed.published if isinstance(e, AnswerSubmitted))
    assert (submitted.on_time, submitted.answered_at) == (False, NOW)


@pytest.mark.parametrize(
    ("effective_at", "code", "said"),
    [
        ("2026-11-20T09:06:00", "effective_in_future", "20/11/2026 09:06"),
        ("2023-12-20T07:59:00", "effective_before_receipt", "20/12/2023 08:00"),
        ("2024-01-04T10:00:00", "effective_before_last_action", "từ 05/01/2024 09:00 trở đi"),
    ],
)
async def test_an_effective_time_that_would_rewrite_the_history_is_refused(
    effective_at: str, code: str, said: str
) -> None:
    bed = await seeded()
    await bed.command("accept", body("ok", agency_code="hn-sgddt", effective_at="2024-01-05T09:00:00"))
    before = dict(bed.store.collections["assignments"]["op-1"])
    with pytest.raises(DomainError) as refused:
        await bed.command("answer", answer("late", "hn-sgddt", effective_at=effective_at))
    assert refused.value.code == code
    assert said in refused.value.message
    assert "hãy" in refused.value.message
    assert bed.store.collections["assignments"]["op-1"] == before


async def test_five_minutes_ahead_of_the_clock_is_still_accepted() -> None:
    bed = Bed(NOW)
    await bed.route(classified(1))
    reply = await bed.command("accept", body("a", agency_code="nb-sgddt", effective_at="2026-11-20T09:05:00"))
    assert reply["status"] == "accepted"


async def test_a_resent_back_recorded_command_replays_even_after_later_actions() -> None:
    bed = await seeded()
    first = await bed.command("accept", body("a", agency_code="hn-sgddt", effective_at="2024-01-02T09:00:00"))
    await bed.command("answer", answer("b", "hn-sgddt", effective_at="2024-01-10T09:00:00"))
    again = await bed.command("accept", body("a", agency_code="hn-sgddt", effective_at="2024-01-02T09:00:00"))
    assert (first["duplicate"], again["duplicate"]) == (False, True)


async def test_a_direct_answer_waiting_for_its_opinion_keeps_its_effective_time() -> None:
    bed = Bed(NOW)
    said = {"answer": "Tỉnh đã có cơ chế hỗ trợ.", "answered_by": "Chủ tịch UBND tỉnh"}
    pending = await bed.command("answer-directly", body("d1", effective_at="2023-12-20T10:30:00", **said))
    assert pending["status"] == "pending"
    again = await bed.command("answer-directly", body("d1", effective_at="2023-12-20T10:30:00", **said))
    assert again["duplicate"] is True
    (event,) = await bed.route(classified(1, "culture_relics", received_at=SEED.isoformat(), unit="ha-nam"))
    assert isinstance(event, OpinionAnsweredDirectly)
    at = vn(2023, 12, 20, 10, 30)
    assert (event.answered_at, event.published_at, event.occurred_at) == (at, at, at)


async def test_a_direct_answer_dated_in_the_future_is_refused_before_it_waits() -> None:
    bed = Bed(NOW)
    said = {"answer": "Đã có kế hoạch.", "answered_by": "Chủ tịch", "effective_at": "2026-12-01T08:00:00"}
    with pytest.raises(DomainError) as refused:
        await bed.command("answer-directly", body("d1", **said))
    assert refused.value.code == "effective_in_future"
    assert bed.store.collections.get("direct_answers", {}) == {}


async def test_a_back_recorded_assignment_may_choose_the_agency_of_its_date_but_not_one_gone_today() -> None:
    bed = Bed(NOW)
    await bed.route(classified(1, "unclassified", received_at=SEED.isoformat(), unit="ha-nam"))
    with pytest.raises(DomainError) as refused:
        await bed.command("assign", body("now", agency_code="hn-stnmt"))
    assert refused.value.code == "agency_not_in_force"
    assert "chỉ hoạt động đến ngày 28/02/2025" in refused.value.message
    reply = await bed.command(
        "assign", body("then", agency_code="hn-stnmt", effective_at="2024-01-05T09:00:00")
    )
    assert (reply["agency_code"], reply["deadline"]) == (
        "hn-stnmt",
        "2024-01-26",
    )  # 15 working days from 5/1/2024
    with pytest.raises(DomainError) as moved:
        await bed.command(
            "reassign", body("move", agency_code="hn-snnmt", effective_at="2024-01-08T09:00:00")
        )
    assert moved.value.code == "agency_not_in_force"


async def test_the_sweep_sends_nothing_for_an_agency_gone_but_escalates_one_in_force() -> None:
    bed = await seeded()  # Hà Nam's education department: overdue since January 2024, gone since July 2025
    await bed.route(classified(2))  # Ninh Bình's department, in force: due on 14/12/2026
    bed.now = NOW + dt.timedelta(days=30)
    (overdue,) = await bed.sweep()
    assert isinstance(overdue, OpinionOverdue)
    assert overdue.agency_code == "nb-sgddt"
    assert await bed.sweep() == []
    rows = await bed.command("list", {"overdue": True})
    assert sorted(r["opinion_id"] for r in rows) == ["op-1", "op-2"]  # still listed, for a person to reassign


async def test_an_answer_given_before_a_reminder_went_out_may_be_recorded_after_it() -> None:
    bed = Bed(NOW)
    await bed.route(classified(1))  # Ninh Bình's department, due on 14/12/2026
    await bed.command("accept", body("a", agency_code="nb-sgddt"))
    bed.now = NOW + dt.timedelta(days=30)
    assert [type(e).__name__ for e in await bed.sweep()] == ["OpinionOverdue"]
    # The department's answer of 10/12/2026 is typed in after the sweep's escalation of 20/12.
    reply = await bed.command("answer", answer("b", "nb-sgddt", effective_at="2026-12-10T09:00:00"))
    assert reply["status"] == "answered"
    submitted = next(e for e in bed.published if isinstance(e, AnswerSubmitted))
    assert submitted.on_time is True


async def test_every_event_says_who_gave_the_command() -> None:
    bed = Bed(NOW)
    await bed.route(classified(1))
    officer, head = "Trần Thị Mai (mai.sgddt)", "Phạm Văn Hùng (hung.ubnd)"
    await bed.command("accept", body("a", agency_code="nb-sgddt", by=officer))
    await bed.command("answer", answer("b", "nb-sgddt", by=officer))
    await bed.command("return", body("c", reason="Chưa nêu lộ trình.", by=head))
    await bed.command("answer", answer("d", "nb-sgddt"))  # no account named: the agency answered
    await bed.command("publish", body("e", by=head))
    assert [(type(e).__name__, e.by) for e in bed.published] == [
        ("OpinionAssigned", "system"),
        ("OpinionAccepted", officer),
        ("AnswerSubmitted", officer),
        ("AnswerReturned", head),
        ("AnswerSubmitted", "nb-sgddt"),
        ("AnswerPublished", head),
    ]
    shown = await bed.command("show", {"opinion_id": "op-1"})
    assert [h["by"] for h in shown["history"]][1:3] == [officer, officer]
