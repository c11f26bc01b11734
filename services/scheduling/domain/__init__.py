"""The pure domain of the scheduling service: units, conferences, their rules and reports."""

from services.scheduling.domain.conference import Conference, unknown_conference
from services.scheduling.domain.conference_base import ConferenceData
from services.scheduling.domain.conflicts import BookingConflict, check_conflicts, find_conflicts
from services.scheduling.domain.details import ConferenceDetails, validate_details
from services.scheduling.domain.effective import effective_time
from services.scheduling.domain.events import (
    EVENT_TYPES,
    ConferenceAnnounced,
    ConferenceCancelled,
    ConferenceClosed,
    ConferenceConcluded,
    ConferenceEvent,
    ConferenceHeld,
    ConferencePlanned,
    ConferencePostponed,
    ConferenceRescheduled,
    event_from_doc,
)
from services.scheduling.domain.lifecycle import TRANSITIONS, Action, allowed_actions, next_state
from services.scheduling.domain.programme import (
    AnnualProgramme,
    ComplianceGap,
    annual_programme,
    compliance_gaps,
)
from services.scheduling.domain.reminders import (
    ConclusionReminderDue,
    ConferenceReminderDue,
    ReminderPolicy,
    due_reminders,
)
from services.scheduling.domain.report import ConferenceReport, ReportRow, conference_report
from services.scheduling.domain.rules import DEFAULT_RULES, DayRule, SchedulingRules
from services.scheduling.domain.units import Level, Unit, UnitTree
from services.scheduling.domain.values import (
    HELD_STATES,
    Chair,
    ClosingRecord,
    ConferenceFormat,
    ConferenceState,
    ParticipantGroup,
    Trigger,
)

__all__ = [
    "DEFAULT_RULES",
    "EVENT_TYPES",
    "HELD_STATES",
    "TRANSITIONS",
    "Action",
    "AnnualProgramme",
    "BookingConflict",
    "Chair",
    "ClosingRecord",
    "ComplianceGap",
    "ConclusionReminderDue",
    "Conference",
    "ConferenceAnnounced",
    "ConferenceCancelled",
    "ConferenceClosed",
    "ConferenceConcluded",
    "ConferenceData",
    "ConferenceDetails",
    "ConferenceEvent",
    "ConferenceFormat",
    "ConferenceHeld",
    "ConferencePlanned",
    "ConferencePostponed",
    "ConferenceReminderDue",
    "ConferenceReport",
    "ConferenceRescheduled",
    "ConferenceState",
    "DayRule",
    "Level",
    "ParticipantGroup",
    "ReminderPolicy",
    "ReportRow",
    "SchedulingRules",
    "Trigger",
    "Unit",
    "UnitTree",
    "allowed_actions",
    "annual_programme",
    "check_conflicts",
    "compliance_gaps",
    "conference_report",
    "due_reminders",
    "effective_time",
    "event_from_doc",
    "find_conflicts",
    "next_state",
    "unknown_conference",
    "validate_details",
]
