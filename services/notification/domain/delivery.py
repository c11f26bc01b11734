"""The delivery engine's decisions, pure: which records a trigger creates, when one may be tried,
and what the channel's answer makes of it. The sending itself is ``adapters.sending``.

Exactly-once rule: every intent is inserted before the first send (a redelivered event finds it),
the record is claimed by an optimistic save in ``sending`` (two replicas never both win it), the
notice is sent, and the final state is committed with its outcome event by the host.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from services.notification.domain.ledger import (
    Delivery,
    DeliveryState,
    delivery_id,
    fail_permanently,
    mark_sent,
    mark_transient,
    new_delivery,
)
from services.notification.domain.payload import jsonable
from services.notification.domain.recipients import Recipient
from services.notification.domain.schedule import RetrySchedule, next_retry_at
from services.notification.domain.triggers import Trigger


@dataclass(frozen=True)
class Plan:
    """One notice to record: a trigger, one recipient on one channel, and its render context."""

    trigger: Trigger
    recipient: Recipient
    context: Mapping[str, Any]


def intents(
    event_id: str,
    occurred_at: dt.datetime,
    plans: Sequence[Plan],
    now: dt.datetime,
    conference_id: str | None = None,
) -> list[Delivery]:
    """One record per plan, keyed so that a redelivered event maps to the records it created.

    ``conference_id`` files every record under the conference the event concerns, so the ledger
    can answer for one conference.
    """
    found = []
    for plan in plans:
        delivery = new_delivery(
            event_id,
            plan.trigger,
            plan.recipient,
            now,
            occurred_at=occurred_at,
            context=jsonable(dict(plan.context)),
            conference_id=conference_id,
        )
        # One event can cause two triggers for the same person (answer and survey): key by trigger too.
        key = delivery_id(f"{event_id}/{plan.trigger.value}", plan.recipient.id, plan.recipient.channel)
        found.append(replace(delivery, id=key))
    return found


def claimable(d: Delivery, now: dt.datetime, grace: dt.timedelta) -> bool:
    """Whether this process may try the delivery now; a ``sending`` one only after the grace period."""
    if d.channel is None:
        return False
    if d.state is DeliveryState.INTENDED:
        return True
    if d.state is DeliveryState.FAILED_TRANSIENT:
        return d.next_attempt_at is None or d.next_attempt_at <= now
    if d.state is DeliveryState.SENDING:
        return d.updated_at <= now - grace
    return False


class Verdict(StrEnum):
    SENT = "sent"
    TRANSIENT = "transient"
    PERMANENT = "permanent"


@dataclass(frozen=True)
class SendReport:
    """What the channel answered to one attempt (after the in-process retries)."""

    verdict: Verdict
    code: str | None = None
    message: str = ""
    provider_id: str | None = None


def settle(
    attempt: Delivery, report: SendReport, now: dt.datetime, schedule: RetrySchedule, jitter: float
) -> Delivery:
    """The state an attempt ends in: sent, a later round on the retry schedule, or failed for good."""
    if report.verdict is Verdict.SENT:
        return mark_sent(attempt, now, report.provider_id)
    code = report.code or "unknown"
    if report.verdict is Verdict.PERMANENT:
        return fail_permanently(attempt, now, code, report.message)
    return mark_transient(
        attempt, now, code, report.message, next_retry_at(schedule, attempt.attempts, now, jitter)
    )
