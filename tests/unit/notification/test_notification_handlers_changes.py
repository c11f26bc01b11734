"""Promises kept after the first notice: a changed conference, a returned answer, a moved opinion, a dated receipt."""

from __future__ import annotations

import datetime as dt

import pytest
from notification_events import (
    AT,
    acknowledgement,
    announced,
    assigned,
    cancelled,
    postponed,
    rescheduled,
    returned,
    transferred,
    triage_queued,
)
from notification_handler_fakes import World, make_world

from services.notification import handlers
from services.notification.adapters.template_filters import vn_long_date
from services.notification.domain.directory import Directory
from services.notification.domain.triggers import Trigger
from shared.contracts.notification import NotificationFailed, NotificationSent

pytestmark = pytest.mark.unit


def deliveries(world: World) -> dict[str, dict[str, object]]:
    return world.store.collections.get("notification_deliveries", {})


def sent_to(world: World, trigger: Trigger) -> list[str]:
    return sorted(str(m.to) for m in world.email.sent if m.trigger is trigger)


async def test_a_rescheduled_announced_conference_tells_its_participants_the_new_time_in_vietnam(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.conference_announced, announced())
    await world.apply(handlers.conference_rescheduled, rescheduled())
    await world.apply(handlers.conference_rescheduled, rescheduled())  # redelivered

    # The same recipients as the announcement: the group "thanh-nien" (Đoàn Thanh niên, MTTQ xã).
    assert sent_to(world, Trigger.CONFERENCE_RESCHEDULED) == sent_to(world, Trigger.CONFERENCE_ANNOUNCED)
    assert sent_to(world, Trigger.CONFERENCE_RESCHEDULED) == ["dtn@xa.example", "mttq@xa.example"]
    message = next(m for m in world.email.sent if m.trigger is Trigger.CONFERENCE_RESCHEDULED)
    assert message.content.subject == (
        "Thông báo thay đổi thời gian tổ chức hội nghị đối thoại tại xã Đồng Du, nay vào ngày 15/12/2026"
    )
    # 07:30 UTC is 14:30 in Asia/Ho_Chi_Minh; the old start was 08:00 on 11 December.
    assert (
        "Thời gian mới: 14 giờ 30 ngày 15/12/2026 (thay cho 08 giờ 00 ngày 11/12/2026" in message.content.text
    )
    assert "14 giờ 30 ngày 15/12/2026" in (message.content.html or "")
    outcomes = [e for e in world.published if isinstance(e, NotificationSent)]
    assert sorted(e.trigger for e in outcomes).count("conference_rescheduled") == 2
    assert {e.correlation_id for e in outcomes} == {"hn-1"}


async def test_a_conference_rescheduled_before_its_announcement_tells_nobody(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.conference_rescheduled, rescheduled(state="planned"))

    assert not world.email.sent
    assert not world.log.sent
    assert not world.published
    assert not deliveries(world)


async def test_a_postponed_conference_is_announced_again_with_its_new_time_when_rescheduled(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.conference_announced, announced())
    await world.apply(handlers.conference_postponed, postponed())
    # Rescheduling a conference postponed after its announcement returns it to "announced".
    await world.apply(handlers.conference_rescheduled, rescheduled(event_id="ev-rescheduled-2"))

    triggers = [m.trigger for m in world.email.sent if m.to == "dtn@xa.example"]
    assert triggers == [
        Trigger.CONFERENCE_ANNOUNCED,
        Trigger.CONFERENCE_POSTPONED,
        Trigger.CONFERENCE_RESCHEDULED,
    ]
    notice = next(m for m in world.email.sent if m.trigger is Trigger.CONFERENCE_POSTPONED)
    assert notice.content.subject == "Thông báo tạm hoãn hội nghị đối thoại tại xã Đồng Du"
    # The reason's own full stop is not doubled.
    assert "Lý do: Trùng lịch kỳ họp Hội đồng nhân dân tỉnh.\n" in notice.content.text
    assert "Thời gian tổ chức mới sẽ được thông báo sau." in notice.content.text


