"""The unit's dashboard: assignment's agency report (``dialogue report agencies``) for one scope.

The numbers are assignment's own reply to ``ReportAgencies``, row for row, so the page and the CLI
never disagree: assigned, answered on time and late, open and overdue at the period's end, the
median response time in working days, the on-time rate (on time ÷ answered + open and overdue) and
the citizens' satisfaction. The page keeps only the rows of the official's scope; the unit's line
adds those rows up with the same formula. "Still open" is the portal's read model (open opinions
held now), the one column not in the report.
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

    @property
    def median_text(self) -> str:
        return "—" if self.median_days is None else f"{self.median_days:g}".replace(".", ",")


@dataclass(frozen=True)
class Dashboard:
    period: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    lines: list[Line]
    total: Line | None


def rate_text(on_time: int, answered: int, open_overdue: int) -> str:
    """The report's formula and format: one decimal, "—" when there is nothing to measure."""
    denominator = answered + open_overdue
    return "—" if denominator == 0 else f"{on_time / denominator * 100:.1f}%"


def _int(row: dict[str, Any], key: str) -> int:
    return int(row.get(key) or 0)


def _line(row: dict[str, Any], open_now: dict[str, int]) -> Line:
    code = str(row["agency_code"])
    median = row.get("median_working_days")
    return Line(
        code, str(row.get("agency_name") or code), _int(row, "assigned"), _int(row, "answered_on_time"),
        _int(row, "answered_late"), _int(row, "open_overdue"), float(median) if median is not None else None,
        str(row.get("on_time_rate_text") or "—"), _int(row, "ratings"), str(row.get("average_rating_text") or "—"),
        open_now.get(code),
    )  # fmt: skip


def dashboard(
    data: dict[str, Any], scope: Iterable[str], open_now: dict[str, int] | None = None
) -> Dashboard:
    """Assignment's report reply, kept to the agencies of ``scope``, with the scope's total line."""
    wanted = set(scope)
    counts = open_now or {}
    lines = [_line(r, counts) for r in data.get("rows", []) if r.get("agency_code") in wanted]
    total = None
    if len(lines) > 1:
        on_time, late = sum(x.on_time for x in lines), sum(x.late for x in lines)
        overdue = sum(x.open_overdue for x in lines)
        total = Line("", "Cả đơn vị", sum(x.assigned for x in lines), on_time, late, overdue, None,
                     rate_text(on_time, on_time + late, overdue), sum(x.ratings for x in lines), "",
                     sum(x.open_now or 0 for x in lines))  # fmt: skip
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
