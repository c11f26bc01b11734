"""Double-booking of a chair or a venue across overlapping conferences."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.scheduling.domain.conference_base import ConferenceData
from services.scheduling.domain.details import ConferenceDetails
from services.scheduling.domain.rules import SchedulingRules
from services.scheduling.domain.text import normalise, vn_datetime
from services.scheduling.domain.values import ConferenceState
from shared.errors import Conflict

# A postponed conference will get new dates, so its old slot is free; a cancelled one never happens.
_INACTIVE = frozenset({ConferenceState.CANCELLED, ConferenceState.POSTPONED})


@dataclass(frozen=True)
class BookingConflict:
    """``resource`` (a chair's name or a venue) is already booked by ``other`` at an overlapping time."""

    kind: str  # "chair" or "venue"
    resource: str
    other: ConferenceData

    def sentence(self) -> str:
        other = self.other
        what = f"đồng chí {self.resource}" if self.kind == "chair" else f"địa điểm '{self.resource}'"
        return (
            f"Trùng lịch: {what} đã được xếp cho hội nghị '{other.title}' (mã {other.id}) "
            f"từ {vn_datetime(other.start)} đến {vn_datetime(other.end)}; "
            "hãy chọn thời gian khác hoặc xác nhận ghi đè (override) nếu đó là chủ ý."
        )


def find_conflicts(
    conference_id: str, details: ConferenceDetails, others: Iterable[ConferenceData]
) -> list[BookingConflict]:
    """Every chair or venue of ``details`` also booked by an overlapping, still-active conference."""
    chairs = {normalise(c.name): c.name for c in details.chairs}
    venue = normalise(details.venue) if details.venue and details.format.needs_venue else None
    found: list[BookingConflict] = []
    for other in sorted(others, key=lambda c: (c.start, c.id)):
        if other.id == conference_id or other.state in _INACTIVE:
            continue
        # Half-open intervals: a conference may start the minute the previous one ends.
        if not (details.start < other.end and other.start < details.end):
            continue
        for chair in other.details.chairs:
            key = normalise(chair.name)
            if key in chairs:
                found.append(BookingConflict("chair", chairs[key], other))
        other_venue = other.details.venue if other.details.format.needs_venue else None
        if venue and other_venue and normalise(other_venue) == venue:
            found.append(BookingConflict("venue", other_venue, other))
    return found


def check_conflicts(
    conference_id: str,
    details: ConferenceDetails,
    others: Iterable[ConferenceData],
    rules: SchedulingRules,
    override: bool,
) -> tuple[str, ...]:
    """Refuse a double booking unless overridden; returns the ids of the overridden conferences."""
    if not rules.overlap_check:
        return ()
    conflicts = find_conflicts(conference_id, details, others)
    if conflicts and not override:
        first = conflicts[0]
        code = "chair_double_booked" if first.kind == "chair" else "venue_double_booked"
        raise Conflict(code, first.sentence())
    return tuple(dict.fromkeys(c.other.id for c in conflicts))
