"""The path ``track`` shows: assignment's events recorded once each, in the order they happened."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pytest

from services.intake import handlers
from services.intake.adapters.progress import COLLECTION, AssignmentProgress, NoticeSent
from shared.contracts import assignment as a
from shared.contracts.notification import NotificationSent
from tests.unit.intake.intake_handler_support import (
    NOW,
    Intake,
    ask,
    make_context,
    payload,
    raw,
    submit_external,
)

pytestmark = pytest.mark.unit

AGENCY = "Phòng Tài nguyên và Môi trường xã Đồng Du"
PROVINCE = "Sở Nội vụ tỉnh Ninh Bình"


async def submitted(ctx: Intake) -> tuple[str, str]:
    result = await submit_external(ctx, "demo-portal", raw(payload("dd-path")), key="s:path", now=NOW)
    assert result.opinion is not None
    return result.opinion.id, result.opinion.tracking_code


def common(opinion_id: str, code: str, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "opinion_id": opinion_id, "tracking_code": code, "correlation_id": opinion_id, "field": "land",
        "summary": "Đề nghị hướng dẫn đấu giá đất công ích.", "received_at": NOW,
        "agency_code": "xa-dong-du-tnmt", "agency_name": AGENCY, "agency_email": "tnmt@dongdu.example.vn",
        "deadline": dt.date(2024, 1, 22),
    }  # fmt: skip
    return {**fields, **changes}


async def follow(ctx: Intake, event: a.AssignmentEvent) -> None:
    subject = event.routing_subject()
    tolerant = AssignmentProgress.model_validate_json(event.to_json())
    await ctx.run(lambda: handlers.follow_assignment(ctx.deps, subject, tolerant))


def at(hours: float) -> dt.datetime:
    return NOW + dt.timedelta(hours=hours)


async def test_before_assignment_says_anything_the_path_is_the_receipt_with_its_deadline() -> None:
    ctx = make_context()
    _, code = await submitted(ctx)

    tracked = await ask(ctx, "track", {"tracking_code": code})

    assert tracked["path"] == [
        {
            "at": "2023-12-20T09:00:00+07:00",
            "step": "received",
            "label": "Tiếp nhận ý kiến, lĩnh vực “Đất đai”",
            "agency": None,
            "deadline": tracked["acknowledgement_due"],
            "text": None,
        }
    ]
    assert tracked["current"] == {"step": "received", "label": "Tiếp nhận ý kiến, lĩnh vực “Đất đai”"}
    assert tracked["message"].startswith("Ý kiến đã được tiếp nhận, thuộc lĩnh vực “Đất đai”; hạn thông báo")


async def test_a_reassignment_an_extension_and_a_direct_answer_are_told_in_order_whatever_the_arrival() -> (
    None
):
    ctx = make_context()
    opinion_id, code = await submitted(ctx)
    first = common(opinion_id, code, agency_name="Văn phòng HĐND và UBND xã Đồng Du", agency_code="vp")
    moved = common(
        opinion_id, code, reassigned_from="vp", reassigned_from_name="Văn phòng HĐND và UBND xã Đồng Du"
    )
    extended = common(opinion_id, code, deadline=dt.date(2024, 2, 5))
    arrivals = [
        a.DeadlineExtended(event_id="e3", occurred_at=at(30), previous_deadline=dt.date(2024, 1, 22),
                           reason="Cần khảo sát thực địa.", **extended),
        a.OpinionAssigned(event_id="e2", occurred_at=at(5), assigned_at=at(5), **moved),
        a.OpinionAssigned(event_id="e1", occurred_at=at(1), assigned_at=at(1), **first),
        a.ExtensionRequested(event_id="e2b", occurred_at=at(20), requested_deadline=dt.date(2024, 2, 5),
                             reason="Cần khảo sát thực địa.", **common(opinion_id, code)),
    ]  # fmt: skip
    for event in arrivals:
        await follow(ctx, event)

    tracked = await ask(ctx, "track", {"tracking_code": code})

    assert [(s["step"], s["label"]) for s in tracked["path"][1:]] == [
        ("assigned", "Giao Văn phòng HĐND và UBND xã Đồng Du trả lời, hạn 22/01/2024"),
        ("reassigned", f"Chuyển từ Văn phòng HĐND và UBND xã Đồng Du sang {AGENCY} trả lời, hạn 22/01/2024"),
        ("deadline_extended", "Gia hạn thời hạn trả lời đến 05/02/2024"),
    ]  # the agency's request for more time is internal: not on the path
    assert tracked["path"][3]["deadline"] == "2024-02-05"
    assert tracked["message"].endswith(f"hiện đang được {AGENCY} giải quyết, hạn trả lời 05/02/2024.")
    assert "khảo sát" not in str(tracked)


async def test_a_transfer_names_the_competent_body_and_its_deadline() -> None:
    ctx = make_context()
    opinion_id, code = await submitted(ctx)
    fields = common(opinion_id, code, agency_name=PROVINCE, agency_code="ninh-binh-so-noi-vu")
    await follow(ctx, a.OpinionTransferred(event_id="t1", occurred_at=at(2), target_level="province",
                                           target_body=PROVINCE, **fields))  # fmt: skip

    tracked = await ask(ctx, "track", {"tracking_code": code})

    step = tracked["path"][-1]
    assert (step["step"], step["agency"], step["deadline"]) == ("transferred", PROVINCE, "2024-01-22")
    assert step["label"] == f"Chuyển {PROVINCE} giải quyết theo thẩm quyền, hạn 22/01/2024"
    assert tracked["current"]["step"] == "transferred"
    assert tracked["message"].endswith(f"đã được chuyển {PROVINCE} giải quyết theo thẩm quyền.")


async def test_a_redelivered_event_is_recorded_once() -> None:
    ctx = make_context()
    opinion_id, code = await submitted(ctx)
    assigned = a.OpinionAssigned(
        event_id="once", occurred_at=at(1), assigned_at=at(1), **common(opinion_id, code)
    )

    await follow(ctx, assigned)
    await follow(ctx, assigned)

    stored = await ctx.deps.store.get(COLLECTION, opinion_id)
    assert stored is not None
    assert [item["event_id"] for item in stored["events"]] == ["once"]
    assert stored["version"] == 1
    tracked = await ask(ctx, "track", {"tracking_code": code})
    assert [s["step"] for s in tracked["path"]] == ["received", "assigned"]


async def test_an_unknown_event_type_is_kept_without_showing_and_without_its_contact_data() -> None:
    ctx = make_context()
    opinion_id, code = await submitted(ctx)
    body = {**common(opinion_id, code), "event_id": "new", "occurred_at": at(3).isoformat(),
            "received_at": NOW.isoformat(), "deadline": "2024-01-22", "something_new": {"x": 1}}  # fmt: skip
    tolerant = AssignmentProgress.model_validate(body)

    await ctx.run(lambda: handlers.follow_assignment(ctx.deps, "assignment.opinion.brand-new", tolerant))

    stored = await ctx.deps.store.get(COLLECTION, opinion_id)
    assert stored is not None
    assert stored["events"][0]["kind"] == "brand-new"
    assert "tnmt@dongdu.example.vn" not in str(stored)
    tracked = await ask(ctx, "track", {"tracking_code": code})
    assert [s["step"] for s in tracked["path"]] == ["received"]


async def test_only_the_published_answer_is_public_and_a_direct_answer_closes_the_path() -> None:
    ctx = make_context()
    opinion_id, code = await submitted(ctx)
    answer = {"document_number": "7/TNMT", "document_date": dt.date(2024, 1, 15), "on_time": True}
    await follow(ctx, a.AnswerSubmitted(event_id="s1", occurred_at=at(1), answer_summary="Bản nháp chưa duyệt.",
                                        **answer, **common(opinion_id, code)))  # fmt: skip
    await follow(ctx, a.OpinionAnsweredDirectly(event_id="d1", occurred_at=at(0.5), answer="Xã sẽ tổ chức đấu giá.",
                                                answered_by="Chủ tịch UBND xã", **common(opinion_id, code)))  # fmt: skip

    tracked = await ask(ctx, "track", {"tracking_code": code})

    direct, submitted_step = tracked["path"][1:]
    assert (direct["step"], direct["text"]) == ("answered_directly", "Xã sẽ tổ chức đấu giá.")
    assert (submitted_step["step"], submitted_step["text"]) == ("answered", None)
    assert "Bản nháp" not in str(tracked)


def notice(opinion_id: str, event_id: str, trigger: str, sent_at: dt.datetime) -> NoticeSent:
    sent = NotificationSent(
        event_id=event_id, correlation_id=opinion_id, delivery_id=event_id, trigger=trigger,
        trigger_event_id="ack", channel="email", recipient="citizen:x", sent_at=sent_at,
    )  # fmt: skip
    return NoticeSent.model_validate_json(sent.to_json())


async def test_the_acknowledgement_sent_to_the_petitioner_is_one_step_whatever_the_channels() -> None:
    ctx = make_context()
    opinion_id, code = await submitted(ctx)
    for event in (
        notice(opinion_id, "sms", "opinion_acknowledged", at(2)),
        notice(opinion_id, "email", "opinion_acknowledged", at(1)),
        notice(opinion_id, "agency", "opinion_assigned", at(3)),  # a notice to the agency: not a step
    ):
        await ctx.run(functools.partial(handlers.follow_notice, ctx.deps, event))

    tracked = await ask(ctx, "track", {"tracking_code": code})

    assert [(s["step"], s["at"]) for s in tracked["path"]] == [
        ("received", "2023-12-20T09:00:00+07:00"),
        ("acknowledged", "2023-12-20T10:00:00+07:00"),
    ]
    assert tracked["path"][1]["label"] == "Đã gửi thông báo kết quả tiếp nhận cho người gửi"
    assert tracked["message"].endswith(
        "đã gửi thông báo kết quả tiếp nhận, đang chờ phân công cơ quan trả lời."
    )
    assert "citizen:x" not in str(await ctx.deps.store.get(COLLECTION, opinion_id))
