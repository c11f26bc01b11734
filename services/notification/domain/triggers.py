"""What can cause a notice, and the channels a notice can travel on."""

from __future__ import annotations

from enum import StrEnum


class Trigger(StrEnum):
    """Why a notice is sent; the values are stable (stored in the ledger, used as metric labels)."""

    CONFERENCE_ANNOUNCED = "conference_announced"
    CONFERENCE_REMINDER_48H = "conference_reminder_48h"
    CONFERENCE_RESCHEDULED = "conference_rescheduled"
    CONFERENCE_POSTPONED = "conference_postponed"
    CONFERENCE_CANCELLED = "conference_cancelled"
    OPINION_ACKNOWLEDGED = "opinion_acknowledged"
    OPINION_ASSIGNED = "opinion_assigned"
    OPINION_WITHDRAWN = "opinion_withdrawn"
    DEADLINE_APPROACHING = "deadline_approaching"
    OPINION_OVERDUE = "opinion_overdue"
    ANSWER_RETURNED = "answer_returned"
    ANSWER_PUBLISHED = "answer_published"
    SATISFACTION_SURVEY = "satisfaction_survey"
    CONCLUSION_REMINDER_3D = "conclusion_reminder_3d"
    CONCLUSION_REMINDER_7D = "conclusion_reminder_7d"


class Channel(StrEnum):
    """A way to reach someone; ``log`` is the embedded default that needs no outside service."""

    EMAIL = "email"
    SMS = "sms"
    WEBHOOK = "webhook"
    LOG = "log"


class Audience(StrEnum):
    """Who a trigger is addressed to, resolved against the directory."""

    PARTICIPANT_GROUPS = "participant_groups"
    CITIZEN = "citizen"
    AGENCY = "agency"
    AGENCY_THEN_HEAD = "agency_then_head"
    HOST_UNIT = "host_unit"


AUDIENCE: dict[Trigger, Audience] = {
    Trigger.CONFERENCE_ANNOUNCED: Audience.PARTICIPANT_GROUPS,
    Trigger.CONFERENCE_REMINDER_48H: Audience.PARTICIPANT_GROUPS,
    Trigger.CONFERENCE_RESCHEDULED: Audience.PARTICIPANT_GROUPS,
    Trigger.CONFERENCE_POSTPONED: Audience.PARTICIPANT_GROUPS,
    Trigger.CONFERENCE_CANCELLED: Audience.PARTICIPANT_GROUPS,
    Trigger.OPINION_ACKNOWLEDGED: Audience.CITIZEN,
    Trigger.OPINION_ASSIGNED: Audience.AGENCY,
    Trigger.OPINION_WITHDRAWN: Audience.AGENCY,
    Trigger.DEADLINE_APPROACHING: Audience.AGENCY,
    Trigger.OPINION_OVERDUE: Audience.AGENCY_THEN_HEAD,
    Trigger.ANSWER_RETURNED: Audience.AGENCY,
    Trigger.ANSWER_PUBLISHED: Audience.CITIZEN,
    Trigger.SATISFACTION_SURVEY: Audience.CITIZEN,
    Trigger.CONCLUSION_REMINDER_3D: Audience.HOST_UNIT,
    Trigger.CONCLUSION_REMINDER_7D: Audience.HOST_UNIT,
}
