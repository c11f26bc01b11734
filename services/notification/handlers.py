"""Notification handlers: one per triggering event, the sweep's per-delivery step, the resend command.

Each turns its input into plans, records the intents, claims and sends what is due (the claim and
the intents are written before the wire: the exactly-once rule of ``domain.delivery``), and returns
the final states with their outcome events as an ``Outcome`` the host commits.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any

from services.notification import queries
from services.notification.adapters.repository import Stored
from services.notification.adapters.views import summary
from services.notification.deps import CONTACT_WAIT_DELIVERIES, Deps
from services.notification.domain import contexts as ctx
from services.notification.domain.addressing import citizen_data
from services.notification.domain.delivery import Plan, claimable, intents, settle
from services.notification.domain.errors import TemplateRenderError
from services.notification.domain.ledger import (
    Delivery,
    DeliveryState,
    fail_permanently,
    request_resend,
    start_attempt,
)
from services.notification.domain.messages import Rendered
from services.notification.domain.outcomes import outcome_of
from services.notification.domain.recipients import Recipient
from services.notification.domain.triggers import Trigger
from shared import contract_mapping
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts import notification as contracts
from shared.contracts.assignment import (
    AnswerPublished,
    AnswerReturned,
    AssignmentEvent,
    DeadlineApproaching,
    OpinionAssigned,
    OpinionOverdue,
    OpinionTransferred,
    OpinionTriageQueued,
)
from shared.contracts.base import Event
from shared.contracts.intake import AcknowledgementDue
from shared.contracts.notification_commands import ResendDelivery
from shared.contracts.scheduling import (
    ConclusionReminderDue,
    ConferenceAnnounced,
    ConferenceCancelled,
    ConferenceEvent,
    ConferencePostponed,
    ConferenceReminderDue,
    ConferenceRescheduled,
)
from shared.errors import TransientError
from shared.storage.port import ConcurrencyConflict
from shared.timeutil import local_date
from shared.unit_of_work import Change, Outcome
from shared.workdays import default_calendar

log = logging.getLogger(__name__)
Final = tuple[Change, Delivery]


def _plans(trigger: Trigger, recipients: Sequence[Recipient], context: dict[str, Any]) -> list[Plan]:
    return [Plan(trigger, r, ctx.with_recipient(context, r.name)) for r in recipients]


def _conference(unit: str, e: ConferenceEvent, held_at: dt.datetime | None = None) -> dict[str, Any]:
    return ctx.conference(
        title=e.title,
        unit_name=unit,
        starts_at=e.starts_at,
        held_at=held_at,
        venue=e.venue,
        fmt=e.format,
        link=e.link,
    )


async def _participants(deps: Deps, e: ConferenceEvent, trigger: Trigger, **extra: Any) -> Outcome[None]:
    unit = deps.reach.unit_name(e.unit_code, e.unit_name)
    data = {"unit_id": e.unit_code, "participant_groups": e.participant_groups}
    context = ctx.base("", unit, conference=_conference(unit, e), **extra)
    return await _notify(deps, e, _plans(trigger, deps.reach.resolve(trigger, data), context))


async def keep_conference(deps: Deps, e: ConferenceSnapshot) -> Outcome[None]:
    """Every conference event: keep the newest snapshot (titles and units of later notices)."""
    return await deps.repo.keep_conference(e)


async def conference_announced(deps: Deps, e: ConferenceAnnounced) -> Outcome[None]:
    """The unit's participant groups named by the conference."""
    return await _participants(deps, e, Trigger.CONFERENCE_ANNOUNCED)


async def conference_reminder(deps: Deps, e: ConferenceReminderDue) -> Outcome[None]:
    """48 hours before: the same participant groups again."""
    return await _participants(deps, e, Trigger.CONFERENCE_REMINDER_48H)


# A conference's participants were told once it was announced; a change before that concerns nobody.
ANNOUNCED = "announced"
POSTPONED = "postponed"
# Notices that told the participants of a conference (the ledger keeps them under the conference's
# correlation id, which scheduling sets to the conference id).
_TOLD = (Trigger.CONFERENCE_ANNOUNCED, Trigger.CONFERENCE_RESCHEDULED, Trigger.CONFERENCE_POSTPONED)


