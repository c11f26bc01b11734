"""Every NATS subject and JetStream stream of the platform, in one place.

Naming: ``<context>.<aggregate>.<past-tense event>`` for events (stored in the context's stream),
``<context>.cmd.<verb>`` for operator request/reply commands (core NATS, deliberately *outside* every
stream so JetStream never answers a request with a PubAck), ``intake.submit.<source>`` for external
systems (stored: a submission must never be lost) and ``deadletter.<service>.<reason>`` for rejections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# Why two minutes: JetStream keeps every Nats-Msg-Id seen inside the window in memory. Re-publishes
# after a crash happen within seconds (ack_wait below), so two minutes absorbs them with a margin,
# while the store-level idempotency of every handler (event ids recorded with the aggregate) covers
# anything older. A longer window would cost memory at benchmark rates (1,000 msg/s).
DUPLICATE_WINDOW = timedelta(minutes=2)

# How long JetStream waits for an ack before redelivering; handlers finish in milliseconds.
ACK_WAIT = timedelta(seconds=30)
# Redeliveries before a message is parked on the dead-letter subject (transient errors only).
MAX_DELIVER = 20


class Scheduling:
    """Conference scheduling context."""

    CONFERENCE_PLANNED = "scheduling.conference.planned"
    CONFERENCE_ANNOUNCED = "scheduling.conference.announced"
    CONFERENCE_RESCHEDULED = "scheduling.conference.rescheduled"
    CONFERENCE_POSTPONED = "scheduling.conference.postponed"
    CONFERENCE_HELD = "scheduling.conference.held"
    CONFERENCE_CONCLUDED = "scheduling.conference.concluded"
    CONFERENCE_CLOSED = "scheduling.conference.closed"
    CONFERENCE_CANCELLED = "scheduling.conference.cancelled"
    CONFERENCE_REMINDER_DUE = "scheduling.conference.reminder-due"
    CONCLUSION_REMINDER_DUE = "scheduling.conference.conclusion-reminder-due"
    CONFERENCE_ALL = "scheduling.conference.>"
    CMD = "scheduling.cmd"  # + ".<verb>", request/reply


class Intake:
    """Opinion intake context."""

    SUBMIT = "intake.submit"  # + ".<source>", external systems, JetStream
    SUBMIT_ALL = "intake.submit.>"
    OUTCOME = "intake.outcome"  # + ".<source>", accepted/rejected outcome for each submission
    OUTCOME_ALL = "intake.outcome.>"
    OPINION_RECEIVED = "intake.opinion.received"
    OPINION_CLASSIFIED = "intake.opinion.classified"
    OPINION_RECLASSIFIED = "intake.opinion.reclassified"
    OPINION_GROUPED = "intake.opinion.grouped"
    OPINION_REJECTED = "intake.opinion.rejected"
    OPINION_ACKNOWLEDGEMENT_DUE = "intake.opinion.acknowledgement-due"
    OPINION_ALL = "intake.opinion.>"
    CMD = "intake.cmd"

    @staticmethod
    def submit(source: str) -> str:
        return f"{Intake.SUBMIT}.{source}"

    @staticmethod
    def outcome(source: str) -> str:
        return f"{Intake.OUTCOME}.{source}"


class Assignment:
    """Agency assignment context."""

    OPINION_ASSIGNED = "assignment.opinion.assigned"
    OPINION_ANSWERED_DIRECTLY = "assignment.opinion.answered-directly"
    OPINION_TRANSFERRED = "assignment.opinion.transferred"
    OPINION_TRIAGE_QUEUED = "assignment.opinion.triage-queued"
    OPINION_ACCEPTED = "assignment.opinion.accepted"
    OPINION_REASSIGNMENT_REQUESTED = "assignment.opinion.reassignment-requested"
    OPINION_OVERDUE = "assignment.opinion.overdue"
    DEADLINE_APPROACHING = "assignment.opinion.deadline-approaching"
    DEADLINE_EXTENDED = "assignment.opinion.deadline-extended"
    EXTENSION_REQUESTED = "assignment.opinion.extension-requested"
    EXTENSION_REFUSED = "assignment.opinion.extension-refused"
    ANSWER_SUBMITTED = "assignment.opinion.answer-submitted"
    ANSWER_RETURNED = "assignment.opinion.answer-returned"
    ANSWER_PUBLISHED = "assignment.opinion.answer-published"
    ANSWER_RATED = "assignment.opinion.answer-rated"
    OPINION_ALL = "assignment.opinion.>"
    CMD = "assignment.cmd"


class Notification:
    """Notification context."""

    DELIVERY_SENT = "notification.delivery.sent"
    DELIVERY_FAILED = "notification.delivery.failed"
    DELIVERY_ALL = "notification.delivery.>"
    CMD = "notification.cmd"


class DeadLetter:
    """Rejected messages, with reason and raw payload, per service."""

    ALL = "deadletter.>"

    @staticmethod
    def subject(service: str, reason: str) -> str:
        return f"deadletter.{service}.{reason}"


def cmd(context_cmd: str, verb: str) -> str:
    """A request/reply command subject, e.g. ``cmd(Scheduling.CMD, "plan")``."""
    return f"{context_cmd}.{verb}"


@dataclass(frozen=True)
class StreamSpec:
    """A JetStream stream definition: file storage, explicit duplicate window."""

    name: str
    subjects: tuple[str, ...]
    description: str
    max_age: timedelta = timedelta(days=400)
    duplicate_window: timedelta = DUPLICATE_WINDOW


STREAMS: tuple[StreamSpec, ...] = (
    StreamSpec(
        "SCHEDULING",
        (Scheduling.CONFERENCE_ALL,),
        "Conference lifecycle events, owned by the scheduling service.",
    ),
    StreamSpec(
        "INTAKE",
        (Intake.SUBMIT_ALL, Intake.OUTCOME_ALL, Intake.OPINION_ALL),
        "External submissions, their outcomes and opinion events, owned by the intake service.",
    ),
    StreamSpec(
        "ASSIGNMENT",
        (Assignment.OPINION_ALL,),
        "Routing, deadlines and answers, owned by the assignment service.",
    ),
    StreamSpec(
        "NOTIFICATION",
        (Notification.DELIVERY_ALL,),
        "Delivery outcomes, owned by the notification service.",
    ),
    StreamSpec(
        "DEADLETTER",
        (DeadLetter.ALL,),
        "Rejected messages with their reason and raw payload, kept for operators.",
        max_age=timedelta(days=90),
    ),
)


def stream_for(subject: str) -> StreamSpec:
    """The stream that stores ``subject`` (raises ``KeyError`` for core-only subjects)."""
    for spec in STREAMS:
        for pattern in spec.subjects:
            prefix = pattern.removesuffix(">")
            if subject.startswith(prefix):
                return spec
    raise KeyError(subject)
