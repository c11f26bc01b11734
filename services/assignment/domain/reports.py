"""Per-agency reports over a period (month, quarter, 6 and 9 months, year: Conclusion 215-KL/TW).

On-time rate = answered on time ÷ (answered in the period + open and overdue at its end), the 311
programmes' formula: an opinion left unanswered past its deadline counts against the agency even
though it has no answer yet. With nothing to count the rate is ``None`` (shown as "—"), never 0 or 1,
because neither would be true. Satisfaction is the citizens' ratings given in the period (their
number and average stars), counted for the agency that answered; with none it is "—" too.

Response latency (working days from assignment to the agency's answer, for the answers given in the
period) is reported as p50 (the median), p90 and the maximum, per agency and for the total of the
rows reported; see ``latency_percentiles`` for the definition.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from services.assignment.domain import refusals
from services.assignment.domain.assignment import Assignment
from shared.timeutil import local_date
from shared.workdays import WorkCalendar

_PERIOD = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|Q([1-4])|H([12])|(6|9)M))?$")


@dataclass(frozen=True)
class Period:
    """Inclusive range of Vietnamese calendar dates."""

    label: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def parse_period(text: str) -> Period:
    """Parse "2026-11", "2026-Q3", "2026-H1", "2026-H2", "2026-6M", "2026-9M" or "2026"."""
    label = text.strip().upper()
    match = _PERIOD.match(label)
    if not match:
        raise refusals.invalid_period(text)
    year_text, month, quarter, half, months = match.groups()
    year = int(year_text)
    if month is not None:
        first, last = int(month), int(month)
        if not 1 <= first <= 12:
            raise refusals.invalid_period(text)
    elif quarter is not None:
        last = int(quarter) * 3
        first = last - 2
    elif half is not None:
        last = int(half) * 6
        first = last - 5
    elif months is not None:
        first, last = 1, int(months)
    else:
        first, last = 1, 12
    return Period(label, dt.date(year, first, 1), _month_end(year, last))


def _one_decimal(value: float) -> str:
    """``value`` with one decimal and the Vietnamese decimal comma: 4,3."""
    return f"{value:.1f}".replace(".", ",")


def format_rate(rate: float | None) -> str:
    """Percent with one decimal comma (100,0%), or "—" when there is nothing to measure."""
    return "—" if rate is None else f"{_one_decimal(rate * 100)}%"


def format_rating(average: float | None, count: int) -> str:
    """Average stars out of 5 with the number of ratings (4,3/5 (3 lượt)), or "—" when nobody rated."""
    return "—" if average is None else f"{_one_decimal(average)}/5 ({count} lượt)"


@dataclass(frozen=True)
class Latency:
    """p50, p90 and maximum response time in working days; all ``None`` when nothing was answered."""

    p50: float | None = None
    p90: float | None = None
    maximum: float | None = None


def latency_percentiles(days: Sequence[int]) -> Latency:
    """p50, p90 and maximum of ``days`` by linear interpolation between the closest ranks.

    The definition is ``statistics.quantiles(days, n=10, method="inclusive")`` (Hyndman and Fan's
    type 7, the default of numpy and of spreadsheets' PERCENTILE.INC): with the n values sorted as
    x[0] ≤ … ≤ x[n-1], the p-th percentile sits at position h = p·(n−1) and is
    x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). So p50 is the median (``statistics.median``: the mean
    of the two middle values for an even count), p100 is the maximum, each percentile is a value of
    the input or lies between two neighbouring values, and one value is every percentile of itself.
    """
    if not days:
        return Latency()
    if len(days) == 1:  # statistics.quantiles needs two values before Python 3.13
        only = float(days[0])
        return Latency(only, only, only)
    deciles = statistics.quantiles(days, n=10, method="inclusive")
    return Latency(float(statistics.median(days)), float(deciles[8]), float(max(days)))


@dataclass(frozen=True)
class AgencyReport:
    agency_code: str
    agency_name: str
    assigned: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    open_overdue: int = 0
    median_working_days: float | None = None
    ratings: int = 0
    average_rating: float | None = None
    p90_working_days: float | None = None
    max_working_days: float | None = None

    @property
    def answered(self) -> int:
        return self.answered_on_time + self.answered_late

    @property
    def on_time_rate(self) -> float | None:
        denominator = self.answered + self.open_overdue
        return None if denominator == 0 else self.answered_on_time / denominator


@dataclass
class _Tally:
    name: str
    assigned: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    days: list[int] = field(default_factory=list)
    stars: list[int] = field(default_factory=list)

    def add(self, other: _Tally) -> None:
        self.assigned += other.assigned
        self.on_time += other.on_time
        self.late += other.late
        self.open_overdue += other.open_overdue
        self.days.extend(other.days)
        self.stars.extend(other.stars)

    def report(self, code: str) -> AgencyReport:
        latency = latency_percentiles(self.days)
        average = round(statistics.fmean(self.stars), 2) if self.stars else None
        return AgencyReport(
            code,
            self.name,
            self.assigned,
            self.on_time,
            self.late,
            self.open_overdue,
            latency.p50,
            len(self.stars),
            average,
            latency.p90,
            latency.maximum,
        )


@dataclass(frozen=True)
class Reports:
    """The agencies' rows and their total (code and name empty), computed from the same opinions."""

    rows: list[AgencyReport]
    total: AgencyReport


