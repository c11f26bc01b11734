"""Handlers over an in-memory store and fake channels: who gets what, once, with which events."""

from __future__ import annotations

import datetime as dt

import pytest
from notification_events import acknowledgement, announced, assigned, conclusion_reminder, overdue, published
from notification_handler_fakes import make_world

from services.notification import handlers
from services.notification.domain.directory import Directory
from services.notification.domain.triggers import Trigger
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts.notification import NotificationFailed, NotificationSent

pytestmark = pytest.mark.unit


async def test_an_assigned_opinion_sends_one_vietnamese_email_to_the_agency(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.opinion_assigned, assigned())

    [message] = world.email.sent
    assert message.to == "vt@so.example"
    assert message.content.subject
    assert "DD-2026-0001" in message.content.subject
    assert "Sở Xây dựng" in message.content.text
    assert "22/12/2026" in message.content.text
    assert "Văn hóa, di tích" in message.content.text
    [sent] = world.published
    assert isinstance(sent, NotificationSent)
    assert (sent.trigger, sent.channel, sent.recipient) == ("opinion_assigned", "email", "agency-clerk")
    assert sent.correlation_id == "op-1"
    assert sent.trigger_event_id == "ev-assigned-1"
    assert world.sample("dialogue_notifications_sent_total", channel="email", trigger="opinion_assigned") == 1
    assert (
        world.sample(
            "dialogue_notification_delivery_seconds_count", channel="email", trigger="opinion_assigned"
        )
        == 1
    )


async def test_a_redelivered_event_sends_nothing_new_and_records_one_delivery(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.opinion_assigned, assigned())
    await world.apply(handlers.opinion_assigned, assigned())

    assert len(world.email.sent) == 1
    assert len(world.store.collections["notification_deliveries"]) == 1
    assert len(world.published) == 1


async def test_an_agency_missing_from_the_directory_is_reached_at_the_address_its_event_carries(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    event = assigned(agency_code="hn-snv", agency_name="Sở Nội vụ", agency_email="sonoivu@hanam.example")
    await world.apply(handlers.opinion_assigned, event)

    [message] = world.email.sent
    assert (message.to, message.recipient_name) == ("sonoivu@hanam.example", "Văn thư Sở Nội vụ")


async def test_an_unknown_agency_without_address_is_a_recorded_failure_not_an_exception(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.opinion_assigned, assigned(agency_code="ghost", agency_name="Sở Ma"))

    assert not world.email.sent
    assert not world.log.sent
    [failed] = world.published
    assert isinstance(failed, NotificationFailed)
    assert failed.reason == "recipient_not_in_directory"


async def test_an_overdue_opinion_reaches_the_agency_and_is_escalated_to_its_head(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.opinion_overdue, overdue())

    by_address = {m.to: m for m in world.email.sent}
    assert set(by_address) == {"vt@so.example", "giamdoc@so.example"}
    head = by_address["giamdoc@so.example"]
    assert head.recipient_name == "Giám đốc Nguyễn Văn Bình"
    assert "quá hạn" in head.content.text
    assert "20/11/2026" in head.content.text


async def test_without_consent_the_citizen_gets_no_acknowledgement_and_no_failure(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.acknowledgement_due, acknowledgement(contact_email=None))
    await world.apply(handlers.answer_published, published())

    assert not world.email.sent
    assert not world.published


async def test_a_consenting_citizen_gets_the_acknowledgement_the_answer_and_the_survey(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.acknowledgement_due, acknowledgement())
    await world.apply(handlers.answer_published, published())
    await world.apply(handlers.answer_published, published())  # redelivered

    triggers = [m.trigger for m in world.email.sent]
    assert triggers == [Trigger.OPINION_ACKNOWLEDGED, Trigger.ANSWER_PUBLISHED, Trigger.SATISFACTION_SURVEY]
    assert {m.to for m in world.email.sent} == {"cuong@dan.example"}
    survey = world.email.sent[-1].content.text
    assert "https://doithoai.example/danh-gia/DD-2026-0001" in survey


async def test_a_conference_announcement_reaches_each_contact_of_its_groups_once(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.conference_announced, announced(participant_groups=["thanh-nien", "nhan-dan"]))

    emailed = sorted(m.recipient_name for m in world.email.sent)
    assert emailed == ["MTTQ xã", "Đoàn Thanh niên"]
    # The elders have no valid address and the portal's webhook is not configured: log fallback.
    assert sorted(m.recipient_name for m in world.log.sent) == ["Cổng tỉnh", "Hội Người cao tuổi"]
    assert "Hội nghị đối thoại xã Đồng Du năm 2026" in world.email.sent[0].content.text


async def test_a_conclusion_seven_days_late_reminds_the_host_office(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.conclusion_reminder, conclusion_reminder(7))

    [message] = world.email.sent
    assert message.trigger is Trigger.CONCLUSION_REMINDER_7D
    assert message.to == "vp@xa.example"
    assert "21/12/2026" in message.content.text


async def test_an_assigned_opinion_names_the_conference_kept_from_the_conference_events(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    conference = announced()
    await world.apply(handlers.keep_conference, ConferenceSnapshot.model_validate(conference.model_dump()))
    await world.apply(handlers.opinion_assigned, assigned(conference_id=conference.conference_id))

    [message] = world.email.sent
    assert f"Tại {conference.title}," in message.content.text
