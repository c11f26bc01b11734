"""Handlers over an in-memory store and fake channels: who gets what, once, with which events."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from notification_events import acknowledgement, announced, assigned, conclusion_reminder, overdue, published
from notification_handler_fakes import make_world

from services.notification import handlers
from services.notification.deps import CONTACT_WAIT_DELIVERIES
from services.notification.domain.directory import Directory
from services.notification.domain.triggers import Trigger
from shared import rating_links
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts.notification import NotificationFailed, NotificationSent
from shared.errors import TransientError
from shared.rating_links import LinkCheck
from shared.timeutil import VN_TZ, local_date

pytestmark = pytest.mark.unit
SECRET = b"a-rating-link-secret-for-tests"


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


async def test_an_answer_waits_for_a_contact_still_on_its_way_then_goes_without_one(
    directory: Directory, now: dt.datetime
) -> None:
    """The acknowledgement consumer still busy: the answer waits (redelivered), up to a bound."""
    world = make_world(directory, now)
    in_flight = [True]

    async def contacts_in_flight() -> bool:
        return in_flight[0]

    world.deps.contacts_in_flight = contacts_in_flight
    with pytest.raises(TransientError):
        await world.apply(handlers.answer_published, published(), 1)
    await world.apply(handlers.acknowledgement_due, acknowledgement())  # the contact arrives
    await world.apply(handlers.answer_published, published(), 2)
    assert [m.trigger for m in world.email.sent][-2:] == [
        Trigger.ANSWER_PUBLISHED,
        Trigger.SATISFACTION_SURVEY,
    ]

    unknown = published(opinion_id="op-khong-dong-y")
    with pytest.raises(TransientError):
        await world.apply(handlers.answer_published, unknown, CONTACT_WAIT_DELIVERIES - 1)
    sent = len(world.email.sent)
    await world.apply(handlers.answer_published, unknown, CONTACT_WAIT_DELIVERIES)  # no longer waits
    assert len(world.email.sent) == sent  # no consent ever came: nobody to tell
    in_flight[0] = False
    await world.apply(handlers.answer_published, unknown, 1)  # nothing on its way: decided at once


async def test_a_consenting_citizen_gets_the_acknowledgement_the_answer_and_the_survey(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    world.deps.rating_secret = SECRET
    await world.apply(handlers.acknowledgement_due, acknowledgement())
    await world.apply(handlers.answer_published, published())
    await world.apply(handlers.answer_published, published())  # redelivered

    triggers = [m.trigger for m in world.email.sent]
    assert triggers == [Trigger.OPINION_ACKNOWLEDGED, Trigger.ANSWER_PUBLISHED, Trigger.SATISFACTION_SURVEY]
    assert {m.to for m in world.email.sent} == {"cuong@dan.example"}
    survey = world.email.sent[-1].content.text
    assert "https://doithoai.example/danh-gia/DD-2026-0001?het=" in survey


def rating_link(text: str) -> tuple[str, dict[str, str]]:
    url = re.search(r"https://doithoai\.example/danh-gia/\S+?(?=[\s.,;)]*(?:\s|$))", text)
    assert url is not None, text
    parts = urlsplit(url.group(0))
    return parts.path.rsplit("/", 1)[-1], dict(parse_qsl(parts.query))


async def test_the_survey_link_is_signed_for_the_portal_and_expires_when_the_survey_closes(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    world.deps.rating_secret = SECRET
    await world.apply(handlers.acknowledgement_due, acknowledgement())
    await world.apply(handlers.answer_published, published())

    code, query = rating_link(world.email.sent[-1].content.text)
    closes = dt.datetime.combine(
        local_date(published().published_at) + dt.timedelta(days=world.deps.survey_days),
        dt.time(23, 59),
        VN_TZ,
    )
    check = rating_links.verify
    assert check(code, query["het"], query["ky"], SECRET, closes) is LinkCheck.VALID
    assert (
        check(code, query["het"], query["ky"], SECRET, closes + dt.timedelta(minutes=2)) is LinkCheck.EXPIRED
    )
    assert check(code, query["het"], query["ky"], b"another-secret-of-16+", closes) is LinkCheck.FORGED
    assert check("DD-2026-0002", query["het"], query["ky"], SECRET, closes) is LinkCheck.FORGED


async def test_a_back_recorded_publication_is_surveyed_from_the_day_the_citizen_is_asked(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    world.deps.rating_secret = SECRET
    await world.apply(handlers.acknowledgement_due, acknowledgement())
    in_2024 = dt.datetime(2024, 1, 9, 2, 0, tzinfo=dt.UTC)
    await world.apply(handlers.answer_published, published(published_at=in_2024, occurred_at=in_2024))

    code, query = rating_link(world.email.sent[-1].content.text)
    assert rating_links.verify(code, query["het"], query["ky"], SECRET, world.clock()) is LinkCheck.VALID


async def test_without_a_secret_the_survey_points_at_the_tracking_page_not_a_link_the_portal_refuses(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.acknowledgement_due, acknowledgement())
    await world.apply(handlers.answer_published, published())

    survey = world.email.sent[-1].content.text
    assert "https://doithoai.example/tra-cuu/DD-2026-0001" in survey
    assert "/danh-gia/" not in survey


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