async def conference_rescheduled(deps: Deps, e: ConferenceRescheduled) -> Outcome[None]:
    """New times for an announced conference (also one back from a postponement): the same groups."""
    if e.state != ANNOUNCED:
        return Outcome()  # still planned: its announcement will carry the new times
    return await _participants(
        deps, e, Trigger.CONFERENCE_RESCHEDULED, previous_starts_at=ctx.iso(e.previous_starts_at)
    )


async def conference_postponed(deps: Deps, e: ConferencePostponed) -> Outcome[None]:
    """An announced conference is on hold: the participants are told why, and that a date will follow."""
    if e.postponed_from != ANNOUNCED:
        return Outcome()
    return await _participants(deps, e, Trigger.CONFERENCE_POSTPONED, reason=e.reason)


async def conference_cancelled(deps: Deps, e: ConferenceCancelled) -> Outcome[None]:
    """A cancelled conference the participants knew of: announced, or postponed after its announcement.

    A postponed conference's event does not say whether it had been announced; the ledger does (the
    notices of its announcement, reschedule or postponement, recorded in the same flow).
    """
    told = e.cancelled_from == ANNOUNCED or (
        e.cancelled_from == POSTPONED and await deps.repo.told(e.correlation_id, _TOLD)
    )
    if not told:
        return Outcome()
    return await _participants(deps, e, Trigger.CONFERENCE_CANCELLED, reason=e.reason)


async def conclusion_reminder(deps: Deps, e: ConclusionReminderDue) -> Outcome[None]:
    """No conclusion 3 or 7 days after the conference: remind the host unit's office."""
    trigger = Trigger.CONCLUSION_REMINDER_7D if e.days_after >= 7 else Trigger.CONCLUSION_REMINDER_3D
    unit = deps.reach.unit_name(e.unit_code, e.unit_name)
    recipients = deps.reach.resolve(trigger, {"unit_id": e.unit_code})
    context = ctx.base(
        "",
        unit,
        conference=_conference(unit, e, e.held_at),
        days_since=e.days_after,
        results_due=ctx.iso(e.conclusion_due),
    )
    return await _notify(deps, e, _plans(trigger, recipients, context))


async def acknowledgement_due(deps: Deps, e: AcknowledgementDue) -> Outcome[None]:
    """Tell the petitioner the opinion was received; intake sends contact data only with consent."""
    if not (e.contact_email or e.contact_phone):
        return Outcome()
    citizen = citizen_data(e.opinion_id, e.submitter_name, e.contact_email, e.contact_phone)
    kept = deps.repo.keep_contact(e.opinion_id, citizen, await deps.repo.contact(e.opinion_id))
    recipients = deps.reach.citizen(Trigger.OPINION_ACKNOWLEDGED, e.opinion_id, citizen)
    conference = await _conference_names(deps, e.conference_id)
    opinion = ctx.opinion(tracking_code=e.tracking_code, received_at=e.received_at)
    unit = deps.reach.unit_name(e.unit_code, conference["unit_name"])
    # The notice is dated the day intake acknowledged the opinion (stable across retries and replays).
    context = ctx.base("", unit, opinion=opinion, acknowledged_on=ctx.iso(local_date(e.occurred_utc)))
    return await _notify(deps, e, _plans(Trigger.OPINION_ACKNOWLEDGED, recipients, context), kept)


async def _conference_names(deps: Deps, conference_id: str | None) -> dict[str, Any]:
    kept = await deps.repo.conference(conference_id)
    if kept is None:
        return {"title": "", "unit_name": ""}
    return {"title": kept.title, "unit_name": deps.reach.unit_name(kept.unit_code, kept.unit_name)}


