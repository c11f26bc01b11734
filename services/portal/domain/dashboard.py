"""The unit's dashboard: assignment's agency report (``dialogue report agencies``) for one scope.

The numbers are assignment's own reply to ``ReportAgencies``, row for row, so the page and the CLI
never disagree: assigned, answered on time and late, open and overdue at the period's end, the
median response time in working days, the on-time rate (on time ÷ answered + open and overdue) and
the citizens' satisfaction, with the response time's p50 (the median), p90 and maximum. The page
asks for the rows of the official's scope only (``agency_codes``) and its unit line is
assignment's total of those rows: a percentile cannot be added up from the rows' percentiles, so
the portal recomputes nothing. "Still open" is the portal's read model (open opinions held now),
the one column not in the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    assigned: int
    on_time: int
    late: int
    open_overdue: int
    median_days: float | None
    rate_text: str
    ratings: int
    rating_text: str
    open_now: int | None = None
    p90_days: float | None = None
    max_days: float | None = None

    @property
    def median_text(self) -> str:
        return days_text(self.median_days)

    @property
    def p90_text(self) -> str:
        return days_text(self.p90_days)

    @property
    def max_text(self) -> str:
        return days_text(self.max_days)


@dataclass(frozen=True)
class Dashboard:
    period: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    lines: list[Line]
    total: Line | None


def days_text(days: float | None) -> str:
    """Working days as assignment computed them, with a decimal comma; "—" when nothing was answered."""
    return "—" if days is None else f"{days:g}".replace(".", ",")


def _int(row: dict[str, Any], key: str) -> int:
    return int(row.get(key) or 0)


def _days(row: dict[str, Any], key: str) -> float | None:
    value = row.get(key)
    return None if value is None else float(value)


def _line(row: dict[str, Any], open_now: int | None, name: str = "") -> Line:
    code = str(row.get("agency_code") or "")
    return Line(
        code, name or str(row.get("agency_name") or code), _int(row, "assigned"), _int(row, "answered_on_time"),
        _int(row, "answered_late"), _int(row, "open_overdue"), _days(row, "median_working_days"),
        str(row.get("on_time_rate_text") or "—"), _int(row, "ratings"), str(row.get("average_rating_text") or "—"),
        open_now, _days(row, "p90_working_days"), _days(row, "max_working_days"),
    )  # fmt: skip


def dashboard(
    data: dict[str, Any], scope: Iterable[str], open_now: dict[str, int] | None = None
) -> Dashboard:
    """Assignment's report reply, kept to the agencies of ``scope``, with assignment's total line.

    The reply is expected to be asked for ``scope`` (``agency_codes``), so that its total is the
    scope's; the portal adds up only its own "still open" counts."""
    wanted = set(scope)
    counts = open_now or {}
    lines = [
        _line(r, counts.get(str(r["agency_code"])))
        for r in data.get("rows", [])
        if r.get("agency_code") in wanted
    ]
    total = None
    if len(lines) > 1 and isinstance(data.get("total"), dict):
        total = _line(data["total"], sum(x.open_now or 0 for x in lines), "Cả đơn vị")
    return Dashboard(
        str(data.get("period", "")), dt.date.fromisoformat(str(data["start"])),
        dt.date.fromisoformat(str(data["end"])), dt.date.fromisoformat(str(data["as_of"])), lines, total,
    )  # fmt: skip


def periods(today: dt.date, chosen: str = "") -> list[tuple[str, str]]:
    """The periods the page offers (Conclusion 215's reports): this month, quarter, 6 and 9 months, years;
    a period typed in the address (``?ky=2025-Q3``) is offered too, so the form says what is shown."""
    quarter = (today.month - 1) // 3
    year = today.year
    offered = [
        (f"{year}-{today.month:02d}", f"Tháng {today.month}/{year}"),
        (f"{year}-Q{quarter + 1}", f"Quý {ROMAN[quarter]}/{year}"),
        (f"{year}-H1", f"6 tháng đầu năm {year}"),
        (f"{year}-9M", f"9 tháng năm {year}"),
        (f"{year}", f"Năm {year}"),
        (f"{year - 1}", f"Năm {year - 1}"),
    ]
    if chosen and chosen not in {value for value, _ in offered}:
        offered.append((chosen, f"Kỳ {chosen}"))
    return offered
