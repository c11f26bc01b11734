"""When the petitioner must be told the opinion was accepted or transferred.

Politburo Regulation 11-QĐi/TW (2019): within 10 working days of receipt. Days are counted from the
date of receipt in Vietnam, not in UTC: an opinion sent at 06:30 on a Monday in Hà Nội arrived on
Monday, although that instant is still Sunday in UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shared.timeutil import local_date
from shared.workdays import DayType, WorkCalendar

__all__ = ["ACKNOWLEDGEMENT_RULE", "DeadlineRule", "acknowledgement_due"]


@dataclass(frozen=True)
class DeadlineRule:
    """A deadline counted in ``days`` of ``day_type`` after an event, and where it comes from."""

    days: int
    day_type: DayType
    source: str

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError("a deadline cannot be negative")


ACKNOWLEDGEMENT_RULE = DeadlineRule(10, DayType.WORKING, "Quy định 11-QĐi/TW (2019)")


def acknowledgement_due(
    received_at: dt.datetime, calendar: WorkCalendar, rule: DeadlineRule = ACKNOWLEDGEMENT_RULE
) -> dt.date:
    """The last day (Vietnam date) to tell the petitioner what happens to the opinion."""
    return calendar.add(local_date(received_at), rule.days, rule.day_type)
