"""Operator commands and queries of intake, on ``intake.cmd.<verb>`` (request/reply).

The CLI sends them; intake validates each payload once, against these models, and refuses a bad one
with the reason code and sentence of ``shared.refusals``. Rules the models cannot state (a field code
from the province's rules file, a tracking code's check character, content length in intake's own
words) are intake's, and answered with intake's codes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.intake import Channel, OpinionKind, Submitter


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SubmitDeskOpinion(_Payload):
    """An opinion entered at the conference desk, from a written petition or a hotline call.

    Idempotent by ``external_id`` (the CLI generates one per entry): sending it again answers with the
    opinion recorded the first time.
    """

    external_id: str = Field(min_length=1, max_length=200, description="The entry's id, e.g. 'desk-…'.")
    kind: OpinionKind = Field(
        default=OpinionKind.OPINION, description="opinion, recommendation, proposal or feedback."
    )
    # No length bounds here: intake refuses blank or over-long content with its own reason codes.
    content: str = Field(description="The opinion text (Vietnamese), at most 10,000 characters.")
    submitter: Submitter = Field(description="Who raised it.")
    channel: Channel = Field(
        default=Channel.EXTERNAL_SYSTEM, description="conference, written_petition or hotline."
    )
    conference_id: str | None = Field(default=None, description="Conference it was raised at, if any.")
    attachments: list[str] = Field(default_factory=list, max_length=20, description="Attachment references.")
    received_at: AwareDatetime | None = Field(
        default=None, description="When it was received, if earlier (a time in the future is refused)."
    )


class _OneOpinion(_Payload):
    """Names one opinion by any of its keys (the CLI sends what the operator typed as ``id``)."""

    opinion_id: str | None = Field(default=None, max_length=100, description="Platform id of the opinion.")
    tracking_code: str | None = Field(
        default=None, max_length=40, description="Tracking code, e.g. DT-7K3M-9QX2."
    )
    id: str | None = Field(default=None, max_length=100, description="Either of the two.")


class ShowOpinion(_OneOpinion):
    """The full record of one opinion, for operators."""


class ReclassifyOpinion(_OneOpinion):
    """Move an opinion to another field; the same ``command_id`` again re-publishes the same event."""

    field: str = Field(default="", max_length=100, description="The new field code, e.g. 'land'.")
    by: str = Field(default="", max_length=200, description="Who reclassifies it (required by intake).")
    reason: str = Field(default="", max_length=1000, description="Why (required by intake).")
    command_id: str | None = Field(
        default=None, max_length=200, description="Idempotency key: a repeated id changes nothing."
    )


class TrackOpinion(_Payload):
    """The public status of an opinion, by the tracking code a citizen quotes."""

    tracking_code: str = Field(max_length=40, description="Tracking code, e.g. DT-7K3M-9QX2.")


class ListOpinions(_Payload):
    """Opinions filtered by conference, field and status (contact data left out)."""

    conference_id: str | None = Field(default=None, description="Only this conference's opinions.")
    field: str | None = Field(default=None, description="Only this field code.")
    status: Literal["classified", "reclassified", "unclassified"] | None = Field(
        default=None, description="classified, reclassified or unclassified (waiting for triage)."
    )
    limit: int | None = Field(default=None, description="At most this many rows (at most 500).")


class ReportOpinions(_Payload):
    """Opinions by field and topic: of a conference, or received between two Vietnam dates."""

    conference_id: str | None = Field(default=None, description="The conference to report on.")
    start: str | None = Field(default=None, alias="from", description="First day, YYYY-MM-DD.")
    end: str | None = Field(default=None, alias="to", description="Last day, YYYY-MM-DD.")
