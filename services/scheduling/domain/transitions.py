"""The lifecycle commands of a conference (a base class of ``Conference``).

Every command first replays itself if its id was already applied, then asks the transition table,
then checks its own rules; only a fully checked command produces a new version and its event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, Self, TypeVar

from services.scheduling.domain.conference_base import ConferenceData
from services.scheduling.domain.conflicts import check_conflicts
from services.scheduling.domain.details import validate_details
from services.scheduling.domain.events import (
    ConferenceAnnounced,
    ConferenceCancelled,
    ConferenceClosed,
    ConferenceConcluded,
    ConferenceEvent,
    ConferenceHeld,
    ConferencePostponed,
    ConferenceRescheduled,
)
from services.scheduling.domain.lifecycle import RETURN_FROM_POSTPONEMENT, Action, next_state
from services.scheduling.domain.rules import DEFAULT_RULES, SchedulingRules
from services.scheduling.domain.text import require_aware, vn_date, vn_datetime
from services.scheduling.domain.units import UnitTree
from services.scheduling.domain.values import ConferenceState
from shared.errors import DomainError
from shared.timeutil import local_date


def check_start_in_future(start: dt.datetime, now: dt.datetime) -> None:
    if start <= now:
        raise DomainError(
            "start_in_past",
            f"Thời gian bắt đầu {vn_datetime(start)} đã qua; hãy chọn thời gian bắt đầu trong tương lai.",
        )


def check_notice(start: dt.datetime, now: dt.datetime, rules: SchedulingRules) -> None:
    """The legal notice, counted in Vietnam calendar dates.

    The announcement day is day 0 and the conference day may be day N: announced on 07/04, a
    conference may start on 14/04 at any hour. Dates, not hours, because the law counts days and
    officials read the notice as "7 days before", not "168 hours before".
    """
    check_start_in_future(start, now)
    announced_on = local_date(now)
    earliest = rules.earliest_start_date(announced_on)
    if local_date(start) < earliest:
        raise DomainError(
            "notice_too_short",
            f"Hội nghị phải được công bố ít nhất {rules.notice.label()} trước ngày diễn ra; công bố ngày "
            f"{vn_date(announced_on)} thì ngày bắt đầu sớm nhất là {vn_date(earliest)}, "
            "hãy đổi lịch sang ngày đó hoặc muộn hơn.",
        )


def _require_text(value: str, code: str, message: str) -> str:
    if not value.strip():
        raise DomainError(code, message)
    return value.strip()


_C = TypeVar("_C", bound=ConferenceData)


def _commit(
    conf: _C,
    command_id: str,
    now: dt.datetime,
    target: ConferenceState,
    event_cls: type[ConferenceEvent],
    *,
    changes: dict[str, Any],
    extra: dict[str, Any],
    by: str | None,
) -> tuple[_C, list[ConferenceEvent]]:
    """The next version in state ``target`` with ``changes``, and its event (``extra``: its own fields)."""
    now_utc = now.astimezone(dt.UTC)
    new = replace(
        conf,
        state=target,
        version=conf.version + 1,
        updated_at=now_utc,
        applied=(*conf.applied, command_id),
        **changes,
    )
    event = event_cls(**new.snapshot(command_id, now, event_cls.__name__, by), **extra)
    new = replace(new, history=(*new.history, event))
    return new, [event]


class Transitions(ConferenceData):
    def announce(
        self,
        *,
        command_id: str,
        now: dt.datetime,
        rules: SchedulingRules = DEFAULT_RULES,
        by: str | None = None,
    ) -> tuple[Self, list[ConferenceEvent]]:
        """Publish the time, place and content; at least ``rules.notice`` before the start."""
        require_aware(now, "now")
        if (replayed := self.replay(command_id)) is not None:
            return self, replayed
        target = next_state(self.state, Action.ANNOUNCE)
        check_notice(self.start, now, rules)
        return _commit(
            self,
            command_id,
            now,
            target,
            ConferenceAnnounced,
            changes={"announced_at": now.astimezone(dt.UTC)},
            extra={"announced_at": now.astimezone(dt.UTC)},
            by=by,
        )

    def reschedule(
        self,
        start: dt.datetime,
        end: dt.datetime,
        *,
        units: UnitTree,
        command_id: str,
        now: dt.datetime,
        rules: SchedulingRules = DEFAULT_RULES,
        others: Iterable[ConferenceData] = (),
        override: bool = False,
        by: str | None = None,
    ) -> tuple[Self, list[ConferenceEvent]]:
        """Move the conference; a postponed one returns to the state it was postponed from."""
        require_aware(now, "now")
        if (replayed := self.replay(command_id)) is not None:
            return self, replayed
        target = next_state(self.state, Action.RESCHEDULE)
        if target is RETURN_FROM_POSTPONEMENT:
            target = self.postponed_from or ConferenceState.PLANNED
        details = self.details.with_times(start, end)
        validate_details(details, rules)
        # An announced conference is announced again with its new date, so the notice applies anew.
        if target is ConferenceState.ANNOUNCED:
            check_notice(start, now, rules)
        else:
            check_start_in_future(start, now)
        units.require_active(self.unit_code, local_date(start))
        overridden = check_conflicts(self.id, details, others, rules, override)
        return _commit(
            self,
            command_id,
            now,
            target,
            ConferenceRescheduled,
            changes={"details": details, "postponed_from": None, "overridden_conflicts": overridden},
            extra={
                "previous_start": self.start,
                "previous_end": self.end,
                "overridden_conflicts": overridden,
            },
            by=by,
        )

    def postpone(
        self, reason: str, *, command_id: str, now: dt.datetime, by: str | None = None
    ) -> tuple[Self, list[ConferenceEvent]]:
        """Put the conference on hold until it is rescheduled."""
        require_aware(now, "now")
        if (replayed := self.replay(command_id)) is not None:
            return self, replayed
        target = next_state(self.state, Action.POSTPONE)
        reason = _require_text(reason, "reason_missing", "Cần nêu lý do tạm hoãn; hãy nhập lý do.")
        return _commit(
            self,
            command_id,
            now,
            target,
            ConferencePostponed,
            changes={"postponed_from": self.state, "reason": reason},
            extra={"reason": reason, "postponed_from": self.state},
            by=by,
        )

    def cancel(
        self, reason: str, *, command_id: str, now: dt.datetime, by: str | None = None
    ) -> tuple[Self, list[ConferenceEvent]]:
        """Cancel for good; the reason is published with the event."""
        require_aware(now, "now")
        if (replayed := self.replay(command_id)) is not None:
            return self, replayed
        target = next_state(self.state, Action.CANCEL)
        reason = _require_text(reason, "reason_missing", "Cần nêu lý do hủy hội nghị; hãy nhập lý do.")
        return _commit(
            self,
            command_id,
            now,
            target,
            ConferenceCancelled,
            changes={"reason": reason, "cancelled_at": now.astimezone(dt.UTC), "postponed_from": None},
            extra={"reason": reason, "cancelled_from": self.state},
            by=by,
        )

    def hold(
        self,
        *,
        attendee_count: int,
        opinion_count: int,
        command_id: str,
        now: dt.datetime,
        held_at: dt.datetime | None = None,
        rules: SchedulingRules = DEFAULT_RULES,
        by: str | None = None,
    ) -> tuple[Self, list[ConferenceEvent]]:
        """Record that the conference took place (by default at its scheduled start)."""
        require_aware(now, "now")
        if (replayed := self.replay(command_id)) is not None:
            return self, replayed
        target = next_state(self.state, Action.HOLD)
        held = held_at or self.start
        require_aware(held, "held_at")
        if held > now:
            raise DomainError(
                "not_held_yet",
                f"Hội nghị diễn ra lúc {vn_datetime(held)}, chưa đến giờ; "
                "hãy ghi nhận sau khi hội nghị đã được tổ chức.",
            )
        if attendee_count < 0 or opinion_count < 0:
            raise DomainError(
                "count_invalid", "Số người tham dự và số ý kiến không được âm; hãy nhập lại số liệu."
            )
        due = rules.conclusion_due_date(local_date(held))
        record = replace(self.record, attendee_count=attendee_count, opinion_count=opinion_count)
        return _commit(
            self,
            command_id,
            now,
            target,
            ConferenceHeld,
            changes={"held_at": held.astimezone(dt.UTC), "conclusion_due": due, "record": record},
            extra={
                "held_at": held.astimezone(dt.UTC),
                "conclusion_due": due,
                "attendee_count": attendee_count,
                "opinion_count": opinion_count,
            },
            by=by,
        )

    def conclude(
        self, *, summary: str, document: str, command_id: str, now: dt.datetime, by: str | None = None
    ) -> tuple[Self, list[ConferenceEvent]]:
        """Record the head's written conclusion (văn bản kết luận); late ones are flagged."""
        require_aware(now, "now")
        if (replayed := self.replay(command_id)) is not None:
            return self, replayed
        target = next_state(self.state, Action.CONCLUDE)
        summary = _require_text(
            summary, "conclusion_missing", "Cần nhập tóm tắt nội dung kết luận của người chủ trì."
        )
        document = _require_text(
            document,
            "conclusion_document_missing",
            "Cần nhập số hoặc đường dẫn văn bản kết luận; hãy bổ sung trước khi ghi nhận kết luận.",
        )
        assert self.conclusion_due is not None  # set by hold(), the only way into HELD
        late = local_date(now) > self.conclusion_due
        record = replace(self.record, conclusion_summary=summary, conclusion_document=document)
        return _commit(
            self,
            command_id,
            now,
            target,
            ConferenceConcluded,
            changes={"concluded_at": now.astimezone(dt.UTC), "record": record},
            extra={
                "concluded_at": now.astimezone(dt.UTC),
                "conclusion_due": self.conclusion_due,
                "late": late,
                "conclusion_summary": summary,
                "conclusion_document": document,
            },
            by=by,
        )

    def close(
        self, *, command_id: str, now: dt.datetime, by: str | None = None
    ) -> tuple[Self, list[ConferenceEvent]]:
        """Close the file once the results are published; the closing record is complete by then."""
        require_aware(now, "now")
        if (replayed := self.replay(command_id)) is not None:
            return self, replayed
        target = next_state(self.state, Action.CLOSE)
        return _commit(
            self,
            command_id,
            now,
            target,
            ConferenceClosed,
            changes={"closed_at": now.astimezone(dt.UTC)},
            extra={"closed_at": now.astimezone(dt.UTC), "record": self.record},
            by=by,
        )
