"""The Conference aggregate: an immutable value whose commands return (new conference, events).

Immutability makes "a refused command changes nothing" true by construction. Each command carries an
id; applying an id twice returns the events recorded the first time, so a redelivered command
re-publishes the same event ids and the handler stays idempotent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from services.scheduling.domain.conference_base import ConferenceData
from services.scheduling.domain.conflicts import check_conflicts
from services.scheduling.domain.details import ConferenceDetails, validate_details
from services.scheduling.domain.events import ConferenceEvent, ConferencePlanned
from services.scheduling.domain.rules import DEFAULT_RULES, SchedulingRules
from services.scheduling.domain.text import require_aware
from services.scheduling.domain.transitions import Transitions, check_start_in_future
from services.scheduling.domain.units import UnitTree
from services.scheduling.domain.values import ConferenceState
from shared.errors import Conflict, DomainError, NotFound
from shared.timeutil import local_date

Outcome = tuple["Conference", list[ConferenceEvent]]


def unknown_conference(conference_id: str) -> NotFound:
    return NotFound(
        "unknown_conference", f"Không tìm thấy hội nghị '{conference_id}'; kiểm tra lại mã hội nghị."
    )


class Conference(Transitions):
    """A dialogue conference (hội nghị đối thoại) from plan to closed file."""

    @classmethod
    def plan(
        cls,
        conference_id: str,
        details: ConferenceDetails,
        *,
        units: UnitTree,
        command_id: str,
        now: dt.datetime,
        rules: SchedulingRules = DEFAULT_RULES,
        others: Iterable[ConferenceData] = (),
        override: bool = False,
        existing: Conference | None = None,
        by: str | None = None,
    ) -> Outcome:
        """Create a planned conference; ``existing`` is whatever the store holds under that id.

        ``by`` is who gave the command; the event records it.
        """
        require_aware(now, "now")
        if existing is not None:
            replayed = existing.replay(command_id)
            if replayed is not None:
                return existing, replayed
            raise Conflict(
                "conference_exists",
                f"Đã có hội nghị mã '{conference_id}' ('{existing.title}'); "
                "hãy dùng mã khác hoặc lệnh đổi lịch để sửa hội nghị này.",
            )
        if not conference_id.strip():
            raise DomainError("conference_id_missing", "Hội nghị chưa có mã; hãy nhập mã hội nghị.")
        validate_details(details, rules)
        check_start_in_future(details.start, now)
        unit = units.require_active(details.unit_code, local_date(details.start))
        details = replace(details, programme_year=details.year())
        overridden = check_conflicts(conference_id, details, others, rules, override)
        now_utc = now.astimezone(dt.UTC)
        conference = cls(
            id=conference_id,
            level=unit.level,
            unit_name=unit.name,
            details=details,
            state=ConferenceState.PLANNED,
            created_at=now_utc,
            updated_at=now_utc,
            overridden_conflicts=overridden,
        )
        event = ConferencePlanned(
            **conference.snapshot(command_id, now, "ConferencePlanned", by),
            co_organisers=details.co_organisers,
            agenda_topics=details.agenda_topics,
            trigger=details.trigger,
            voter_request_percent=details.voter_request_percent,
            expected_attendance=details.expected_attendance,
            programme_year=details.year(),
            overridden_conflicts=overridden,
        )
        return replace(conference, applied=(command_id,), history=(event,)), [event]
