from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.scheduling.domain import (
    Chair,
    Conference,
    ConferenceFormat,
    ConferencePlanned,
    DayRule,
    SchedulingRules,
    Trigger,
)
from shared.errors import DomainError, NotFound
from shared.workdays import DayType

from .factories import PLANNED_AT, START, details, units, vn

pytestmark = pytest.mark.unit


def plan(now: dt.datetime = PLANNED_AT, **overrides: Any) -> Conference:
    conference, _ = Conference.plan("c-1", details(**overrides), units=units(), command_id="p", now=now)
    return conference


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"title": "  "}, "title_missing"),
        ({"chairs": ()}, "chair_missing"),
        ({"chairs": (Chair("Lê Thị Thủy", ""),)}, "chair_incomplete"),
        ({"venue": None}, "venue_missing"),
        ({"format": ConferenceFormat.HYBRID}, "link_missing"),
        ({"format": ConferenceFormat.ONLINE, "venue": None}, "link_missing"),
        ({"end": START}, "end_before_start"),
        ({"end": START - dt.timedelta(hours=1)}, "end_before_start"),
        ({"participant_groups": ()}, "participants_missing"),
        ({"trigger": Trigger.VOTER_REQUEST}, "voter_request_below_threshold"),
        ({"trigger": Trigger.VOTER_REQUEST, "voter_request_percent": 9.9}, "voter_request_below_threshold"),
        ({"voter_request_percent": 12.0}, "voter_request_percent_unexpected"),
        ({"expected_attendance": 0}, "attendance_invalid"),
    ],
)
def test_an_incomplete_plan_is_refused_with_its_reason(overrides: dict[str, Any], code: str) -> None:
    with pytest.raises(DomainError) as refused:
        plan(**overrides)
    assert refused.value.code == code
    assert refused.value.message.endswith(".")
    assert "hãy" in refused.value.message


def test_a_voter_request_records_the_share_of_voters_at_the_threshold() -> None:
    conference = plan(trigger=Trigger.VOTER_REQUEST, voter_request_percent=10.0)
    planned_event = conference.history[0]
    assert isinstance(planned_event, ConferencePlanned)
    assert planned_event.voter_request_percent == 10.0


def test_an_online_conference_needs_a_link_but_no_venue() -> None:
    conference = plan(format=ConferenceFormat.ONLINE, venue=None, link="https://meet.example.vn/dd")
    assert conference.details.link == "https://meet.example.vn/dd"


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(NotFound) as refused:
        plan(unit_code="khong-co")
    assert refused.value.code == "unknown_unit"


def test_a_unit_abolished_by_the_reform_cannot_host_a_new_conference() -> None:
    with pytest.raises(DomainError) as refused:
        plan(now=vn(2026, 1, 5), start=vn(2026, 3, 1), end=vn(2026, 3, 1, 11))
    assert refused.value.code == "unit_inactive"
    assert "xã Bình Lục" in refused.value.message


def test_the_level_is_taken_from_the_host_unit() -> None:
    assert plan().level == "commune"
    assert plan(unit_code="duy-tien").level == "district"
    assert plan(unit_code="ha-nam").level == "province"


def test_planning_a_start_in_the_past_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        plan(now=START + dt.timedelta(minutes=1))
    assert refused.value.code == "start_in_past"


def test_the_programme_year_defaults_to_the_vietnam_year_of_the_start() -> None:
    start = dt.datetime(2024, 12, 31, 20, 0, tzinfo=dt.UTC)  # 01/01/2025 03:00 in Hà Nội
    conference = plan(start=start, end=start + dt.timedelta(hours=3), unit_code="dong-du")
    assert conference.details.programme_year == 2025


def test_naive_datetimes_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone aware"):
        details(start=dt.datetime(2024, 4, 14, 8))


def test_rules_can_be_read_from_settings() -> None:
    rules = SchedulingRules.from_doc(
        {"notice": {"days": 5, "day_type": "working"}, "yearly_minimum": {"commune": 2, "province": 1}}
    )
    assert rules.notice == DayRule(5, DayType.WORKING)
    assert rules.conclusion_due == DayRule(10)
    assert rules.minimum_for("commune") == 2
    assert rules.minimum_for("district") == 0
    assert SchedulingRules.from_doc({}) == SchedulingRules()
