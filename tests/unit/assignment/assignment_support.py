"""Helpers shared by the assignment unit tests (a uniquely named module, not a package)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from services.assignment.domain.assignment import Assignment
from services.assignment.domain.values import OpinionRef
from shared.timeutil import VN_TZ

OpinionFactory = Callable[..., OpinionRef]
OpenFactory = Callable[..., Assignment]


def vn(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    """A Vietnamese office-hours instant, converted to UTC as the domain stores it."""
    return dt.datetime(year, month, day, hour, tzinfo=VN_TZ).astimezone(dt.UTC)
