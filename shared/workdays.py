"""Working-day arithmetic for Vietnam: weekends and public holidays off, substituted days honoured.

The `holidays` package knows the lunar Tết days, the observed days and the Saturdays that become
working days when a holiday bridge is granted (``weekend_workdays``). Provinces occasionally add a
local day off or a make-up working day: pass them as ``extra_days_off`` / ``extra_working_days``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache

import holidays

__all__ = ["DayType", "WorkCalendar", "default_calendar"]


class DayType(StrEnum):
    """How a rule counts its days; kept with every rule because the laws differ."""

    WORKING = "working"
    CALENDAR = "calendar"


class WorkCalendar:
    """A Vietnamese working-day calendar, optionally adjusted by local decisions."""

    def __init__(
        self,
        extra_days_off: Iterable[dt.date] = (),
        extra_working_days: Iterable[dt.date] = (),
        subdivision: str | None = None,
    ) -> None:
        self._extra_off = frozenset(extra_days_off)
        self._extra_on = frozenset(extra_working_days)
        self._holidays = holidays.country_holidays("VN", subdiv=subdivision)

    def is_working_day(self, day: dt.date) -> bool:
        """True when public offices work on ``day``."""
        if day in self._extra_on:
            return True
        if day in self._extra_off:
            return False
        return bool(self._holidays.is_working_day(day))

    def holiday_name(self, day: dt.date) -> str | None:
        """The public holiday on ``day``, if any."""
        name = self._holidays.get(day)
        return str(name) if name else None

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
        if days < 0:
            raise ValueError("days must be zero or positive")
        current = start
        remaining = days
        while remaining:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def subtract_working_days(self, end: dt.date, days: int) -> dt.date:
        """The date ``days`` working days before ``end``."""
        if days < 0:
            raise ValueError("days must be zero or positive")
        current = end
        remaining = days
        while remaining:
            current -= dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def add(self, start: dt.date, days: int, day_type: DayType) -> dt.date:
        """Add ``days`` counted as ``day_type``."""
        if day_type is DayType.CALENDAR:
            return start + dt.timedelta(days=days)
        return self.add_working_days(start, days)


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The national calendar without local adjustments (shared, cached)."""
    return WorkCalendar()
