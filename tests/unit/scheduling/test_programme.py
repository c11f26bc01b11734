from __future__ import annotations

import datetime as dt
from types import MappingProxyType

import pytest

from services.scheduling.domain import (
    ConferenceState,
    SchedulingRules,
    annual_programme,
    compliance_gaps,
)

from .factories import run_lifecycle, units, vn

pytestmark = pytest.mark.unit

S = ConferenceState
BINH_LUC_COMMUNES = {"dong-du", "trang-an", "binh-nghia", "thi-tran-binh-my", "don-xa", "la-son"}
DUY_TIEN_COMMUNES = {"hoa-mac", "dong-van", "moc-bac"}


def test_units_without_a_held_conference_this_year_are_listed() -> None:
    conferences = [
        run_lifecycle("dd-2024", "dong-du", vn(2024, 4, 14), S.CLOSED),
        run_lifecycle("ta-2024", "trang-an", vn(2024, 5, 2), S.HELD),
        run_lifecycle("bn-2024", "binh-nghia", vn(2024, 6, 2), S.CANCELLED),  # never took place
        run_lifecycle("ls-2023", "la-son", vn(2023, 11, 20), S.CONCLUDED),  # last year
    ]
    gaps = compliance_gaps(units(), conferences, 2024)
    listed = {gap.unit.code for gap in gaps}
    assert listed == (BINH_LUC_COMMUNES | DUY_TIEN_COMMUNES) - {"dong-du", "trang-an"}
    assert all(gap.required == 1 and gap.held == 0 and gap.missing == 1 for gap in gaps)


def test_levels_without_a_minimum_are_not_listed() -> None:
    levels = {gap.unit.level for gap in compliance_gaps(units(), [], 2024)}
    assert levels == {"commune"}


def test_the_yearly_minimum_per_level_is_configurable() -> None:
    rules = SchedulingRules(yearly_minimum=MappingProxyType({"commune": 2, "district": 1}))
    conferences = [run_lifecycle("dd-1", "dong-du", vn(2024, 4, 14), S.HELD)]
    gaps = {g.unit.code: g for g in compliance_gaps(units(), conferences, 2024, rules)}
    assert gaps["dong-du"].held == 1
    assert gaps["dong-du"].required == 2
    assert "binh-luc" in gaps


def test_after_the_reform_only_the_new_communes_are_checked() -> None:
    gaps = compliance_gaps(units(), [], 2025)
    assert {g.unit.code for g in gaps} == {"binh-luc-xa", "binh-my"}


def test_the_view_can_be_taken_on_a_given_day_of_the_year() -> None:
    gaps = compliance_gaps(units(), [], 2025, as_of=dt.date(2025, 3, 1))
    assert "dong-du" in {g.unit.code for g in gaps}


def test_the_annual_programme_lists_a_units_conferences_by_start() -> None:
    conferences = [
        run_lifecycle("dd-b", "dong-du", vn(2024, 9, 1), S.CANCELLED),
        run_lifecycle("dd-a", "dong-du", vn(2024, 4, 14), S.CLOSED),
        run_lifecycle("dd-old", "dong-du", vn(2023, 4, 14), S.CLOSED),
        run_lifecycle("ta-a", "trang-an", vn(2024, 4, 14), S.CLOSED),
    ]
    programme = annual_programme("dong-du", 2024, conferences)
    assert [c.id for c in programme.conferences] == ["dd-a", "dd-b"]
    assert programme.held_count == 1
    assert programme.count(S.CANCELLED) == 1
    assert programme.count() == 2