def agency_reports(
    docs: Iterable[dict[str, Any]],
    period: Period,
    calendar: WorkCalendar,
    as_of: dt.date | None = None,
) -> list[AgencyReport]:
    """One row per agency holding opinions, sorted by agency code (see ``reports_with_total``)."""
    return reports_with_total(docs, period, calendar, as_of).rows


def reports_with_total(
    docs: Iterable[dict[str, Any]],
    period: Period,
    calendar: WorkCalendar,
    as_of: dt.date | None = None,
    agencies: Iterable[str] = (),
) -> Reports:
    """One row per agency holding opinions, sorted by agency code, and the total of those rows.

    ``agencies``, when given, keeps only those agencies' rows, and the total is theirs: its counts
    are the rows' sums and its latency percentiles are those of all their answers pooled (a
    percentile of percentiles would be no percentile of anything).

    ``as_of`` cuts a period that has not ended yet (pass today); "open and overdue" is judged at the
    earlier of the period's end and ``as_of``. Opinions count for the agency holding them now, and
    an answer counts on the day the agency submitted its latest (not returned) answer.
    """
    cutoff = min(period.end, as_of) if as_of else period.end
    tallies: dict[str, _Tally] = {}
    for doc in docs:
        item = Assignment.from_doc(doc)
        if item.agency is None or item.assigned_at is None or item.deadline is None:
            continue
        tally = tallies.setdefault(item.agency.code, _Tally(item.agency.name))
        assigned_on = local_date(item.assigned_at)
        if period.contains(assigned_on):
            tally.assigned += 1
        answered_on = local_date(item.answered_at) if item.answered_at else None
        if answered_on is not None and period.contains(answered_on) and answered_on <= cutoff:
            if answered_on <= item.deadline:
                tally.on_time += 1
            else:
                tally.late += 1
            tally.days.append(calendar.working_days_between(assigned_on, answered_on))
        elif (
            assigned_on <= cutoff and item.deadline < cutoff and (answered_on is None or answered_on > cutoff)
        ):
            tally.open_overdue += 1
        rated_on = local_date(item.rating.rated_at) if item.rating else None
        if (
            item.rating is not None
            and rated_on is not None
            and period.contains(rated_on)
            and rated_on <= cutoff
        ):
            tally.stars.append(item.rating.stars)
    wanted = set(agencies)
    kept = sorted(((c, t) for c, t in tallies.items() if not wanted or c in wanted), key=lambda ct: ct[0])
    total = _Tally("")
    for _, tally in kept:
        total.add(tally)
    return Reports([tally.report(code) for code, tally in kept], total.report(""))
