"""Operator commands of the assignment context, on ``assignment.cmd.<verb>`` (request/reply, JSON).

The CLI (and later the portal) sends them; the service validates them once, at its door. Every
state-changing command carries a ``command_id`` chosen by the sender: sending it again changes
nothing and answers the same. ``opinion_id`` also accepts the opinion's tracking code.
``effective_at`` back-records a command: its deadline and agency are those of that moment.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.timeutil import local_if_naive


class AssignmentCommand(BaseModel):
    """Base of every assignment command: frozen, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ShowAssignment(AssignmentCommand):
    """``show``: one opinion's assignment with its history."""

    opinion_id: str = Field(min_length=1, max_length=100, description="Opinion id or tracking code.")


class ChangeAssignment(ShowAssignment):
    """Fields of every state-changing command."""

    command_id: str = Field(min_length=1, max_length=200, description="Sender's id; a resend is a no-op.")
    by: str = Field(default="", max_length=200, description="Who gives the command (head, secretariat).")
    effective_at: dt.datetime | None = Field(
        default=None,
        description="When it really happened (Vietnam time without an offset); default now. Refused more "
        "than 5 minutes ahead (effective_in_future), before the opinion was received "
        "(effective_before_receipt) or before its last recorded action (effective_before_last_action).",
    )

    @field_validator("effective_at")
    @classmethod
    def _effective_local(cls, value: dt.datetime | None) -> dt.datetime | None:
        return local_if_naive(value)


class AnswerDirectly(ChangeAssignment):
    """``answer-directly``: record the leader's answer at the conference (it closes the opinion)."""

    answer: str = Field(description="The leader's answer at the conference.")
    answered_by: str = Field(description="Who answered, e.g. 'Chủ tịch UBND tỉnh'.")


class AssignOpinion(ChangeAssignment):
    """``assign``: give an opinion of the triage queue to an agency."""

    agency_code: str = Field(description="Agency that must answer.")
    reason: str = Field(default="", description="Why (kept in the history).")


class ReassignOpinion(AssignOpinion):
    """``reassign``: move an open opinion to another agency, with a new deadline."""


class AcceptOpinion(ChangeAssignment):
    """``accept``: the agency acknowledges the assignment."""

    agency_code: str = Field(description="The agency acting; it must hold the opinion.")
    reason: str = Field(default="", description="Not used; accepted for senders that always send it.")


class RequestReassignment(AcceptOpinion):
    """``request-reassignment``: the agency asks the head to give the opinion to another agency."""

    reason: str = Field(default="", description="Why the agency thinks it is not competent.")


class SubmitAnswer(ChangeAssignment):
    """``answer``: the agency submits its written answer."""

    agency_code: str = Field(description="The agency answering; it must hold the opinion.")
    document_number: str = Field(description="Number of the answer document.")
    document_date: dt.date = Field(description="Date of the answer document, YYYY-MM-DD.")
    summary: str = Field(description="Summary of the answer.")
    attachment_ref: str | None = Field(default=None, description="Reference of the signed document.")


class ReturnAnswer(ChangeAssignment):
    """``return``: the head sends back an answer that does not address the opinion."""

    reason: str = Field(default="", description="What the answer must address.")


class PublishAnswer(ChangeAssignment):
    """``publish``: the head approves and publishes the answer."""


class RequestExtension(ChangeAssignment):
    """``request-extension``: the agency asks for a later deadline."""

    agency_code: str = Field(description="The agency asking; it must hold the opinion.")
    new_deadline: dt.date = Field(description="Deadline asked for, YYYY-MM-DD.")
    reason: str = Field(description="Why more time is needed.")


class ApproveExtension(ChangeAssignment):
    """``approve-extension``: the head approves the pending extension."""


class RefuseExtension(ChangeAssignment):
    """``refuse-extension``: the head refuses the pending extension."""

    reason: str = Field(default="", description="Why it was refused.")


class RateAnswer(ChangeAssignment):
    """``rate``: the citizen's satisfaction with the published answer."""

    stars: int = Field(description="1 to 5.")
    comment: str = Field(default="", max_length=2000, description="The citizen's comment.")


class ListAssignments(AssignmentCommand):
    """``list``: assignments by agency, status, conference, or only the overdue ones."""

    agency_code: str | None = Field(default=None, description="Only this agency's.")
    status: str | None = Field(default=None, description="Only this status, e.g. 'assigned'.")
    overdue: bool = Field(default=False, description="Only open opinions past their deadline.")
    conference_id: str | None = Field(default=None, description="Only opinions of this conference.")
    limit: int = Field(default=200, ge=1, le=5000, description="At most this many rows.")


class ListTriage(AssignmentCommand):
    """``triage``: the opinions no agency could be chosen for automatically."""


class ReportAgencies(AssignmentCommand):
    """``report``: answers per agency over a period (Conclusion 215)."""

    period: str = Field(description="2026-11, 2026-Q3, 2026-H1, 2026-9M or 2026.")
    as_of: dt.date | None = Field(default=None, description="Judge 'open and overdue' at this date.")
    agency_codes: list[str] = Field(
        default_factory=list,
        max_length=500,
        description="Only these agencies' rows (all when empty); the reply's total is that of the rows.",
    )


class ShowConclusion(AssignmentCommand):
    """``conclusion``: the conference and one item per opinion, for the conclusion notice."""

    conference_id: str = Field(min_length=1, description="Conference id.")
