"""Operator payloads (contracts) into domain values, naming the vocabulary on a bad value."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from services.scheduling.domain import (
    Chair,
    ConferenceDetails,
    ConferenceFormat,
    ParticipantGroup,
    Trigger,
)
from shared.contracts.scheduling_commands import PlanConference
from shared.errors import DomainError

E = TypeVar("E", bound=StrEnum)


def _choice(enum: type[E], value: str, field: str) -> E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(f"{m.value} ({getattr(m, 'label', m.value)})" for m in enum)
        raise DomainError(
            f"unknown_{field}",
            f"Giá trị '{value}' của trường '{field}' không hợp lệ; hãy chọn một trong: {allowed}.",
        ) from None


def details_from(command: PlanConference) -> ConferenceDetails:
    return ConferenceDetails(
        title=command.title,
        unit_code=command.unit_code,
        chairs=tuple(Chair(c.name, c.title) for c in command.chairs),
        start=command.starts_at,
        end=command.ends_at,
        format=_choice(ConferenceFormat, command.format, "format"),
        participant_groups=tuple(
            _choice(ParticipantGroup, g, "participant_groups") for g in command.participant_groups
        ),
        venue=command.venue,
        link=command.link,
        co_organisers=tuple(command.co_organisers),
        agenda_topics=tuple(command.agenda_topics),
        trigger=_choice(Trigger, command.trigger, "trigger"),
        voter_request_percent=command.voter_request_percent,
        expected_attendance=command.expected_attendance,
        programme_year=command.programme_year,
    )
