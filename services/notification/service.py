"""The service layer: record the intents of a trigger, send what is due, record and publish outcomes.

Exactly-once rule: the intent is inserted before anything else (a redelivered event finds it), the
record is moved to ``sending`` and saved by an optimistic version save (the claim: two replicas
never both win it), the notice is sent, and the outcome is saved together with its outcome event
(``pending``), which is published and cleared afterwards.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from shared.contracts.base import Event
from shared.storage import DocumentStore
from shared.storage.port import ConcurrencyConflict

from .adapters import repository as repo
from .adapters.retry import RetryPolicy, send_with_retry
from .domain.directory import Directory
from .domain.errors import PermanentChannelError, TemplateRenderError, TransientChannelError
from .domain.ledger import (
    Delivery,
    DeliveryState,
    delivery_id,
    fail_permanently,
    mark_sent,
    mark_transient,
    new_delivery,
    start_attempt,
)
from .domain.messages import ChannelAdapter, Rendered, message_for
from .domain.payload import jsonable
from .domain.recipients import Recipient
from .domain.schedule import RetrySchedule, next_retry_at
from .domain.triggers import Channel, Trigger
from .metrics import NotificationMetrics
from .outcomes import outcome_event, pending_of, restore

log = logging.getLogger(__name__)


class Renderer(Protocol):
    def render(self, trigger: Trigger, channel: Channel, context: Mapping[str, Any]) -> Rendered: ...


@dataclass(frozen=True)
class Plan:
    """One notice to record: a trigger, one recipient on one channel, and its render context."""

    trigger: Trigger
    recipient: Recipient
    context: Mapping[str, Any]


@dataclass
class Deps:
    store: DocumentStore
    renderer: Renderer
    directory: Directory
    channels: Mapping[Channel, ChannelAdapter]
    metrics: NotificationMetrics
    publish: Callable[[Sequence[Event]], Awaitable[None]]
    clock: Callable[[], dt.datetime]
    fallback: Channel | None = Channel.LOG
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    schedule: RetrySchedule = field(default_factory=RetrySchedule)
    grace: dt.timedelta = dt.timedelta(minutes=2)
    jitter: Callable[[], float] = field(default=random.random)
    public_url: str = "https://doithoai.example"
    survey_days: int = 30

    @property
    def available(self) -> tuple[Channel, ...]:
        return tuple(self.channels)


def claimable(d: Delivery, now: dt.datetime, grace: dt.timedelta) -> bool:
    """Whether this process may try the delivery now; a ``sending`` one only after the grace period."""
    if d.state is DeliveryState.INTENDED:
        return True
    if d.state is DeliveryState.FAILED_TRANSIENT:
        return d.next_attempt_at is None or d.next_attempt_at <= now
    if d.state is DeliveryState.SENDING:
        return d.updated_at <= now - grace
    return False


async def notify(deps: Deps, event: Event, plans: Sequence[Plan]) -> None:
    """Record one delivery per plan (once, even on redelivery), then send those that are due.

    Every intent is saved before the first send, so a crash mid-way leaves each notice either in the
    ledger for the sweep or already sent: none depends on the event being redelivered.
    """
    now = deps.clock()
    records: list[repo.Stored] = []
    for plan in plans:
        delivery = new_delivery(
            event.event_id,
            plan.trigger,
            plan.recipient,
            now,
            occurred_at=event.occurred_utc,
            context=jsonable(dict(plan.context)),
        )
        # One event can cause two triggers for the same person (answer and survey): key by trigger too.
        key = delivery_id(f"{event.event_id}/{plan.trigger.value}", plan.recipient.id, plan.recipient.channel)
        delivery = replace(delivery, id=key)
        outcome = outcome_event(delivery, event.correlation_id)
        stored, created = await repo.add_intent(
            deps.store, delivery, event.correlation_id, pending_of(outcome)
        )
        if created and outcome is not None:
            _count(deps, stored.delivery)
        records.append(stored)
    for stored in records:
        done = await deliver(deps, stored)
        if done.pending is not None:  # an outcome saved but not published yet (e.g. after a crash)
            await flush(deps, done.delivery.id)


async def deliver(deps: Deps, stored: repo.Stored) -> repo.Stored:
    """Try one delivery if it is due; every failure ends in the ledger, never as an exception."""
    now = deps.clock()
    d = stored.delivery
    if not claimable(d, now, deps.grace) or d.channel is None:
        return stored
    try:
        content = deps.renderer.render(d.trigger, d.channel, d.context)
    except TemplateRenderError as exc:
        return await _finish(deps, stored, fail_permanently(d, now, exc.code, exc.message))
    attempt = start_attempt(d, now)
    try:
        stored = await repo.save(deps.store, stored, attempt)
    except ConcurrencyConflict:
        log.info("delivery %s was claimed by another process", d.id)
        return stored
    return await _finish(deps, stored, await _send(deps, attempt, content))


async def _send(deps: Deps, attempt: Delivery, content: Rendered) -> Delivery:
    channel = deps.channels.get(attempt.channel) if attempt.channel else None
    if channel is None:
        code, message = "channel_not_configured", f"Kênh {attempt.channel} chưa được cấu hình."
        return mark_transient(attempt, deps.clock(), code, message, _retry_at(deps, attempt))
    try:
        result = await send_with_retry(channel, message_for(attempt, content), deps.retry)
    except TransientChannelError as exc:
        return mark_transient(attempt, deps.clock(), exc.code, exc.message, _retry_at(deps, attempt))
    except PermanentChannelError as exc:
        return fail_permanently(attempt, deps.clock(), exc.code, exc.message)
    except Exception as exc:  # a bug in an adapter must not lose the notice: retry it later
        log.exception("channel %s failed unexpectedly for delivery %s", attempt.channel, attempt.id)
        return mark_transient(attempt, deps.clock(), "unexpected_error", str(exc), _retry_at(deps, attempt))
    return mark_sent(attempt, deps.clock(), result.provider_id)


def _retry_at(deps: Deps, attempt: Delivery) -> dt.datetime | None:
    return next_retry_at(deps.schedule, attempt.attempts, deps.clock(), deps.jitter())


async def _finish(deps: Deps, stored: repo.Stored, outcome: Delivery) -> repo.Stored:
    event = outcome_event(outcome, stored.correlation_id)
    try:
        stored = await repo.save(deps.store, stored, outcome, pending_of(event))
    except ConcurrencyConflict:
        log.warning("delivery %s changed while it was being sent; keeping the other outcome", outcome.id)
        return stored
    if outcome.state is DeliveryState.FAILED_TRANSIENT:
        log.info(
            "delivery %s failed transiently (%s); next try at %s",
            outcome.id,
            outcome.failure_code,
            outcome.next_attempt_at,
        )
    else:
        _count(deps, outcome)
    if event is not None:
        await deps.publish([event])
        await repo.clear_pending(deps.store, outcome.id, event.event_id)
        stored = replace(stored, pending=None)
    return stored


def _count(deps: Deps, d: Delivery) -> None:
    channel, trigger = d.channel.value if d.channel else "none", d.trigger.value
    if d.state is DeliveryState.SENT:
        deps.metrics.sent.labels(channel, trigger).inc()
        if d.sent_at and d.event_occurred_at:
            seconds = max(0.0, (d.sent_at - d.event_occurred_at).total_seconds())
            deps.metrics.delivery_seconds.labels(channel, trigger).observe(seconds)
    elif d.state is DeliveryState.FAILED_PERMANENT:
        deps.metrics.failed.labels(channel, trigger, d.failure_code or "unknown").inc()
        log.warning("delivery %s (%s) failed for good: %s", d.id, trigger, d.failure_code)


async def flush(deps: Deps, delivery_id: str | None = None) -> None:
    """Publish outcome events saved but not yet published (after a crash or a NATS outage)."""
    if delivery_id is not None:
        found = await repo.load(deps.store, delivery_id)
        records = [found] if found is not None and found.pending else []
    else:
        records = await repo.with_pending(deps.store)
    for stored in records:
        event = restore(stored.pending)
        if event is not None:
            await deps.publish([event])
            await repo.clear_pending(deps.store, stored.delivery.id, event.event_id)


async def sweep(deps: Deps) -> int:
    """Resend what is due (retry time reached, or stuck in ``sending`` after a crash); returns tries."""
    await flush(deps)
    tried = 0
    for stored in await repo.due(deps.store, deps.clock(), deps.grace):
        try:
            await deliver(deps, stored)
            tried += 1
        except Exception:
            log.exception("sweep could not deliver %s; it is tried again later", stored.delivery.id)
    return tried
