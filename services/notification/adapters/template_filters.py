"""Jinja filters for Vietnamese administrative dates: people read Asia/Ho_Chi_Minh time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from shared.timeutil import to_local


def _instant(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        raise TypeError(f"expected a datetime or ISO 8601 string, got {value!r}")
    if value.tzinfo is None:
        # A naive instant would silently be shown seven hours off; refuse it loudly instead.
        raise ValueError(f"datetime {value!r} must be timezone aware")
    return to_local(value)


def vn_datetime(value: Any) -> str:
    """``08 giờ 00 ngày 05/12/2026`` in Vietnam's time zone."""
    local = _instant(value)
    return f"{local:%H} giờ {local:%M} ngày {local:%d/%m/%Y}"


def vn_time(value: Any) -> str:
    """``08 giờ 00`` in Vietnam's time zone."""
    local = _instant(value)
    return f"{local:%H} giờ {local:%M}"


def vn_date(value: Any) -> str:
    """``18/12/2026``; an aware datetime is first converted to Vietnam's calendar day."""
    if isinstance(value, str) and len(value) == 10:
        value = dt.date.fromisoformat(value)
    day = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else _instant(value)
    return f"{day:%d/%m/%Y}"


def vn_long_date(value: Any) -> str:
    """``ngày 05 tháng 02 năm 2026``, ``ngày 14 tháng 4 năm 2024`` (Decree 30/2020, Appendix I).

    Days below 10 and the months 1 and 2 take a leading zero; an aware datetime is first converted to
    Vietnam's calendar day.
    """
    text = vn_date(value)
    day, month, year = (int(part) for part in text.split("/"))
    month_text = f"{month:02d}" if month < 3 else str(month)
    return f"ngày {day:02d} tháng {month_text} năm {year}"


def capfirst(value: Any) -> str:
    """Upper-case only the first letter (``capitalize`` would lower-case ``Đồng Du``)."""
    text = str(value)
    return text[:1].upper() + text[1:]


def clause(value: Any) -> str:
    """The text without surrounding spaces and final full stops, so a template can end the sentence."""
    return str(value).strip().rstrip(".").rstrip()


FILTERS: dict[str, Callable[..., str]] = {
    "vn_datetime": vn_datetime,
    "vn_time": vn_time,
    "vn_date": vn_date,
    "vn_long_date": vn_long_date,
    "capfirst": capfirst,
    "clause": clause,
}
