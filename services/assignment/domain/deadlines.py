"""Deadline rules per (field, kind), reminders and the overdue sweep, all as pure functions.

Deadlines are Vietnamese calendar dates: the agency has until the end of that day, local time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from services.assignment.domain.fields import ANY
from shared.timeutil import local_date
from shared.workdays import DayType, WorkCalendar

DEFAULT_DAYS = 15
DEFAULT_REMINDER_DAYS = 3
DEFAULT_MAX_EXTENSION_DAYS = 15
DEFAULT_MAX_EXTENSIONS = 2


@dataclass(frozen=True)
class DeadlineRule:
    """How long an agency has to answer opinions of one field (and kind)."""

    field: str = ANY
    kind: str = ANY
    days: int = DEFAULT_DAYS
    day_type: DayType = DayType.WORKING

    def specificity(self, field_code: str, kind: str) -> int | None:
        """None when the rule does not apply; higher is more specific."""
        if self.field not in (field_code, ANY) or self.kind not in (kind, ANY):
            return None
        return (2 if self.field != ANY else 0) + (1 if self.kind != ANY else 0)


@dataclass(frozen=True)
class DeadlinePolicy:
    """The province's configuration; the defaults are the issue's defaults."""

    rules: tuple[DeadlineRule, ...] = ()
    default: DeadlineRule = DeadlineRule()
    reminder_days: int = DEFAULT_REMINDER_DAYS
    max_extension_days: int = DEFAULT_MAX_EXTENSION_DAYS
    max_extensions: int = DEFAULT_MAX_EXTENSIONS

    def rule_for(self, field_code: str, kind: str) -> DeadlineRule:
        """The most specific rule: (field, kind) beats (field, *) beats (*, kind) beats the default."""
        best: tuple[int, DeadlineRule] | None = None
        for rule in self.rules:
            score = rule.specificity(field_code, kind)
            if score is not None and (best is None or score > best[0]):
                best = (score, rule)
        return best[1] if best else self.default


def deadline_for(
    field_code: str, kind: str, start: dt.date, policy: DeadlinePolicy, calendar: WorkCalendar
) -> dt.date:
    """The answer deadline for an opinion assigned on ``start`` (the start day is not counted).

    A calendar-day period that ends on a day off runs to the next working day (Civil Code 2015,
    Art. 148), otherwise agencies would lose a day to every weekend-ending period.
    """
    rule = policy.rule_for(field_code, kind)
    end = calendar.add(start, rule.days, rule.day_type)
    while not calendar.is_working_day(end):
        end += dt.timedelta(days=1)
    return end


def reminder_date(deadline: dt.date, calendar: WorkCalendar, days: int = DEFAULT_REMINDER_DAYS) -> dt.date:
    """The day the reminder goes out: ``days`` working days before the deadline."""
    return calendar.subtract_working_days(deadline, days)


def latest_extension(original: dt.date, policy: DeadlinePolicy, calendar: WorkCalendar) -> dt.date:
    """The furthest date an extension may reach, counted from the first deadline."""
    return calendar.add_working_days(original, policy.max_extension_days)


class Deadlined(Protocol):
    """What the sweep reads of an assignment (a protocol, so these rules need not import it)."""

    @property
    def is_open(self) -> bool: ...

    deadline: dt.date | None
    reminder_sent_at: dt.datetime | None
    escalated_at: dt.datetime | None


class DueAction(StrEnum):
    REMINDER = "reminder"
    ESCALATION = "escalation"


def due_actions(
    assignment: Deadlined, now: dt.datetime, calendar: WorkCalendar, policy: DeadlinePolicy
) -> list[DueAction]:
    """What the sweep must still send for this assignment at ``now``.

    Each action is due once per deadline: recording it (``reminder_sent_at`` / ``escalated_at``)
    removes it; moving the deadline clears both. A reminder that was never sent before the deadline
    passed is dropped, since the escalation supersedes it.
    """
    if not assignment.is_open or assignment.deadline is None:
        return []
    today = local_date(now)
    if today > assignment.deadline:
        return [] if assignment.escalated_at else [DueAction.ESCALATION]
    if assignment.reminder_sent_at is None and today >= reminder_date(
        assignment.deadline, calendar, policy.reminder_days
    ):
        return [DueAction.REMINDER]
    return []
