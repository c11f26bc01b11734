"""Operator commands and queries of scheduling, on ``scheduling.cmd.<verb>`` (request/reply).

The CLI sends them; scheduling validates each payload once, against these models, and refuses a bad
one with the reason code and sentence of ``shared.refusals``. Times without an offset are read as
Asia/Ho_Chi_Minh. ``effective_at`` is when the action really happened (the secretariat often records
after the fact); scheduling refuses one in the future. ``by`` names who gives the command (a person or
a portal account); the events it causes carry it, and a command without one (a sender from before
``by``) is attributed to the role that usually gives it: the secretariat, or the head for a conclusion.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.timeutil import local_if_naive as _local


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SchedulingCommand(_Payload):
    """Fields every state-changing scheduling command carries."""

    command_id: str = Field(
        min_length=1, max_length=200, description="Idempotency key: a repeated id replays the first answer."
    )
    by: str = Field(default="", max_length=200, description="Who gives the command (head, secretariat).")
    effective_at: dt.datetime | None = Field(
        default=None, description="When it really happened (Vietnam time without an offset); default now."
    )

    @field_validator("effective_at")
    @classmethod
    def _effective_local(cls, value: dt.datetime | None) -> dt.datetime | None:
        return _local(value)


class ConferenceCommand(SchedulingCommand):
    """A command on one existing conference."""

    conference_id: str = Field(min_length=1, max_length=100, description="The conference.")


class ChairInput(_Payload):
    """A head chairing the conference, as the operator typed it."""

    name: str = Field(description="Full name, e.g. 'Lê Thị Thủy'.")
    title: str = Field(description="Title, e.g. 'Bí thư Tỉnh ủy'.")


class PlanConference(SchedulingCommand):
    """Put a conference into a unit's programme."""

    conference_id: str | None = Field(
        default=None, max_length=100, description="Conference id; default: derived from command_id."
    )
    title: str = Field(description="Title of the conference.")
    unit_code: str = Field(description="Host administrative unit code, e.g. 'binh-luc-xa'.")
    starts_at: dt.datetime = Field(description="Start (Vietnam time without an offset).")
    ends_at: dt.datetime = Field(description="End (Vietnam time without an offset).")
    chairs: list[ChairInput] = Field(description="The heads chairing it.")
    participant_groups: list[str] = Field(
        description="Target groups: cadres_party_members, citizens, youth_union_members..."
    )
    format: str = Field(default="in_person", description="in_person, online or hybrid.")
    venue: str | None = Field(default=None, description="Venue (in person or hybrid).")
    link: str | None = Field(default=None, description="Link to join (online or hybrid).")
    co_organisers: list[str] = Field(default_factory=list, description="Co-organisers, e.g. the MTTQ.")
    agenda_topics: list[str] = Field(default_factory=list, description="Agenda topics.")
    trigger: str = Field(
        default="annual_programme", description="annual_programme, voter_request (≥10% of voters) or ad_hoc."
    )
    voter_request_percent: float | None = Field(default=None, description="Share of voters who asked.")
    expected_attendance: int | None = Field(default=None, description="Expected attendance.")
    programme_year: int | None = Field(
        default=None, ge=2000, le=2100, description="Year of the annual programme, 2000 to 2100."
    )
    override: bool = Field(default=False, description="Accept a double-booked chair or venue.")

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _times_local(cls, value: dt.datetime) -> dt.datetime | None:
        return _local(value)


class AnnounceConference(ConferenceCommand):
    """Publish the time, place and content, at least the legal notice before the start."""


class RescheduleConference(ConferenceCommand):
    """Move the conference to new times (also brings a postponed one back)."""

    starts_at: dt.datetime = Field(description="New start (Vietnam time without an offset).")
    ends_at: dt.datetime = Field(description="New end (Vietnam time without an offset).")
    override: bool = Field(default=False, description="Accept a double-booked chair or venue.")

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _times_local(cls, value: dt.datetime) -> dt.datetime | None:
        return _local(value)


class PostponeConference(ConferenceCommand):
    """Put the conference on hold until it is rescheduled."""

    reason: str = Field(description="Why it is postponed.")


class CancelConference(ConferenceCommand):
    """Call the conference off."""

    reason: str = Field(description="Why it is cancelled.")


class HoldConference(ConferenceCommand):
    """Record that the conference took place."""

    attendee_count: int = Field(description="People who attended.")
    opinion_count: int = Field(description="Opinions raised.")
    held_at: dt.datetime | None = Field(default=None, description="When it was held; default its start.")

    @field_validator("held_at")
    @classmethod
    def _held_local(cls, value: dt.datetime | None) -> dt.datetime | None:
        return _local(value)


class ConcludeConference(ConferenceCommand):
    """Record the head's written conclusion."""

    summary: str = Field(description="Summary of the conclusion.")
    document: str = Field(description="Number or link of the conclusion document.")


class CloseConference(ConferenceCommand):
    """Close the conference's file with its closing record."""


class ShowConference(_Payload):
    """One conference, in full."""

    conference_id: str = Field(description="The conference.")


class ListConferences(_Payload):
    """Conferences, filtered; every filter is optional."""

    unit: str | None = Field(default=None, description="Host unit code.")
    level: str | None = Field(default=None, description="province, district or commune.")
    state: str | None = Field(default=None, description="Lifecycle state, e.g. announced.")
    year: int | None = Field(default=None, ge=2000, le=2100, description="Programme year, 2000 to 2100.")


class CheckCompliance(_Payload):
    """Units that held fewer conferences than their yearly minimum."""

    year: int = Field(ge=2000, le=2100, description="The programme year, 2000 to 2100.")
    as_of: dt.date | None = Field(default=None, description="Count up to this date; default the year's end.")


class ReportConferences(_Payload):
    """Conferences by level and state over a range of Vietnam dates."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    date_from: dt.date = Field(alias="from", description="First day (YYYY-MM-DD).")
    date_to: dt.date = Field(alias="to", description="Last day (YYYY-MM-DD).")
    level: str | None = Field(default=None, description="Only this level.")


class ListUnits(_Payload):
    """The administrative-unit tree (data, not code): its levels and its units, parents first."""

    level: str | None = Field(default=None, description="Only units of this level, e.g. commune.")
    under: str | None = Field(default=None, description="Only this unit and the units below it.")
    on: dt.date | None = Field(
        default=None, description="Only the units that existed on this day; default every unit ever."
    )
