"""The pure domain of the scheduling service: units, conferences, their rules and reports."""

from .conference import Conference
from .conference_base import ConferenceData
from .conflicts import BookingConflict, check_conflicts, find_conflicts
from .details import ConferenceDetails, validate_details
from .events import (
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
from .lifecycle import TRANSITIONS, Action, allowed_actions, next_state
from .programme import AnnualProgramme, ComplianceGap, annual_programme, compliance_gaps
from .report import ConferenceReport, ReportRow, conference_report
from .rules import DEFAULT_RULES, DayRule, SchedulingRules
from .units import Level, Unit, UnitTree
from .values import (
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
    "ConferenceReport",
    "ConferenceRescheduled",
    "ConferenceState",
    "DayRule",
    "Level",
    "ParticipantGroup",
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
    "event_from_doc",
    "find_conflicts",
    "next_state",
    "validate_details",
]
