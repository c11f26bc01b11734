"""Annual programmes and the yearly-minimum compliance view.

A programme is derived from the conferences themselves (each carries its unit and programme year)
rather than stored separately, so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from services.scheduling.domain.conference_base import ConferenceData
from services.scheduling.domain.rules import DEFAULT_RULES, SchedulingRules
from services.scheduling.domain.units import Unit, UnitTree
from services.scheduling.domain.values import HELD_STATES, ConferenceState
from shared.timeutil import local_date


@dataclass(frozen=True)
class AnnualProgramme:
    """The conferences one unit put into its work programme for one year, by start."""

    unit_code: str
    year: int
    conferences: tuple[ConferenceData, ...]

    def count(self, *states: ConferenceState) -> int:
        """How many are in one of ``states`` (all when none given)."""
        return sum(1 for c in self.conferences if not states or c.state in states)

    @property
    def held_count(self) -> int:
        return self.count(*HELD_STATES)


def annual_programme(unit_code: str, year: int, conferences: Iterable[ConferenceData]) -> AnnualProgramme:
    """The programme of ``unit_code`` for ``year``."""
    chosen = sorted(
        (c for c in conferences if c.unit_code == unit_code and c.details.year() == year),
        key=lambda c: (c.start, c.id),
    )
    return AnnualProgramme(unit_code, year, tuple(chosen))


def held_in_year(conference: ConferenceData, year: int) -> bool:
    """True when the conference took place during ``year`` (Vietnam dates)."""
    return (
        conference.state in HELD_STATES
        and conference.held_at is not None
        and local_date(conference.held_at).year == year
    )


@dataclass(frozen=True)
class ComplianceGap:
    """A unit that has held fewer conferences in the year than its level requires."""

    unit: Unit
    required: int
    held: int

    @property
    def missing(self) -> int:
        return self.required - self.held


def compliance_gaps(
    units: UnitTree,
    conferences: Iterable[ConferenceData],
    year: int,
    rules: SchedulingRules = DEFAULT_RULES,
    as_of: dt.date | None = None,
) -> list[ComplianceGap]:
    """Units active on ``as_of`` (default: 31 December of ``year``) that are short of their minimum.

    Counted by the year the conference was held, not its programme year: the law asks for a
    conference held each year, whatever programme it was planned in.
    """
    day = as_of or dt.date(year, 12, 31)
    held = Counter(c.unit_code for c in conferences if held_in_year(c, year))
    gaps = []
    for unit in units.active_on(day):
        required = rules.minimum_for(unit.level)
        if held[unit.code] < required:
            gaps.append(ComplianceGap(unit, required, held[unit.code]))
    return gaps
