"""When a command takes effect: now, or the moment the secretariat says it really happened.

Conferences are often recorded after the fact. A back-recorded command carries ``effective_at``:
its deadline, its agency and its history entry are those of that moment, not of the day it is typed.
"""

from __future__ import annotations

import datetime as dt

from services.assignment.domain import refusals
from services.assignment.domain.agencies import Agency
from shared.timeutil import local_date

# Slack for clocks: the CLI stamps a time on one machine, the service checks it on another.
EFFECTIVE_SKEW = dt.timedelta(minutes=5)


def effective_time(effective_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """``effective_at`` in UTC (``now`` when absent); refused when it is more than the slack ahead."""
    if effective_at is None:
        return now
    if effective_at.tzinfo is None:
        raise refusals.naive_datetime("effective_at")
    if effective_at > now + EFFECTIVE_SKEW:
        raise refusals.effective_in_future(effective_at)
    return effective_at.astimezone(dt.UTC)


def guard_in_force(agency: Agency, at: dt.datetime) -> None:
    """A person may only give an opinion to an agency that exists on the day the command takes effect."""
    if not agency.in_force(local_date(at)):
        raise refusals.agency_not_in_force(agency, local_date(at))
