"""A conference as the JSON operators read, and the reply to a command that changed it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from services.scheduling.domain import Conference
from services.scheduling.domain.codec import encode
from shared.contracts.base import CommandResult, Event

_DONE = {
    "plan": "Đã lập kế hoạch hội nghị '{title}' (mã {id}).",
    "announce": "Đã công bố hội nghị '{title}' (mã {id}).",
    "reschedule": "Đã đổi lịch hội nghị '{title}' (mã {id}).",
    "postpone": "Đã tạm hoãn hội nghị '{title}' (mã {id}).",
    "hold": "Đã ghi nhận hội nghị '{title}' (mã {id}) đã được tổ chức.",
    "conclude": "Đã ghi nhận kết luận của hội nghị '{title}' (mã {id}).",
    "close": "Đã đóng hồ sơ hội nghị '{title}' (mã {id}).",
    "cancel": "Đã hủy hội nghị '{title}' (mã {id}).",
}


def done_message(verb: str, conference: Conference) -> str:
    return _DONE[verb].format(title=conference.title, id=conference.id)


def summary(c: Conference, now: dt.datetime) -> dict[str, Any]:
    """One line of a listing; ``level`` and ``unit_code`` at the top (intake reads them)."""
    return {
        "conference_id": c.id,
        "title": c.title,
        "unit_code": c.unit_code,
        "unit_name": c.unit_name,
        "level": c.level,
        "state": c.state.value,
        "state_label": c.state.label,
        "starts_at": c.start.isoformat(),
        "ends_at": c.end.isoformat(),
        "programme_year": c.details.year(),
        "conclusion_due": encode(c.conclusion_due),
        "conclusion_late": c.is_conclusion_late(now),
    }


def show_data(c: Conference, now: dt.datetime) -> dict[str, Any]:
    d = c.details
    data = summary(c, now)
    data.update(
        chairs=[ch.to_doc() for ch in d.chairs],
        participant_groups=[g.value for g in d.participant_groups],
        format=d.format.value,
        venue=d.venue,
        link=d.link,
        co_organisers=list(d.co_organisers),
        agenda_topics=list(d.agenda_topics),
        trigger=d.trigger.value,
        voter_request_percent=d.voter_request_percent,
        expected_attendance=d.expected_attendance,
        version=c.version,
        reason=c.reason,
        postponed_from=encode(c.postponed_from),
        overridden_conflicts=list(c.overridden_conflicts),
        announced_at=encode(c.announced_at),
        held_at=encode(c.held_at),
        concluded_at=encode(c.concluded_at),
        closed_at=encode(c.closed_at),
        cancelled_at=encode(c.cancelled_at),
        record=c.record.to_doc(),
        allowed_actions=[a.value for a in c.allowed_actions()],
    )
    return data


def command_reply(
    verb: str, conference: Conference, events: Sequence[Event], replayed: bool, now: dt.datetime
) -> CommandResult:
    """What the operator reads: the sentence, the conference, its event ids, whether it was a replay."""
    data = show_data(conference, now)
    data["event_ids"] = [e.event_id for e in events]
    data["replayed"] = replayed
    return CommandResult(ok=True, message=done_message(verb, conference), data=data)
