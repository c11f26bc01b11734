"""Assignment contracts: routing, deadlines, answers, escalation and ratings.

Every event carries the opinion's identity, the agency holding it and the deadline, so consumers
(notification, dashboards, other systems) never look anything up. ``event_id`` is deterministic per
cause and ``correlation_id`` is the opinion id.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import AwareDatetime, Field

from shared.contracts.base import Event
from shared.subjects import Assignment


class AssignmentEvent(Event):
    """Fields shared by every assignment event (not published by itself)."""

    opinion_id: str = Field(description="Platform id of the opinion.")
    tracking_code: str = Field(description="Short code the citizen quotes.")
    field: str = Field(description="Field code (lĩnh vực).")
    level: str | None = Field(default=None, description="Level of the conference's host unit.")
    unit_code: str | None = Field(default=None, description="Host unit of the conference.")
    kind: str | None = Field(default=None, description="opinion, recommendation, proposal or feedback.")
    conference_id: str | None = Field(default=None, description="Conference it was raised at, if any.")
    summary: str = Field(description="The opinion text (no contact data).")
    agency_code: str | None = Field(default=None, description="Agency holding the opinion, if any.")
    agency_name: str | None = Field(default=None, description="Agency's Vietnamese name.")
    agency_email: str | None = Field(default=None, description="Agency's contact address.")
    deadline: dt.date | None = Field(default=None, description="Answer due date (Vietnamese calendar).")
    received_at: AwareDatetime = Field(description="When intake received the opinion.")
    assigned_at: AwareDatetime | None = Field(default=None, description="When it was last assigned.")
    answered_at: AwareDatetime | None = Field(default=None, description="When the agency answered.")
    published_at: AwareDatetime | None = Field(default=None, description="When the answer was published.")
    by: str | None = Field(
        default=None,
        description="Who gave the command that caused it: a person or portal account, the agency "
        "itself, or 'system' (routing, the deadline sweep).",
    )


class OpinionAssigned(AssignmentEvent):
    """An opinion was assigned to an agency for a written answer by a deadline."""

    SUBJECT: ClassVar[str] = Assignment.OPINION_ASSIGNED

    agency_code: str = Field(description="Agency that must answer.")
    agency_name: str = Field(description="Agency's Vietnamese name.")
    deadline: dt.date = Field(description="Date the written answer is due (Vietnamese calendar).")
    assigned_at: AwareDatetime = Field(description="When it was assigned.")
    reassigned_from: str | None = Field(default=None, description="Previous agency when reassigned.")
    reassigned_from_name: str | None = Field(
        default=None, description="Previous agency's Vietnamese name, when reassigned."
    )
    reassigned_from_email: str | None = Field(
        default=None, description="Previous agency's contact address, when reassigned (told it lost it)."
    )
    reassignment_reason: str | None = Field(
        default=None, description="Why it moved, e.g. the head's reason or the reclassification to a field."
    )
    transferred: bool = Field(
        default=False, description="A hand-over to the competent level: the agency is that level's body."
    )
    transfer_note: str | None = Field(
        default=None, description="Why the opinion is beyond the unit's authority."
    )


class OpinionAnsweredDirectly(AssignmentEvent):
    """A leader answered the opinion at the conference; it is closed."""

    SUBJECT: ClassVar[str] = Assignment.OPINION_ANSWERED_DIRECTLY

    answer: str = Field(description="The leader's answer as recorded.")
    answered_by: str = Field(description="Who answered, e.g. 'Chủ tịch UBND tỉnh'.")


class OpinionTransferred(AssignmentEvent):
    """The opinion is beyond the unit's authority and goes to the competent level."""

    SUBJECT: ClassVar[str] = Assignment.OPINION_TRANSFERRED

    target_level: str = Field(description="Competent level, e.g. 'province' or 'national'.")
    target_body: str = Field(description="Body named to the petitioner, in Vietnamese.")
    target_unit: str | None = Field(default=None, description="Unit code of the competent level.")
    target_agency: str | None = Field(default=None, description="Agency code there, when known.")
    reassigned_from: str | None = Field(default=None, description="Agency that held it before, if any.")
    reassigned_from_name: str | None = Field(default=None, description="That agency's Vietnamese name.")
    reassigned_from_email: str | None = Field(
        default=None, description="That agency's contact address (told it no longer holds the opinion)."
    )
    reassignment_reason: str | None = Field(
        default=None, description="Why it moved, e.g. a reclassification."
    )