async def _opinion_context(deps: Deps, e: AssignmentEvent) -> dict[str, Any]:
    conference = await _conference_names(deps, e.conference_id)
    opinion = ctx.opinion(
        tracking_code=e.tracking_code,
        summary=e.summary,
        field=e.field,
        received_at=e.received_at,
        deadline=e.deadline,
        handled_by=e.agency_name,
        transferred=isinstance(e, OpinionAssigned) and e.transferred,
    )
    unit = deps.reach.unit_name(e.unit_code, conference["unit_name"])
    agency = e.agency_name or e.agency_code or ""
    return ctx.base("", unit, opinion=opinion, agency_name=agency, conference=conference)


def _agency(deps: Deps, trigger: Trigger, e: AssignmentEvent) -> list[Recipient]:
    return deps.reach.agency(trigger, e.agency_code, e.agency_name, e.agency_email)


Moved = OpinionAssigned | OpinionTransferred | OpinionTriageQueued


def _withdrawn(deps: Deps, e: Moved, context: dict[str, Any], new_holder: str) -> list[Plan]:
    """The notice to the agency an opinion was taken from (none when no other agency held it).

    ``new_holder`` names who has it now: the new agency, the competent body, or '' (back to triage).
    """
    previous = e.reassigned_from
    if not previous or previous == e.agency_code:
        return []
    trigger = Trigger.OPINION_WITHDRAWN
    name = e.reassigned_from_name or deps.reach.agency_name(previous)
    recipients = deps.reach.agency(trigger, previous, name, e.reassigned_from_email)
    details = {"agency_name": new_holder, "previous_agency_name": name, "reason": e.reassignment_reason or ""}
    return _plans(trigger, recipients, {**context, **details})


async def opinion_assigned(deps: Deps, e: OpinionAssigned) -> Outcome[None]:
    """The agency that must answer (a transfer's competent body too); the agency that lost it, if any."""
    context = await _opinion_context(deps, e)
    context["transfer_note"] = e.transfer_note or ""
    trigger = Trigger.OPINION_ASSIGNED
    plans = _plans(trigger, _agency(deps, trigger, e), context)
    plans += _withdrawn(deps, e, context, context["agency_name"])
    return await _notify(deps, e, plans)


async def opinion_transferred(deps: Deps, e: OpinionTransferred) -> Outcome[None]:
    """A transfer to a body outside the routing table: the agency that held the opinion is told.

    A transfer to an agency of the table is followed by its ``OpinionAssigned`` (``agency_code`` set
    here), which tells both agencies: nothing is sent twice.
    """
    if e.agency_code:
        return Outcome()
    context = await _opinion_context(deps, e)
    return await _notify(deps, e, _withdrawn(deps, e, context, e.target_body))


async def opinion_triage_queued(deps: Deps, e: OpinionTriageQueued) -> Outcome[None]:
    """Back to the triage queue (e.g. reclassified to a field no agency answers): the agency that lost it."""
    context = await _opinion_context(deps, e)
    return await _notify(deps, e, _withdrawn(deps, e, context, ""))


async def answer_returned(deps: Deps, e: AnswerReturned) -> Outcome[None]:
    """The head sent the answer back: the agency holding the opinion answers again by its deadline."""
    context = {**await _opinion_context(deps, e), "reason": e.reason}
    trigger = Trigger.ANSWER_RETURNED
    return await _notify(deps, e, _plans(trigger, _agency(deps, trigger, e), context))


async def deadline_approaching(deps: Deps, e: DeadlineApproaching) -> Outcome[None]:
    context = {**await _opinion_context(deps, e), "days_left": e.working_days_left}
    trigger = Trigger.DEADLINE_APPROACHING
    return await _notify(deps, e, _plans(trigger, _agency(deps, trigger, e), context))


async def opinion_overdue(deps: Deps, e: OpinionOverdue) -> Outcome[None]:
    """Overdue: the agency, and the head it is escalated to."""
    today = local_date(e.occurred_utc)
    overdue = default_calendar().working_days_between(e.deadline, today) if e.deadline else 0
    context = {**await _opinion_context(deps, e), "days_overdue": max(1, overdue)}
    trigger = Trigger.OPINION_OVERDUE
    agency = _agency(deps, trigger, e)
    addresses = {r.address for r in agency if r.address} | {e.agency_email or ""}
    heads = deps.reach.head(e.unit_code, e.agency_code, e.head_name, e.head_title, e.head_email, addresses)
    return await _notify(deps, e, _plans(trigger, [*agency, *heads], context))


