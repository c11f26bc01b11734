"""Counting conferences by level and state, the way the province reports them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from services.scheduling.domain.conference_base import ConferenceData
from services.scheduling.domain.text import vn_date
from services.scheduling.domain.values import ConferenceState
from shared.errors import DomainError
from shared.timeutil import local_date


@dataclass(frozen=True)
class ReportRow:
    level: str
    state: ConferenceState
    count: int


@dataclass(frozen=True)
class ConferenceReport:
    """Counts over conferences starting between ``date_from`` and ``date_to`` (Vietnam dates, inclusive)."""

    date_from: dt.date
    date_to: dt.date
    level: str | None
    rows: tuple[ReportRow, ...]

    @property
    def total(self) -> int:
        return sum(r.count for r in self.rows)

    def by_level(self, states: Iterable[ConferenceState] | None = None) -> dict[str, int]:
        """Counts per level, restricted to ``states`` when given (e.g. ``HELD_STATES``)."""
        wanted = None if states is None else frozenset(states)
        counts: Counter[str] = Counter()
        for row in self.rows:
            if wanted is None or row.state in wanted:
                counts[row.level] += row.count
        return dict(counts)

    def by_state(self) -> dict[ConferenceState, int]:
        counts: Counter[ConferenceState] = Counter()
        for row in self.rows:
            counts[row.state] += row.count
        return dict(counts)

    def as_records(self) -> list[dict[str, str | int]]:
        """Flat rows for CSV or a table: level, state, count."""
        return [{"level": r.level, "state": r.state.value, "count": r.count} for r in self.rows]


def conference_report(
    conferences: Iterable[ConferenceData],
    date_from: dt.date,
    date_to: dt.date,
    level: str | None = None,
) -> ConferenceReport:
    """Count conferences by level and state; rows sorted by level then state for stable output."""
    if date_to < date_from:
        raise DomainError(
            "report_range_invalid",
            f"Ngày kết thúc {vn_date(date_to)} đứng trước ngày bắt đầu {vn_date(date_from)}; "
            "hãy đổi lại khoảng thời gian báo cáo.",
        )
    counts: Counter[tuple[str, ConferenceState]] = Counter()
    for conference in conferences:
        if level is not None and conference.level != level:
            continue
        if date_from <= local_date(conference.start) <= date_to:
            counts[(conference.level, conference.state)] += 1
    order = list(ConferenceState)
    rows = sorted(
        (ReportRow(lvl, state, n) for (lvl, state), n in counts.items()),
        key=lambda r: (r.level, order.index(r.state)),
    )
    return ConferenceReport(date_from, date_to, level, tuple(rows))
