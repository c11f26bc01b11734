"""The configurable rules of scheduling, with the legal defaults (Law 72/2025/QH15, Art. 43)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from shared.workdays import DayType, WorkCalendar, default_calendar


@dataclass(frozen=True)
class DayRule:
    """A number of days together with how they are counted; the laws mix both kinds."""

    days: int
    day_type: DayType = DayType.CALENDAR

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError("days must be zero or positive")

    def add(self, start: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
        """The date ``days`` days after ``start`` (``start`` itself not counted)."""
        if self.day_type is DayType.CALENDAR:
            return start + dt.timedelta(days=self.days)
        return (calendar or default_calendar()).add_working_days(start, self.days)

    def label(self) -> str:
        """How the rule reads in a Vietnamese sentence: "7 ngày" or "7 ngày làm việc"."""
        suffix = "ngày làm việc" if self.day_type is DayType.WORKING else "ngày"
        return f"{self.days} {suffix}"


def _default_minimums() -> Mapping[str, int]:
    return MappingProxyType({"commune": 1})


@dataclass(frozen=True)
class SchedulingRules:
    """Every number the scheduling service enforces, so a province can configure its own."""

    # Public notice at least 7 calendar days before the conference.
    notice: DayRule = DayRule(7)
    # Results published no later than 10 calendar days after the conference.
    conclusion_due: DayRule = DayRule(10)
    # Held conferences a unit of each level owes per year; levels absent here owe nothing.
    yearly_minimum: Mapping[str, int] = field(default_factory=_default_minimums)
    # A commune must hold a conference when at least this share of its voters asks for one.
    voter_request_threshold_percent: float = 10.0
    overlap_check: bool = True
    # None means the national calendar; only consulted by rules counted in working days.
    calendar: WorkCalendar | None = field(default=None, compare=False, repr=False)

    def earliest_start_date(self, announced_on: dt.date) -> dt.date:
        """The first local date a conference announced on ``announced_on`` may start."""
        return self.notice.add(announced_on, self.calendar)

    def conclusion_due_date(self, held_on: dt.date) -> dt.date:
        """The last local date on which the conclusion is on time."""
        return self.conclusion_due.add(held_on, self.calendar)

    def minimum_for(self, level: str) -> int:
        """Held conferences a unit of ``level`` owes per year."""
        return self.yearly_minimum.get(level, 0)

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> SchedulingRules:
        """Rules from settings, e.g. ``{"notice": {"days": 7, "day_type": "calendar"}}``."""
        defaults = cls()

        def day_rule(key: str, default: DayRule) -> DayRule:
            raw = doc.get(key)
            if raw is None:
                return default
            return DayRule(int(raw["days"]), DayType(raw.get("day_type", DayType.CALENDAR)))

        minimums = doc.get("yearly_minimum")
        return cls(
            notice=day_rule("notice", defaults.notice),
            conclusion_due=day_rule("conclusion_due", defaults.conclusion_due),
            yearly_minimum=(
                MappingProxyType({str(k): int(v) for k, v in minimums.items()})
                if minimums is not None
                else defaults.yearly_minimum
            ),
            voter_request_threshold_percent=float(
                doc.get("voter_request_threshold_percent", defaults.voter_request_threshold_percent)
            ),
            overlap_check=bool(doc.get("overlap_check", defaults.overlap_check)),
        )


DEFAULT_RULES = SchedulingRules()