async def answer_published(deps: Deps, e: AnswerPublished, deliveries: int = 1) -> Outcome[None]:
    """The answer, then the satisfaction survey, to the citizen who consented to be contacted.

    A contact not seen yet may be on its way (``CONTACT_WAIT_DELIVERIES``): the event waits for it.
    """
    contact = await deps.repo.contact(e.opinion_id)
    if contact is None and deliveries < CONTACT_WAIT_DELIVERIES and await deps.contacts_in_flight():
        raise TransientError(f"the contact of {e.opinion_id} may still be on its way to notification")
    citizen = contact["citizen"] if contact else None
    answer_recipients = deps.reach.citizen(Trigger.ANSWER_PUBLISHED, e.opinion_id, citizen)
    if not answer_recipients:
        return Outcome()
    context = await _opinion_context(deps, e)
    published = e.published_at or e.occurred_at
    answer = ctx.answer(
        deps.public_url,
        e.tracking_code,
        agency_name=e.agency_name or e.agency_code or "",
        summary=e.answer_summary,
        published_at=published,
        document_number=e.document_number,
        document_date=e.document_date,
    )
    # A back-recorded publication is surveyed from today: the citizen is only asked now.
    asked = max(local_date(published), local_date(deps.clock()))
    closes = asked + dt.timedelta(days=deps.survey_days)
    survey = {**context, **ctx.survey(deps.public_url, e.tracking_code, closes, deps.rating_secret)}
    survey_recipients = deps.reach.citizen(Trigger.SATISFACTION_SURVEY, e.opinion_id, citizen)
    plans = [
        *_plans(Trigger.ANSWER_PUBLISHED, answer_recipients, {**context, "answer": answer}),
        *_plans(Trigger.SATISFACTION_SURVEY, survey_recipients, survey),
    ]
    return await _notify(deps, e, plans)


# -- the delivery engine -----------------------------------------------------------------------


async def _notify(deps: Deps, e: Event, plans: Sequence[Plan], kept: Change | None = None) -> Outcome[None]:
    """Record one delivery per plan (once, even on redelivery), then send those that are due.

    Every record is inserted before the first send, so a crash mid-way leaves each notice either in
    the ledger for the sweep or already sent: none depends on the event being redelivered. The first
    notice to send is inserted already claimed (``sending``: one write where an intent and a claim
    were two); the others are inserted as intents and claimed each just before its own send, so no
    claim waits behind another notice's sending for longer than the sweep's grace period.
    """
    records: list[Stored] = []
    unreachable: list[Final] = []
    first: tuple[Stored, Rendered] | None = None
    conference_id = getattr(e, "conference_id", None)
    for d in intents(e.event_id, e.occurred_utc, plans, deps.clock(), conference_id):
        if d.state is DeliveryState.FAILED_PERMANENT:
            if await deps.repo.load(d.id) is None:  # nobody to reach: recorded as failed, once
                unreachable.append(_final(deps, None, d, e.correlation_id))
            continue
        content = _rendered(deps, d) if first is None and not records else None
        if content is not None:
            stored, new = await deps.repo.add(start_attempt(d, deps.clock()), e.correlation_id)
            if new:
                first = (stored, content)
                continue
            records.append(stored)  # it was there: decided below like any recorded delivery
        else:
            records.append(await deps.repo.add_intent(d, e.correlation_id))
    sent = [await _send(deps, *first)] if first is not None else []
    sent += [f for f in [await _deliver(deps, stored) for stored in records] if f is not None]
    # Claimed deliveries first: a later change that conflicts (a concurrent copy of the event) then
    # cannot leave a notice that went out recorded as still in ``sending``.
    return _outcome(deps, [*sent, *unreachable], [kept] if kept else [])


