from __future__ import annotations

import pytest

from services.notification.adapters.directory_loader import load_directory
from services.notification.domain.directory import Directory, parse_directory
from services.notification.domain.recipients import (
    NO_USABLE_ADDRESS,
    NOT_IN_DIRECTORY,
    Recipient,
    resolve_recipients,
)
from services.notification.domain.triggers import Channel, Trigger
from shared.errors import DomainError

pytestmark = pytest.mark.unit


def by_id(recipients: list[Recipient]) -> dict[str, Recipient]:
    return {r.id: r for r in recipients}


def test_announcement_reaches_each_requested_group_member_once(directory: Directory) -> None:
    found = resolve_recipients(
        Trigger.CONFERENCE_ANNOUNCED,
        {"unit_id": "dong-du", "participant_groups": ["thanh-nien", "nhan-dan"]},
        directory,
    )
    ids = [r.id for r in found]
    assert sorted(ids) == ["elders", "mttq", "portal", "youth"]
    assert len(ids) == len(set(ids))


def test_announcement_without_groups_goes_to_every_group_of_the_unit(directory: Directory) -> None:
    found = resolve_recipients(Trigger.CONFERENCE_REMINDER_48H, {"unit_id": "dong-du"}, directory)
    assert {r.id for r in found} == {"youth", "mttq", "elders", "portal"}


def test_first_preferred_channel_with_a_valid_address_wins(directory: Directory) -> None:
    found = by_id(resolve_recipients(Trigger.CONFERENCE_ANNOUNCED, {"unit_id": "dong-du"}, directory))
    assert (found["youth"].channel, found["youth"].address) == (Channel.EMAIL, "dtn@xa.example")
    # mttq prefers sms but has no phone, so e-mail is used.
    assert (found["mttq"].channel, found["mttq"].address) == (Channel.EMAIL, "mttq@xa.example")
    assert found["portal"].channel is Channel.WEBHOOK


def test_unconfigured_channels_are_skipped(directory: Directory) -> None:
    found = by_id(
        resolve_recipients(
            Trigger.OPINION_OVERDUE,
            {"unit_id": "dong-du", "agency_id": "so-xd", "escalated": True},
            directory,
            available={Channel.SMS},
        )
    )
    assert found["head"].channel is Channel.SMS
    assert found["agency-clerk"].failure == NO_USABLE_ADDRESS


def test_recipient_with_a_malformed_address_is_a_recorded_failure(directory: Directory) -> None:
    found = by_id(resolve_recipients(Trigger.CONFERENCE_ANNOUNCED, {"unit_id": "dong-du"}, directory))
    elders = found["elders"]
    assert not elders.reachable
    assert elders.failure == NO_USABLE_ADDRESS
    assert elders.address is None


def test_log_fallback_reaches_everyone_in_the_embedded_default(directory: Directory) -> None:
    found = resolve_recipients(
        Trigger.CONFERENCE_ANNOUNCED,
        {"unit_id": "dong-du"},
        directory,
        available={Channel.LOG},
        fallback=Channel.LOG,
    )
    assert all(r.channel is Channel.LOG and r.address == f"log:{r.id}" for r in found)


def test_overdue_goes_to_the_agency_then_also_to_the_head_when_escalated(directory: Directory) -> None:
    first = resolve_recipients(
        Trigger.OPINION_OVERDUE, {"agency_id": "so-xd", "unit_id": "dong-du"}, directory
    )
    escalated = resolve_recipients(
        Trigger.OPINION_OVERDUE, {"agency_id": "so-xd", "unit_id": "dong-du", "escalated": True}, directory
    )
    assert [r.id for r in first] == ["agency-clerk"]
    assert [r.id for r in escalated] == ["agency-clerk", "head"]


@pytest.mark.parametrize("trigger", [Trigger.CONCLUSION_REMINDER_3D, Trigger.CONCLUSION_REMINDER_7D])
def test_conclusion_reminders_go_to_the_host_unit(directory: Directory, trigger: Trigger) -> None:
    assert [r.id for r in resolve_recipients(trigger, {"unit_id": "dong-du"}, directory)] == ["host"]


@pytest.mark.parametrize(
    "trigger", [Trigger.OPINION_ACKNOWLEDGED, Trigger.ANSWER_PUBLISHED, Trigger.SATISFACTION_SURVEY]
)
def test_citizen_who_consented_is_reached_by_preference(directory: Directory, trigger: Trigger) -> None:
    citizen = {"consent": True, "name": "Bà Trần Thị Bình", "phone": "0987 654 321", "channels": ["sms"]}
    [recipient] = resolve_recipients(trigger, {"opinion_id": "op-1", "citizen": citizen}, directory)
    assert (recipient.id, recipient.channel, recipient.address) == ("citizen:op-1", Channel.SMS, "0987654321")


def test_citizen_without_consent_is_not_contacted(directory: Directory) -> None:
    citizen = {"consent": False, "email": "binh@dan.example"}
    assert resolve_recipients(Trigger.ANSWER_PUBLISHED, {"citizen": citizen}, directory) == []
    assert resolve_recipients(Trigger.ANSWER_PUBLISHED, {}, directory) == []


def test_consenting_citizen_without_address_is_a_failure_not_an_exception(directory: Directory) -> None:
    [recipient] = resolve_recipients(
        Trigger.OPINION_ACKNOWLEDGED, {"opinion_id": "op-2", "citizen": {"consent": True}}, directory
    )
    assert recipient.failure == NO_USABLE_ADDRESS


def test_unknown_agency_or_unit_is_a_failure_not_an_exception(directory: Directory) -> None:
    [agency] = resolve_recipients(Trigger.OPINION_ASSIGNED, {"agency_id": "so-khong-co"}, directory)
    [unit] = resolve_recipients(Trigger.CONCLUSION_REMINDER_3D, {"unit_id": "xa-khong-co"}, directory)
    assert agency.failure == unit.failure == NOT_IN_DIRECTORY


def test_directory_refuses_a_reference_to_an_unknown_contact() -> None:
    with pytest.raises(DomainError) as refused:
        parse_directory({"contacts": [], "agencies": {"so": {"contacts": ["ghost"]}}})
    assert refused.value.code == "directory_invalid"
    assert "ghost" in refused.value.message


def test_directory_refuses_an_unsupported_channel() -> None:
    with pytest.raises(DomainError, match="fax"):
        parse_directory({"contacts": [{"id": "a", "name": "A", "channels": ["fax"]}]})


def test_shipped_directory_covers_the_dong_du_scenario() -> None:
    directory = load_directory()
    unit = directory.units["xa-dong-du"]
    assert unit.name == "xã Đồng Du"
    found = resolve_recipients(Trigger.CONFERENCE_ANNOUNCED, {"unit_id": "xa-dong-du"}, directory)
    assert found
    assert all(r.reachable for r in found)
