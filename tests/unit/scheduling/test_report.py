from __future__ import annotations

import datetime as dt

import pytest

from services.scheduling.domain import HELD_STATES, Conference, ConferenceState, conference_report
from shared.errors import DomainError

from .factories import SEED_FROM, SEED_SPLIT, SEED_TO, run_lifecycle, seed_statistics, vn

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def seeded() -> list[Conference]:
    return seed_statistics()


def test_the_report_reproduces_the_seeds_256_conferences(seeded: list[Conference]) -> None:
    report = conference_report(seeded, SEED_FROM, SEED_TO)
    held = report.by_level(HELD_STATES)
    assert held == {"province": 8, "district": 38, "commune": 210}
    assert sum(held.values()) == 256
    assert report.by_state()[ConferenceState.CANCELLED] == 3
    assert report.total == 259


def test_the_report_can_be_limited_to_one_level(seeded: list[Conference]) -> None:
    report = conference_report(seeded, SEED_FROM, SEED_TO, level="district")
    assert report.by_level() == {"district": SEED_SPLIT["district"]}
    assert {r["level"] for r in report.as_records()} == {"district"}


def test_the_range_uses_vietnam_dates_inclusively() -> None:
    edge = run_lifecycle(
        "edge", "dong-du", dt.datetime(2024, 6, 30, 17, 30, tzinfo=dt.UTC), ConferenceState.HELD
    )
    inside = run_lifecycle("inside", "dong-du", vn(2024, 6, 30, 23, 0), ConferenceState.HELD)
    report = conference_report([edge, inside], dt.date(2024, 6, 1), dt.date(2024, 6, 30))
    assert report.total == 1  # 30/06 17:30 UTC is 01/07 in Hà Nội


def test_rows_are_level_state_count_records_for_csv() -> None:
    conferences = [
        run_lifecycle("a", "dong-du", vn(2024, 4, 1), ConferenceState.CLOSED),
        run_lifecycle("b", "la-son", vn(2024, 4, 2), ConferenceState.CLOSED),
        run_lifecycle("c", "ha-nam", vn(2024, 4, 3), ConferenceState.HELD),
    ]
    report = conference_report(conferences, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert report.as_records() == [
        {"level": "commune", "state": "closed", "count": 2},
        {"level": "province", "state": "held", "count": 1},
    ]


def test_a_reversed_range_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        conference_report([], dt.date(2024, 6, 30), dt.date(2024, 1, 1))
    assert refused.value.code == "report_range_invalid"
