"""Notification handlers: one per triggering event; each turns the event into plans and notifies.

A handler never imports faststream: the entrypoint passes the typed event and ``Deps``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from shared.contracts.assignment import (
    AnswerPublished,
    AssignmentEvent,
    DeadlineApproaching,
    OpinionAssigned,
    OpinionOverdue,
)
from shared.contracts.intake import AcknowledgementDue
from shared.contracts.scheduling import ConclusionReminderDue, ConferenceEvent
from shared.timeutil import local_date
from shared.workdays import default_calendar

from . import addressing as to
from .domain import contexts as ctx
from .domain.recipients import Recipient, resolve_recipients
from .domain.triggers import Trigger
from .service import Deps, Plan, notify


def _plans(trigger: Trigger, recipients: Sequence[Recipient], context: dict[str, Any]) -> list[Plan]:
    return [Plan(trigger, r, ctx.with_recipient(context, r.name)) for r in recipients]


def _conference(deps: Deps, e: ConferenceEvent, held_at: dt.datetime | None = None) -> dict[str, Any]:
    unit = to.unit_name(deps, e.unit_code, e.unit_name)
    return ctx.conference(
        title=e.title,
        unit_name=unit,
        starts_at=e.starts_at,
        held_at=held_at,
        venue=e.venue,
        fmt=e.format,
        link=e.link,
    )


async def conference_participants(deps: Deps, e: ConferenceEvent, trigger: Trigger) -> None:
    """Announcement or 48-hour reminder: the unit's participant groups named by the conference."""
    unit = to.unit_name(deps, e.unit_code, e.unit_name)
    await to.remember_conference(deps.store, e.conference_id, e.title, unit)
    data = {"unit_id": e.unit_code, "participant_groups": e.participant_groups}
    recipients = resolve_recipients(trigger, data, deps.directory, deps.available, deps.fallback)
    context = ctx.base("", unit, conference=_conference(deps, e))
    await notify(deps, e, _plans(trigger, recipients, context))


async def conclusion_reminder(deps: Deps, e: ConclusionReminderDue) -> None:
    """No conclusion 3 or 7 days after the conference: remind the host unit's office."""
    trigger = Trigger.CONCLUSION_REMINDER_7D if e.days_after >= 7 else Trigger.CONCLUSION_REMINDER_3D
    unit = to.unit_name(deps, e.unit_code, e.unit_name)
    recipients = resolve_recipients(
        trigger, {"unit_id": e.unit_code}, deps.directory, deps.available, deps.fallback
    )
    context = ctx.base(
        "",
        unit,
        conference=_conference(deps, e, e.held_at),
        days_since=e.days_after,
        results_due=ctx.iso(e.conclusion_due),
    )
    await notify(deps, e, _plans(trigger, recipients, context))


async def opinion_acknowledged(deps: Deps, e: AcknowledgementDue) -> None:
    """Tell the petitioner the opinion was received; intake sends contact data only with consent."""
    if not (e.contact_email or e.contact_phone):
        return
    citizen = to.citizen_data(e.opinion_id, e.submitter_name, e.contact_email, e.contact_phone)
    await to.remember_citizen(deps.store, e.opinion_id, citizen)
    recipients = resolve_recipients(
        Trigger.OPINION_ACKNOWLEDGED,
        {"opinion_id": e.opinion_id, "citizen": citizen},
        deps.directory,
        deps.available,
        deps.fallback,
    )
    conference = await to.conference_of(deps.store, e.conference_id)
    opinion = ctx.opinion(tracking_code=e.tracking_code, received_at=e.received_at)
    context = ctx.base("", to.unit_name(deps, e.unit_code, conference["unit_name"]), opinion=opinion)
    await notify(deps, e, _plans(Trigger.OPINION_ACKNOWLEDGED, recipients, context))


async def _opinion_context(deps: Deps, e: AssignmentEvent) -> dict[str, Any]:
    conference = await to.conference_of(deps.store, e.conference_id)
    opinion = ctx.opinion(
        tracking_code=e.tracking_code,
        summary=e.summary,
        field=e.field,
        received_at=e.received_at,
        deadline=e.deadline,
        handled_by=e.agency_name,
    )
    unit = to.unit_name(deps, e.unit_code, conference["unit_name"])
    return ctx.base(
        "", unit, opinion=opinion, agency_name=e.agency_name or e.agency_code or "", conference=conference
    )


def _agency(deps: Deps, trigger: Trigger, e: AssignmentEvent) -> list[Recipient]:
    return to.agency(deps, trigger, e.agency_code, e.agency_name, e.agency_email)


async def opinion_assigned(deps: Deps, e: OpinionAssigned) -> None:
    context = await _opinion_context(deps, e)
    trigger = Trigger.OPINION_ASSIGNED
    await notify(deps, e, _plans(trigger, _agency(deps, trigger, e), context))


async def deadline_approaching(deps: Deps, e: DeadlineApproaching) -> None:
    context = {**await _opinion_context(deps, e), "days_left": e.working_days_left}
    trigger = Trigger.DEADLINE_APPROACHING
    await notify(deps, e, _plans(trigger, _agency(deps, trigger, e), context))


async def opinion_overdue(deps: Deps, e: OpinionOverdue) -> None:
    """Overdue: the agency, and the head it is escalated to."""
    today = local_date(e.occurred_utc)
    overdue = default_calendar().working_days_between(e.deadline, today) if e.deadline else 0
    context = {**await _opinion_context(deps, e), "days_overdue": max(1, overdue)}
    trigger = Trigger.OPINION_OVERDUE
    agency = _agency(deps, trigger, e)
    addresses = {r.address for r in agency if r.address} | {e.agency_email or ""}
    heads = to.head(deps, e.unit_code, e.agency_code, e.head_name, e.head_title, e.head_email, addresses)
    await notify(deps, e, _plans(trigger, [*agency, *heads], context))


async def answer_published(deps: Deps, e: AnswerPublished) -> None:
    """The answer, then the satisfaction survey, to the citizen who consented to be contacted."""
    answer_recipients = await to.citizen(deps, Trigger.ANSWER_PUBLISHED, e.opinion_id)
    if not answer_recipients:
        return
    context = await _opinion_context(deps, e)
    published = e.published_at or e.occurred_at
    url = deps.public_url.rstrip("/")
    answer = {
        "agency_name": e.agency_name or e.agency_code or "",
        "summary": e.answer_summary,
        "published_at": ctx.iso(published),
        "url": f"{url}/tra-cuu/{e.tracking_code}",
        "document_number": e.document_number,
        "document_date": ctx.iso(e.document_date),
    }
    closes = local_date(published) + dt.timedelta(days=deps.survey_days)
    survey = {
        **context,
        "survey_url": f"{url}/danh-gia/{e.tracking_code}",
        "survey_closes_on": ctx.iso(closes),
    }
    survey_recipients = await to.citizen(deps, Trigger.SATISFACTION_SURVEY, e.opinion_id)
    await notify(
        deps,
        e,
        [
            *_plans(Trigger.ANSWER_PUBLISHED, answer_recipients, {**context, "answer": answer}),
            *_plans(Trigger.SATISFACTION_SURVEY, survey_recipients, survey),
        ],
    )
