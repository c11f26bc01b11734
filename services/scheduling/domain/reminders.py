"""Reminders: 48 hours before an announced conference, 3 and 7 days after a held one.

Which reminders are due is pure; the handler claims each one once by storing its key beside the
conference (``reminders.<key>``), in the same write that puts its event in the outbox.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.scheduling.domain.conference_base import ConferenceData
from services.scheduling.domain.events import SYSTEM, ConferenceEvent
from services.scheduling.domain.values import ConferenceState
from shared.ids import derived_id


@dataclass(frozen=True)
class ReminderPolicy:
    hours_before: int = 48
    days_after: tuple[int, ...] = (3, 7)
    # A conclusion reminder found later than this after its moment is stale (back-recorded conference).
    grace: dt.timedelta = dt.timedelta(hours=24)


@dataclass(frozen=True, kw_only=True)
class ConferenceReminderDue(ConferenceEvent):
    hours_before: int


@dataclass(frozen=True, kw_only=True)
class ConclusionReminderDue(ConferenceEvent):
    held_at: dt.datetime
    conclusion_due: dt.date
    days_after: int


def due_reminders(
    c: ConferenceData, now: dt.datetime, policy: ReminderPolicy
) -> list[tuple[str, ConferenceEvent]]:
    """(claim key, event) for every reminder of ``c`` due at ``now``.

    A reminder's id derives from the conference and the moment it is for, so a reminder claimed
    twice (two replicas) is still one message.
    """
    due: list[tuple[str, ConferenceEvent]] = []
    if (
        c.state is ConferenceState.ANNOUNCED
        and c.start - dt.timedelta(hours=policy.hours_before) <= now < c.start
    ):
        start_key = c.start.astimezone(dt.UTC).isoformat()
        fields = c.snapshot("", now, "ConferenceReminderDue", by=SYSTEM)
        fields["event_id"] = derived_id(c.id, "ConferenceReminderDue", start_key)
        key = f"conference_{policy.hours_before}h@{start_key}"
        due.append((key, ConferenceReminderDue(**fields, hours_before=policy.hours_before)))
    if c.state is ConferenceState.HELD and c.held_at is not None and c.conclusion_due is not None:
        for days in policy.days_after:
            moment = c.held_at + dt.timedelta(days=days)
            if moment <= now < moment + policy.grace:
                fields = c.snapshot("", now, "ConclusionReminderDue", by=SYSTEM)
                fields["event_id"] = derived_id(c.id, "ConclusionReminderDue", days)
                event = ConclusionReminderDue(
                    **fields, held_at=c.held_at, conclusion_due=c.conclusion_due, days_after=days
                )
                due.append((f"conclusion_{days}d", event))
    return due
