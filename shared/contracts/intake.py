"""Intake contracts: the external submission command, its outcome, and opinion events."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field

from shared.contracts.base import Command, Event, Value
from shared.subjects import Intake


class OpinionKind(StrEnum):
    OPINION = "opinion"
    RECOMMENDATION = "recommendation"
    PROPOSAL = "proposal"
    FEEDBACK = "feedback"


class Channel(StrEnum):
    CONFERENCE = "conference"
    EXTERNAL_SYSTEM = "external_system"
    WRITTEN_PETITION = "written_petition"
    HOTLINE = "hotline"


class Submitter(Value):
    """Who raised the opinion. Contact data stays inside intake unless consent is given."""

    name: str = Field(min_length=1, max_length=200, description="Full name.")
    role: str = Field(default="citizen", description="cadre, party_member, citizen, youth_member or other.")
    residence: str = Field(default="", max_length=300, description="E.g. 'thôn An Bài 1, xã Đồng Du'.")
    phone: str | None = Field(default=None, max_length=30, description="Phone; never leaves intake.")
    email: str | None = Field(default=None, max_length=200, description="E-mail for answers, if consented.")
    consent_to_contact: bool = Field(default=False, description="May the platform contact this person?")


class SubmitOpinion(Command):
    """An opinion published by another system on ``intake.submit.<source>`` (JetStream).

    Idempotent by (source, external_id): sending it twice yields one opinion and one tracking code.
    The outcome (accepted with tracking code, or rejected with reason) is published on
    ``intake.outcome.<source>``.
    """

    external_id: str = Field(min_length=1, max_length=200, description="The sender's own id for it.")
    kind: OpinionKind = Field(
        default=OpinionKind.OPINION, description="opinion, recommendation, proposal or feedback."
    )
    content: str = Field(min_length=1, max_length=10_000, description="The opinion text (Vietnamese, NFC).")
    submitter: Submitter = Field(description="Who raised it.")
    channel: Channel = Field(default=Channel.EXTERNAL_SYSTEM, description="How it reached the platform.")
    conference_id: str | None = Field(default=None, description="Conference it was raised at, if any.")
    attachments: list[str] = Field(default_factory=list, max_length=20, description="Attachment references.")
    received_at: AwareDatetime | None = Field(
        default=None,
        description="When the sender received it; at most 5 minutes ahead of intake's clock "
        "(else refused: received_in_future).",
    )


class SubmissionOutcome(Event):
    """What became of one external submission; read by the sender on ``intake.outcome.<source>``."""

    SUBJECT: ClassVar[str] = Intake.OUTCOME

    source: str = Field(description="The sender's source name (last token of the submit subject).")
    external_id: str | None = Field(default=None, description="The sender's id, when it could be read.")
    accepted: bool = Field(description="True when the opinion was recorded.")
    opinion_id: str | None = Field(default=None, description="Platform id of the opinion when accepted.")
    tracking_code: str | None = Field(default=None, description="Code the citizen can quote.")
    reason: str | None = Field(default=None, description="Reason code when rejected.")
    message: str = Field(default="", description="One sentence for the sender.")

    def routing_subject(self) -> str:
        return Intake.outcome(self.source)


class OpinionReceived(Event):
    """An opinion was recorded and got its tracking code."""

    SUBJECT: ClassVar[str] = Intake.OPINION_RECEIVED

    opinion_id: str = Field(description="Platform id of the opinion.")
    tracking_code: str = Field(description="Short code the citizen quotes.")
    kind: OpinionKind = Field(description="Kind of opinion.")
    channel: Channel = Field(description="How it reached the platform.")
    conference_id: str | None = Field(default=None, description="Conference, if raised at one.")
    content: str = Field(description="The opinion text (phone and ID numbers masked).")
    received_at: AwareDatetime = Field(description="When it was received.")
    unit_code: str | None = Field(default=None, description="Host unit of the conference, if any.")
    source: str | None = Field(default=None, description="Source system ('desk' for operator entries).")
    external_id: str | None = Field(default=None, description="The sender's id for it.")
    submitter_name: str | None = Field(default=None, description="Who raised it (no contact data).")
    submitter_role: str | None = Field(default=None, description="cadre, party_member, citizen, ...")
    residence: str | None = Field(default=None, description="Residence of the submitter.")
    attachments: list[str] = Field(default_factory=list, description="Attachment references.")
    acknowledgement_due: dt.date | None = Field(default=None, description="Acknowledgement deadline.")


class OpinionClassified(Event):
    """An opinion was sorted into a field (lĩnh vực); assignment routes it from here."""

    SUBJECT: ClassVar[str] = Intake.OPINION_CLASSIFIED

    opinion_id: str = Field(description="Platform id of the opinion.")
    tracking_code: str = Field(description="Short code the citizen quotes.")
    field: str = Field(description="Field code, or 'unclassified' for manual triage.")
    kind: OpinionKind = Field(description="Kind of opinion.")
    conference_id: str | None = Field(default=None, description="Conference, if raised at one.")
    level: str | None = Field(default=None, description="Level of the conference's host unit.")
    unit_code: str | None = Field(default=None, description="Host unit of the conference.")
    summary: str = Field(description="The opinion text (no contact data).")
    received_at: AwareDatetime = Field(description="When it was received.")


class OpinionReclassified(Event):
    """An operator moved an opinion to another field; assignment re-routes it from here."""

    SUBJECT: ClassVar[str] = Intake.OPINION_RECLASSIFIED

    opinion_id: str = Field(description="Platform id of the opinion.")
    tracking_code: str = Field(description="Short code the citizen quotes.")
    field: str = Field(description="The new field code.")
    previous_field: str = Field(description="The field it was in before.")
    kind: OpinionKind = Field(description="Kind of opinion.")
    conference_id: str | None = Field(default=None, description="Conference, if raised at one.")
    level: str | None = Field(default=None, description="Level of the conference's host unit.")
    unit_code: str | None = Field(default=None, description="Host unit of the conference.")
    summary: str = Field(description="The opinion text (phone and ID numbers masked).")
    by: str = Field(description="Who reclassified it (operator name or account).")
    reason: str = Field(description="Why it was reclassified.")
    received_at: AwareDatetime = Field(description="When it was received.")


class OpinionGrouped(Event):
    """An opinion joined (or started) a topic group (nhóm vấn đề) of its conference."""

    SUBJECT: ClassVar[str] = Intake.OPINION_GROUPED

    opinion_id: str = Field(description="Platform id of the opinion.")
    tracking_code: str = Field(description="Short code the citizen quotes.")
    conference_id: str | None = Field(default=None, description="Conference whose topics these are.")
    field: str = Field(description="Field code of the opinion when it was grouped.")
    group_id: str = Field(description="Topic id: the opinion id of the topic's first member.")
    previous_group_id: str | None = Field(default=None, description="The topic it left, if any.")


class OpinionRejected(Event):
    """A submission was refused for good; the raw payload is kept on the dead-letter subject."""

    SUBJECT: ClassVar[str] = Intake.OPINION_REJECTED

    source: str = Field(description="The sender's source name (last token of the submit subject).")
    external_id: str | None = Field(default=None, description="The sender's id, when it could be read.")
    reason: str = Field(description="Machine-readable reason code, e.g. unknown_conference.")
    message: str = Field(description="One Vietnamese sentence: what was wrong and how to fix it.")
    payload_ref: str = Field(
        description="Where the raw payload is kept: '<dead-letter subject>#<Nats-Msg-Id of the record>'."
    )


class AcknowledgementDue(Event):
    """The petitioner must be told by ``due_on`` that the opinion was accepted or transferred.

    Published only for a submitter who consented to be contacted and gave an e-mail address or a
    phone number (they are in the event); an opinion whose petitioner cannot be reached causes no
    acknowledgement, and its deadline is ``acknowledgement_due`` of ``OpinionReceived``.
    """

    SUBJECT: ClassVar[str] = Intake.OPINION_ACKNOWLEDGEMENT_DUE

    opinion_id: str = Field(description="Platform id of the opinion.")
    tracking_code: str = Field(description="Short code the citizen quotes.")
    kind: OpinionKind = Field(description="Kind of opinion.")
    conference_id: str | None = Field(default=None, description="Conference, if raised at one.")
    unit_code: str | None = Field(default=None, description="Host unit of the conference.")
    submitter_name: str = Field(description="Name of the petitioner, to address the acknowledgement.")
    residence: str = Field(default="", description="Residence of the petitioner.")
    received_at: AwareDatetime = Field(description="When it was received.")
    due_on: dt.date = Field(description="Last day (Vietnam date) to acknowledge it (10 working days).")
    rule: str = Field(description="The regulation the deadline comes from.")
    contact_email: str | None = Field(default=None, description="E-mail, only with consent to contact.")
    contact_phone: str | None = Field(default=None, description="Phone, only with consent to contact.")
