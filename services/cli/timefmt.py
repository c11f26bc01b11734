"""Times as a Vietnamese official reads them: Asia/Ho_Chi_Minh, day first."""

from __future__ import annotations

import datetime as dt

from shared.timeutil import VN_TZ


def vn_time(iso: str | None) -> str:
    """An ISO instant (UTC or with an offset) as "05/12/2026 08:00" in Vietnam time; "—" when absent."""
    if not iso:
        return "—"
    try:
        value = dt.datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def vn_date(iso: str | None) -> str:
    """An ISO date as "05/12/2026"; "—" when absent."""
    if not iso:
        return "—"
    try:
        return dt.date.fromisoformat(str(iso)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(iso)
