"""Recording a new opinion: tracking code, field, acknowledgement deadline, first history entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.intake.domain import refusals
from services.intake.domain.acknowledgement import ACKNOWLEDGEMENT_RULE, DeadlineRule, acknowledgement_due
from services.intake.domain.classification import RuleSet, classify
from services.intake.domain.events import DomainEvent
from services.intake.domain.model import HistoryEntry, SubmitOpinion
from services.intake.domain.opinion import RULES_ACTOR, Opinion
from services.intake.domain.submission import DEFAULT_MAX_CONTENT, check_content
from services.intake.domain.tracking import tracking_code_for
from shared.workdays import WorkCalendar

__all__ = ["CLOCK_SKEW", "IntakePolicy", "receive_opinion"]

# How far a sender's clock may run ahead of intake's before its ``received_at`` counts as the future:
# NTP keeps servers within seconds; five minutes absorbs a badly set desk PC without letting a
# deadline start days before the opinion's receipt.
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class IntakePolicy:
    """The configurable numbers of intake."""

    max_content: int = DEFAULT_MAX_CONTENT
    acknowledgement: DeadlineRule = ACKNOWLEDGEMENT_RULE
    clock_skew: dt.timedelta = CLOCK_SKEW


def receive_opinion(
    command: SubmitOpinion,
    *,
    now: dt.datetime,
    rules: RuleSet,
    calendar: WorkCalendar,
    policy: IntakePolicy = IntakePolicy(),
    tracking_code: str | None = None,
) -> tuple[Opinion, list[DomainEvent]]:
    """A new opinion and its intake events (received, classified, acknowledgement due).

    The handler looks the opinion id up first: an existing opinion means a redelivery, answered with
    ``existing.intake_events()``. ``tracking_code`` is only passed when the derived code is taken.
    A ``received_at`` later than ``now`` by more than the policy's clock skew is refused.
    """
    if now.tzinfo is None or (command.received_at is not None and command.received_at.tzinfo is None):
        raise ValueError("instants must be timezone aware")
    now = now.astimezone(dt.UTC)
    received_at = command.received_at.astimezone(dt.UTC) if command.received_at else now
    if received_at > now + policy.clock_skew:  # every deadline counts from the receipt
        raise refusals.received_in_future(received_at, now)
    content = check_content(command.content, policy.max_content)
    opinion_id = command.opinion_id
    found = classify(content, rules)
    opinion = Opinion(
        id=opinion_id,
        tracking_code=tracking_code or tracking_code_for(opinion_id),
        kind=command.kind,
        content=content,
        submitter=command.submitter,
        channel=command.channel,
        source=command.source,
        external_id=command.external_id,
        received_at=received_at,
        acknowledgement_due=acknowledgement_due(received_at, calendar, policy.acknowledgement),
        acknowledgement_rule=policy.acknowledgement.source,
        field=found.field,
        conference_id=command.conference_id,
        unit_id=command.unit_id,
        attachments=command.attachments,
        applied=[command.command_id],
        history=[
            HistoryEntry(now, RULES_ACTOR, "classified", found.reason, found.field, matched=found.matched)
        ],
    )
    return opinion, opinion.intake_events()