def _rendered(deps: Deps, d: Delivery) -> Rendered | None:
    """The content of a new delivery to send now; ``None`` when it has no channel or does not render
    (then it is recorded as an intent and ``_deliver`` records the failure)."""
    if d.channel is None:
        return None
    try:
        return deps.renderer.render(d.trigger, d.channel, d.context)
    except TemplateRenderError:
        return None


def _final(deps: Deps, stored: Stored | None, d: Delivery, correlation_id: str) -> Final:
    event = outcome_of(d)
    correlation = correlation_id or d.event_id
    events = (
        [] if event is None else [contract_mapping.to_contract(event, contracts, correlation_id=correlation)]
    )
    cause = f"{d.idempotency_key}#{len(d.history)}"
    return deps.repo.change(stored, d, correlation_id, events, cause), d


def _outcome(deps: Deps, finals: Sequence[Final], extra: Sequence[Change] = ()) -> Outcome[Any]:
    def count() -> None:
        for _, d in finals:
            deps.metrics.count(d)

    return Outcome(changes=[*(c for c, _ in finals), *extra], after_commit=count)


async def _deliver(deps: Deps, stored: Stored) -> Final | None:
    """Claim and send one delivery if it is due; ``None`` when it is not this process's to send."""
    now = deps.clock()
    d = stored.delivery
    if d.channel is None or not claimable(d, now, deps.grace):
        return None
    try:
        content = deps.renderer.render(d.trigger, d.channel, d.context)
    except TemplateRenderError as exc:
        return _final(deps, stored, fail_permanently(d, now, exc.code, exc.message), stored.correlation_id)
    attempt = start_attempt(d, now)
    try:
        claimed = await deps.repo.claim(stored, attempt)
    except ConcurrencyConflict:
        log.info("delivery %s was claimed by another process", d.id)
        return None
    return await _send(deps, claimed, content)


async def _send(deps: Deps, claimed: Stored, content: Rendered) -> Final:
    """Send a delivery this process claimed (saved in ``sending``) and settle its final state."""
    report = await deps.sender.send(claimed.delivery, content)
    settled = settle(claimed.delivery, report, deps.clock(), deps.schedule, deps.jitter())
    return _final(deps, claimed, settled, claimed.correlation_id)


async def deliver(deps: Deps, stored: Stored) -> Outcome[Any]:
    """Try one delivery as loaded (a replica that loaded it too loses the claim and sends nothing)."""
    final = await _deliver(deps, stored)
    return _outcome(deps, [final] if final else [])


async def retry_delivery(deps: Deps, delivery_id: str) -> Outcome[Any]:
    """The sweep's step for one delivery: retry time reached, or stuck in ``sending`` after a crash."""
    stored = await deps.repo.load(delivery_id)
    return await deliver(deps, stored) if stored is not None else Outcome()


Run = Callable[[Callable[[], Awaitable[Outcome[Any]]]], Awaitable[Any]]


async def sweep(deps: Deps, run: Run) -> int:
    """Try every due delivery, each in its own unit of work (``run``); returns how many were tried."""
    tried = 0
    for stored in await deps.repo.due(deps.clock(), deps.grace):
        delivery_id = stored.delivery.id
        try:
            await run(functools.partial(retry_delivery, deps, delivery_id))
            tried += 1
        except Exception:
            log.exception("sweep could not deliver %s; it is tried again later", delivery_id)
    return tried


async def resend(deps: Deps, command: ResendDelivery) -> Outcome[dict[str, Any]]:
    """Record the operator's resend (a new idempotency key) and send it now."""
    stored = await queries.load(deps, command.delivery_id)
    again = request_resend(stored.delivery, deps.clock())
    try:
        stored = await deps.repo.claim(stored, again)
    except ConcurrencyConflict as exc:
        raise TransientError("the delivery changed while it was being resent") from exc
    final = await _deliver(deps, stored)
    outcome = _outcome(deps, [final] if final else [])
    return replace(outcome, reply=summary(final[1] if final else again))