class OpinionTriageQueued(AssignmentEvent):
    """No agency could be chosen automatically; a person assigns it from the triage queue."""

    SUBJECT: ClassVar[str] = Assignment.OPINION_TRIAGE_QUEUED

    reason: str = Field(
        description="unclassified, no_agency_for_field, unknown_unit or no_competent_agency (a transfer "
        "whose competent unit has no agency for the field)."
    )
    reassigned_from: str | None = Field(default=None, description="Agency that held it before, if any.")
    reassigned_from_name: str | None = Field(default=None, description="That agency's Vietnamese name.")
    reassigned_from_email: str | None = Field(
        default=None, description="That agency's contact address (told it no longer holds the opinion)."
    )
    reassignment_reason: str | None = Field(
        default=None, description="Why it moved, e.g. a reclassification."
    )


class OpinionAccepted(AssignmentEvent):
    """The agency acknowledged the assignment."""

    SUBJECT: ClassVar[str] = Assignment.OPINION_ACCEPTED


class ReassignmentRequested(AssignmentEvent):
    """The agency asks the head to give the opinion to another agency."""

    SUBJECT: ClassVar[str] = Assignment.OPINION_REASSIGNMENT_REQUESTED

    reason: str = Field(description="Why the agency thinks it is not competent.")


class ExtensionRequested(AssignmentEvent):
    """The agency asks for a later deadline."""

    SUBJECT: ClassVar[str] = Assignment.EXTENSION_REQUESTED

    requested_deadline: dt.date = Field(description="The deadline asked for.")
    reason: str = Field(description="Why more time is needed.")


class DeadlineExtended(AssignmentEvent):
    """The head approved an extension; ``deadline`` is the new date."""

    SUBJECT: ClassVar[str] = Assignment.DEADLINE_EXTENDED

    previous_deadline: dt.date = Field(description="The deadline before the extension.")
    reason: str = Field(description="The agency's reason.")


class ExtensionRefused(AssignmentEvent):
    """The head refused an extension; the deadline is unchanged."""

    SUBJECT: ClassVar[str] = Assignment.EXTENSION_REFUSED

    requested_deadline: dt.date = Field(description="The deadline that was asked for.")
    reason: str = Field(description="Why it was refused.")


class AnswerSubmitted(AssignmentEvent):
    """The agency submitted its written answer; the head reviews it."""

    SUBJECT: ClassVar[str] = Assignment.ANSWER_SUBMITTED

    document_number: str = Field(description="Number of the answer document, e.g. '125/SXD-QH'.")
    document_date: dt.date = Field(description="Date of the answer document.")
    answer_summary: str = Field(description="Summary of the answer.")
    attachment_ref: str | None = Field(default=None, description="Reference of the signed document.")
    on_time: bool = Field(description="Submitted on or before the deadline.")


class AnswerReturned(AssignmentEvent):
    """The head sent the answer back because it does not address the opinion (Decision 31/2021, Art. 46)."""

    SUBJECT: ClassVar[str] = Assignment.ANSWER_RETURNED

    reason: str = Field(description="What the answer must address.")


class AnswerPublished(AssignmentEvent):
    """The answer was approved and published; the citizen is told."""

    SUBJECT: ClassVar[str] = Assignment.ANSWER_PUBLISHED

    document_number: str = Field(description="Number of the answer document.")
    document_date: dt.date = Field(description="Date of the answer document.")
    answer_summary: str = Field(description="Summary of the answer, for the citizen.")
    attachment_ref: str | None = Field(default=None, description="Reference of the signed document.")
    on_time: bool = Field(description="The agency answered on or before the deadline.")


class DeadlineApproaching(AssignmentEvent):
    """Reminder to the agency a few working days before the deadline (sent once per deadline)."""

    SUBJECT: ClassVar[str] = Assignment.DEADLINE_APPROACHING

    working_days_left: int = Field(description="Working days left until the deadline.")
    head_name: str | None = Field(default=None, description="Head of the agency.")
    head_title: str | None = Field(default=None, description="Title of the head, e.g. 'Giám đốc'.")


class OpinionOverdue(AssignmentEvent):
    """The deadline passed without an answer: escalate to the agency, then its head (sent once)."""

    SUBJECT: ClassVar[str] = Assignment.OPINION_OVERDUE

    head_name: str | None = Field(default=None, description="Head of the agency to escalate to.")
    head_title: str | None = Field(default=None, description="Title of the head, e.g. 'Giám đốc'.")
    head_email: str | None = Field(default=None, description="Head's address (the agency's when none).")


class AnswerRated(AssignmentEvent):
    """The citizen rated the published answer."""

    SUBJECT: ClassVar[str] = Assignment.ANSWER_RATED

    stars: int = Field(ge=1, le=5, description="Satisfaction from 1 to 5.")
    comment: str = Field(default="", description="The citizen's comment.")
