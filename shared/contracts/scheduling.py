"""Scheduling contracts: conference lifecycle events and reminders.

Every conference event carries a snapshot of the conference (unit, title, times, place, chairs and
participant groups), so intake and notification never have to call back. ``event_id`` derives from the
operator's command id (or, for reminders, from the conference and the reminder), and
``correlation_id`` is the conference id: one conference, one flow.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import AwareDatetime, Field

from shared.contracts.base import Event, Value
from shared.subjects import Scheduling


class Chair(Value):
    """A head chairing the conference."""

    name: str = Field(min_length=1, max_length=200, description="Full name, e.g. 'Lê Thị Thủy'.")
    title: str = Field(min_length=1, max_length=300, description="Title, e.g. 'Bí thư Tỉnh ủy'.")


class ClosingRecord(Value):
    """What the conference produced (as Decidim's closing report)."""

    attendee_count: int | None = Field(default=None, description="People who attended.")
    opinion_count: int | None = Field(default=None, description="Opinions raised at the conference.")
    conclusion_summary: str | None = Field(default=None, description="Summary of the head's conclusion.")
    conclusion_document: str | None = Field(
        default=None, description="Number or link of the conclusion document (văn bản kết luận)."
    )


class ConferenceEvent(Event):
    """Fields every conference event carries: the conference as it is after the change."""

    conference_id: str = Field(description="Conference id, unique across the platform.")
    title: str = Field(description="Title of the conference.")
    unit_code: str = Field(description="Host administrative unit code, e.g. 'dong-du'.")
    unit_name: str = Field(default="", description="Host unit name, e.g. 'xã Đồng Du'.")
    level: str = Field(description="Administrative level of the host unit: province, district, commune.")
    starts_at: AwareDatetime = Field(description="Start time.")
    ends_at: AwareDatetime = Field(description="End time.")
    chairs: list[Chair] = Field(default_factory=list, description="The heads chairing it.")
    participant_groups: list[str] = Field(
        default_factory=list, description="Target participant groups, e.g. 'citizens', 'youth_union_members'."
    )
    venue: str | None = Field(default=None, description="Venue for in-person or hybrid conferences.")
    format: str = Field(default="in_person", description="in_person, online or hybrid.")
    link: str | None = Field(default=None, description="Link to join an online or hybrid conference.")
    state: str = Field(default="planned", description="Lifecycle state after this event.")
    conference_version: int = Field(default=1, ge=1, description="Version of the conference after it.")
    command_id: str = Field(default="", description="Operator command that caused it ('' for sweeps).")
    by: str | None = Field(
        default=None,
        description="Who gave the command that caused it: a person or portal account, or 'system' (the "
        "reminder sweep); absent from events published before scheduling recorded it.",
    )


class ConferencePlanned(ConferenceEvent):
    """A conference was put into a unit's programme."""

    SUBJECT: ClassVar[str] = Scheduling.CONFERENCE_PLANNED

    co_organisers: list[str] = Field(default_factory=list, description="Co-organisers, e.g. the MTTQ.")
    agenda_topics: list[str] = Field(default_factory=list, description="Agenda topics.")
    trigger: str = Field(
        default="annual_programme", description="annual_programme, voter_request (≥10% of voters) or ad_hoc."
    )
    voter_request_percent: float | None = Field(default=None, description="Share of voters who asked.")
    expected_attendance: int | None = Field(default=None, description="Expected attendance.")
    programme_year: int | None = Field(default=None, description="Year of the annual programme.")
    overridden_conflicts: list[str] = Field(
        default_factory=list, description="Conferences the operator knowingly overlapped (chair or venue)."
    )


class ConferenceAnnounced(ConferenceEvent):
    """Time, place and content were published with the legal notice."""

    SUBJECT: ClassVar[str] = Scheduling.CONFERENCE_ANNOUNCED

    announced_at: AwareDatetime = Field(description="When it was announced.")


class ConferenceRescheduled(ConferenceEvent):
    """The conference moved to new times (``starts_at``/``ends_at``)."""

    SUBJECT: ClassVar[str] = Scheduling.CONFERENCE_RESCHEDULED

    previous_starts_at: AwareDatetime = Field(description="Start before the change.")
    previous_ends_at: AwareDatetime = Field(description="End before the change.")
    overridden_conflicts: list[str] = Field(
        default_factory=list, description="Conferences the operator knowingly overlapped."
    )


class ConferencePostponed(ConferenceEvent):
    """The conference is on hold until it is rescheduled."""

    SUBJECT: ClassVar[str] = Scheduling.CONFERENCE_POSTPONED

    reason: str = Field(description="Why it was postponed.")
    postponed_from: str = Field(description="State it was in (planned or announced).")


class ConferenceHeld(ConferenceEvent):
    """The conference took place."""

    SUBJECT: ClassVar[str] = Scheduling.CONFERENCE_HELD

    held_at: AwareDatetime = Field(description="When it was held.")
    conclusion_due: dt.date = Field(description="Last Vietnam date for an on-time conclusion.")
    attendee_count: int = Field(ge=0, description="People who attended.")
    opinion_count: int = Field(ge=0, description="Opinions raised.")


class ConferenceConcluded(ConferenceEvent):
    """The head issued the written conclusion."""

    SUBJECT: ClassVar[str] = Scheduling.CONFERENCE_CONCLUDED

    concluded_at: AwareDatetime = Field(description="When the conclusion was issued.")
    conclusion_due: dt.date = Field(description="Last Vietnam date for an on-time conclusion.")
    late: bool = Field(description="True when issued after the due date.")
    conclusion_summary: str = Field(description="Summary of the conclusion.")
    conclusion_document: str = Field(description="Number or link of the conclusion document.")


class ConferenceClosed(ConferenceEvent):
    """The conference's file was closed with its closing record."""

    SUBJECT: ClassVar[str] = Scheduling.CONFERENCE_CLOSED

    closed_at: AwareDatetime = Field(description="When the file was closed.")
    record: ClosingRecord = Field(description="The closing record.")


class ConferenceCancelled(ConferenceEvent):
    """The conference will not take place."""

    SUBJECT: ClassVar[str] = Scheduling.CONFERENCE_CANCELLED

    reason: str = Field(description="Why it was cancelled.")
    cancelled_from: str = Field(description="State it was cancelled from.")


class ConferenceReminderDue(ConferenceEvent):
    """An announced conference starts within 48 hours: remind its participants (sent once)."""

    SUBJECT: ClassVar[str] = Scheduling.CONFERENCE_REMINDER_DUE

    hours_before: int = Field(default=48, description="Hours before the start this reminder is for.")


class ConclusionReminderDue(ConferenceEvent):
    """A held conference still has no conclusion ``days_after`` days later: remind the host unit."""

    SUBJECT: ClassVar[str] = Scheduling.CONCLUSION_REMINDER_DUE

    held_at: AwareDatetime = Field(description="When it was held.")
    conclusion_due: dt.date = Field(description="Last Vietnam date for an on-time conclusion.")
    days_after: int = Field(description="Days since it was held: 3 or 7.")
