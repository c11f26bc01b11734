"""Time helpers: storage and events are in UTC; people see Asia/Ho_Chi_Minh."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> dt.datetime:
    """The current instant, timezone aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def local_date(instant: dt.datetime) -> dt.date:
    """The calendar date of ``instant`` in Vietnam."""
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone aware")
    return instant.astimezone(VN_TZ).date()


def to_local(instant: dt.datetime) -> dt.datetime:
    """``instant`` shown in Vietnam's time zone."""
    return instant.astimezone(VN_TZ)


def local_if_naive(value: dt.datetime | None) -> dt.datetime | None:
    """``value`` read as Vietnam time when it has no offset (as operators type it); else unchanged."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=VN_TZ)
    return value