async def test_a_conference_postponed_or_cancelled_before_its_announcement_tells_nobody(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.conference_postponed, postponed(postponed_from="planned"))
    await world.apply(handlers.conference_cancelled, cancelled(cancelled_from="planned"))
    # Postponed while planned, then cancelled: the participants never heard of it.
    await world.apply(handlers.conference_cancelled, cancelled(cancelled_from="postponed"))

    assert not world.email.sent
    assert not world.log.sent
    assert not world.published
    assert not deliveries(world)


async def test_a_cancelled_announced_conference_tells_its_participants_why(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.conference_cancelled, cancelled())

    assert sent_to(world, Trigger.CONFERENCE_CANCELLED) == ["dtn@xa.example", "mttq@xa.example"]
    notice = world.email.sent[0]
    assert notice.content.subject == "Thông báo hủy hội nghị đối thoại tại xã Đồng Du"
    assert "đã dự kiến tổ chức vào 08 giờ 00 ngày 11/12/2026 tại Nhà văn hóa xã" in notice.content.text
    assert "Lý do: Các kiến nghị đã được giải quyết tại kỳ họp Hội đồng nhân dân xã." in notice.content.text


async def test_a_conference_cancelled_while_postponed_after_its_announcement_tells_its_participants(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.conference_announced, announced())
    await world.apply(handlers.conference_cancelled, cancelled(cancelled_from="postponed"))

    assert sent_to(world, Trigger.CONFERENCE_CANCELLED) == ["dtn@xa.example", "mttq@xa.example"]


async def test_a_returned_answer_tells_the_agency_holding_the_opinion_what_to_address(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.answer_returned, returned())

    [message] = world.email.sent
    assert (message.trigger, message.to) == (Trigger.ANSWER_RETURNED, "vt@so.example")
    assert message.content.subject == "Trả lại văn bản trả lời ý kiến, kiến nghị mã số DD-2026-0001"
    text = message.content.text
    assert "Nội dung cần bổ sung: Chưa nêu thời gian và nguồn kinh phí sửa chữa." in text
    assert (
        "Đề nghị Sở Xây dựng nghiên cứu, hoàn thiện và gửi lại văn bản trả lời trước ngày 22/12/2026." in text
    )
    [sent] = world.published
    assert isinstance(sent, NotificationSent)
    assert (sent.trigger, sent.recipient, sent.correlation_id) == ("answer_returned", "agency-clerk", "op-1")


async def test_a_reassigned_opinion_tells_the_agency_that_loses_it_and_the_one_that_gets_it(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    event = assigned(
        agency_code="so-gd", agency_name="Sở Giáo dục và Đào tạo", agency_email="vanthu@sogd.example",
        field="education", reassigned_from="so-xd", reassignment_reason="Phân loại lại sang lĩnh vực Giáo dục",
    )  # fmt: skip
    await world.apply(handlers.opinion_assigned, event)
    await world.apply(handlers.opinion_assigned, event)  # redelivered

    assert [(m.trigger, m.to) for m in world.email.sent] == [
        (Trigger.OPINION_ASSIGNED, "vanthu@sogd.example"),
        (Trigger.OPINION_WITHDRAWN, "vt@so.example"),
    ]
    notice = world.email.sent[1].content
    assert notice.subject == "Điều chỉnh cơ quan giải quyết ý kiến, kiến nghị mã số DD-2026-0001"
    assert (
        "trước đây giao Sở Xây dựng giải quyết, nay được giao Sở Giáo dục và Đào tạo giải quyết"
        in notice.text
    )
    assert "Lý do: Phân loại lại sang lĩnh vực Giáo dục." in notice.text
    assert "Đề nghị Sở Xây dựng dừng xử lý" in notice.text
    assert len(world.published) == 2


async def test_the_agency_losing_an_opinion_is_reached_at_the_address_its_event_carries(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    event = assigned(
        reassigned_from="hn-snv", reassigned_from_name="Sở Nội vụ", reassigned_from_email="snv@hanam.example"
    )
    await world.apply(handlers.opinion_assigned, event)

    withdrawn = [m for m in world.email.sent if m.trigger is Trigger.OPINION_WITHDRAWN]
    assert [(m.to, m.recipient_name) for m in withdrawn] == [("snv@hanam.example", "Văn thư Sở Nội vụ")]
    assert "trước đây giao Sở Nội vụ giải quyết" in withdrawn[0].content.text


async def test_an_unknown_agency_losing_an_opinion_is_a_recorded_failure_and_the_new_one_is_still_told(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.opinion_assigned, assigned(reassigned_from="so-ma"))

    assert [m.trigger for m in world.email.sent] == [Trigger.OPINION_ASSIGNED]
    failed = [e for e in world.published if isinstance(e, NotificationFailed)]
    assert [(f.trigger, f.reason) for f in failed] == [("opinion_withdrawn", "recipient_not_in_directory")]


async def test_a_first_assignment_tells_no_agency_it_lost_anything(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.opinion_assigned, assigned())

    assert [m.trigger for m in world.email.sent] == [Trigger.OPINION_ASSIGNED]


async def test_a_transfer_to_a_body_outside_the_table_tells_the_agency_that_held_the_opinion(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.opinion_transferred, transferred(reassigned_from="so-xd"))

    [message] = world.email.sent
    assert (message.trigger, message.to) == (Trigger.OPINION_WITHDRAWN, "vt@so.example")
    assert "nay được giao Sở Nội vụ tỉnh Ninh Bình giải quyết" in message.content.text


async def test_a_transfer_to_an_agency_of_the_table_leaves_the_notices_to_its_assignment(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    moved = {"reassigned_from": "hn-snv", "reassigned_from_email": "snv@hanam.example"}
    await world.apply(handlers.opinion_transferred, transferred(agency_code="so-xd", **moved))
    await world.apply(
        handlers.opinion_assigned,
        assigned(transferred=True, transfer_note="Thuộc thẩm quyền cấp tỉnh", **moved),
    )

    # One notice each: the competent body gets the opinion, the agency that held it is told once.
    assert [(m.trigger, m.to) for m in world.email.sent] == [
        (Trigger.OPINION_ASSIGNED, "vt@so.example"),
        (Trigger.OPINION_WITHDRAWN, "snv@hanam.example"),
    ]
    handed = world.email.sent[0].content
    assert handed.subject == (
        "Chuyển ý kiến, kiến nghị mã số DD-2026-0001 đến cơ quan có thẩm quyền, hạn trả lời ngày 22/12/2026"
    )
    assert "vượt thẩm quyền giải quyết của xã Đồng Du (Thuộc thẩm quyền cấp tỉnh)" in handed.text
    assert "xem xét, giải quyết theo thẩm quyền và trả lời bằng văn bản trước ngày 22/12/2026" in handed.text


async def test_an_opinion_sent_back_to_triage_tells_the_agency_that_held_it(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.opinion_triage_queued, triage_queued())  # never held: nothing
    await world.apply(
        handlers.opinion_triage_queued,
        triage_queued(event_id="ev-triage-2", reassigned_from="so-xd", reassignment_reason="Phân loại lại"),
    )

    [message] = world.email.sent
    assert (message.trigger, message.to) == (Trigger.OPINION_WITHDRAWN, "vt@so.example")
    assert "nay được chuyển lại bộ phận tiếp nhận để giao cơ quan phù hợp" in message.content.text


async def test_the_acknowledgement_gives_its_date_and_the_date_of_receipt_in_vietnamese(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    # Received at 23:30 on 28 November in Vietnam (16:30 UTC), acknowledged on 1 December.
    received = dt.datetime(2026, 11, 28, 16, 30, tzinfo=dt.UTC)
    await world.apply(handlers.acknowledgement_due, acknowledgement(received_at=received, occurred_at=AT))

    [message] = world.email.sent
    text = message.content.text
    assert text.startswith("Xã Đồng Du, ngày 01 tháng 12 năm 2026\n")
    assert "đã được tiếp nhận lúc 23 giờ 30 ngày 28 tháng 11 năm 2026" in text
    assert "Xã Đồng Du, ngày 01 tháng 12 năm 2026" in (message.content.html or "")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2024, 4, 14), "ngày 14 tháng 4 năm 2024"),
        # Days below 10 and the months 1 and 2 take a leading zero (Decree 30/2020).
        (dt.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        ("2026-12-09", "ngày 09 tháng 12 năm 2026"),
        # 18:00 UTC on 31 December is already 1 January in Vietnam.
        ("2026-12-31T18:00:00+00:00", "ngày 01 tháng 01 năm 2027"),
    ],
)
def test_vietnamese_long_dates_follow_the_administrative_style(value: object, expected: str) -> None:
    assert vn_long_date(value) == expected
