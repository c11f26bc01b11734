"""One function per event and per state-changing command: load, decide in the domain, return an Outcome.

A command takes effect at its ``effective_at`` (default now): a back-recorded answer or assignment
gets the deadline and the agency of that moment. The first routing of an opinion takes effect when
it was received, so an opinion of a 2023 conference replayed today gets a 2024 deadline and the
agency in force in 2023.

The host's unit of work saves the returned change with its events and publishes them; a concurrent
save re-runs the function on the fresh state. A duplicate command or a redelivered classification
returns the events it produced the first time (same ids) and saves nothing; so does a redelivered
reclassification.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from services.assignment.adapters.contracts import to_contracts
from services.assignment.adapters.repository import ASSIGNMENTS, DIRECT_ANSWERS
from services.assignment.adapters.views import outcome as view
from services.assignment.deps import Deps
from services.assignment.domain import refusals
from services.assignment.domain.agencies import Agency
from services.assignment.domain.assignment import SYSTEM, Assignment
from services.assignment.domain.deadlines import deadline_for
from services.assignment.domain.effective import effective_time
from services.assignment.domain.routing import DirectAnswer, route
from services.assignment.domain.routing import Outcome as Routed
from services.assignment.domain.state import Result
from services.assignment.domain.values import OpinionRef, parse_dt
from shared import conference_snapshot
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts import assignment_commands as cmd
from shared.contracts.intake import OpinionClassified, OpinionReclassified
from shared.storage.port import Doc
from shared.timeutil import local_date
from shared.unit_of_work import Change, Outcome

log = logging.getLogger(__name__)
Reply = dict[str, Any]
Apply = Callable[[Assignment, dt.datetime], Result]


# -- events -------------------------------------------------------------------------------------


async def route_opinion(deps: Deps, event: OpinionClassified) -> Outcome[None]:
    """Route a classified opinion and open its assignment; a redelivery re-publishes the same events."""
    existing = await deps.repo.get(event.opinion_id)
    if existing is not None:
        assignment, doc = existing
        replay = assignment.replay(event.event_id)
        if replay is None:
            log.info("opinion %s was already routed by another classification", event.opinion_id)
            return Outcome()
        return _decided(deps, assignment, replay, doc, event.event_id)
    return await _open(deps, await _opinion_ref(deps, event), event.event_id)


async def reroute_opinion(deps: Deps, event: OpinionReclassified) -> Outcome[None]:
    """Route a reclassified opinion again with its new field, unless its answer was already written.

    A move to another agency starts a new deadline counted from now, with the agency in force now,
    and its events name the agency that lost it.
    A reclassification that overtook the classification opens the assignment with the new field
    (the late classification is then ignored). A redelivery re-publishes the same events.
    """
    existing = await deps.repo.get(event.opinion_id)
    if existing is None:
        return await _open(deps, await _opinion_ref(deps, event), event.event_id)
    assignment, doc = existing
    replay = assignment.replay(event.event_id)
    if replay is not None:
        return _decided(deps, assignment, replay, doc, event.event_id)
    opinion = dataclasses.replace(assignment.opinion, field=event.field, kind=event.kind.value)
    now = deps.clock()
    decision = route(opinion, deps.config.table, deps.config.policy, deps.calendar, now)
    reason = (
        f"Phân loại lại lĩnh vực: {event.reason.strip()}"
        if event.reason.strip()
        else "Phân loại lại lĩnh vực"
    )
    result = assignment.reroute(opinion, decision, now, event.event_id, event.by or SYSTEM, reason)
    return _decided(deps, assignment, result, doc, event.event_id)


async def keep_conference(deps: Deps, event: ConferenceSnapshot) -> Outcome[None]:
    """Keep the newest snapshot of the conference (routing and the conclusion notice read it)."""
    return await conference_snapshot.keep(deps.store, event)


async def due_notices(deps: Deps) -> list[Outcome[None]]:
    """The reminders and escalations due now, one outcome per assignment.

    An agency no longer in force today gets none (``Assignment.sweep``): a person must reassign its
    opinions. Each is recorded in the aggregate with a command id derived from the deadline, so of two
    replicas sweeping at once one save wins and the other's ``ConcurrencyConflict`` is skipped;
    the winner's events carry deterministic ids.
    """
    now = deps.clock()
    policy = deps.config.policy
    # Only what can be due reads the full documents: a deadline within the reminder period (with a
    # week of margin for holidays), or already passed. The rest of the backlog is only counted.
    today = local_date(now)
    horizon = deps.calendar.add_working_days(today, policy.reminder_days) + dt.timedelta(days=7)
    # Nor what was escalated or reminded already, or is held by an agency no longer in force: the
    # store leaves them out (``Assignment.sweep`` would decide nothing for them).
    table = deps.config.table
    retired = sorted({a.code for a in table.agencies if not _in_force(table.find_agency(a.code), today)})
    outcomes = []
    for doc in await deps.repo.maybe_due(today, horizon, retired):
        assignment = Assignment.from_doc(doc)
        result = assignment.sweep(now, deps.calendar, policy, deps.config.table)
        if result.events:
            outcomes.append(_decided(deps, assignment, result, doc, None))
    return outcomes


def _in_force(agency: Agency | None, today: dt.date) -> bool:
    return agency is None or agency.in_force(today)


# -- operator commands --------------------------------------------------------------------------


async def answer_directly(deps: Deps, c: cmd.AnswerDirectly) -> Outcome[Reply]:
    """Record the leader's answer at the conference; before the opinion arrives it waits for it.

    The waiting answer keeps the moment it took effect, and closes the opinion at that moment.
    """
    opinion_id = await deps.repo.resolve(c.opinion_id)
    if await deps.repo.get(opinion_id) is None:
        at = effective_time(c.effective_at, deps.clock())
        previous = await deps.repo.direct_answer(opinion_id)
        duplicate = previous is not None and previous.get("command_id") == c.command_id
        reply: Reply = {"opinion_id": opinion_id, "status": "pending", "duplicate": duplicate, "events": []}
        if duplicate:
            return Outcome(reply=reply)
        waiting = {
            "_id": opinion_id,
            "text": c.answer,
            "answered_by": c.answered_by,
            "command_id": c.command_id,
            "effective_at": at.isoformat(),
        }
        return Outcome(changes=[Change(DIRECT_ANSWERS, waiting, previous)], reply=reply)
    return await _change(deps, c, lambda a, at: a.answer_directly(c.answer, c.answered_by, at, c.command_id))


async def assign(deps: Deps, c: cmd.AssignOpinion) -> Outcome[Reply]:
    agency = deps.config.table.agency(c.agency_code)

    def apply(a: Assignment, at: dt.datetime) -> Result:
        return a.assign(agency, _deadline(deps, a, at), at, c.command_id, c.by or "secretariat")

    return await _change(deps, c, apply)


async def reassign(deps: Deps, c: cmd.ReassignOpinion) -> Outcome[Reply]:
    agency = deps.config.table.agency(c.agency_code)

    def apply(a: Assignment, at: dt.datetime) -> Result:
        return a.reassign(agency, _deadline(deps, a, at), at, c.command_id, c.by or "head", c.reason)

    return await _change(deps, c, apply)


async def accept(deps: Deps, c: cmd.AcceptOpinion) -> Outcome[Reply]:
    deps.config.table.agency(c.agency_code)
    return await _change(deps, c, lambda a, at: a.accept(c.agency_code, at, c.command_id, c.by))


async def request_reassignment(deps: Deps, c: cmd.RequestReassignment) -> Outcome[Reply]:
    deps.config.table.agency(c.agency_code)
    return await _change(
        deps, c, lambda a, at: a.request_reassignment(c.agency_code, c.reason, at, c.command_id, c.by)
    )


async def answer(deps: Deps, c: cmd.SubmitAnswer) -> Outcome[Reply]:
    deps.config.table.agency(c.agency_code)

    def apply(a: Assignment, at: dt.datetime) -> Result:
        return a.submit_answer(
            c.agency_code,
            c.document_number,
            c.document_date,
            c.summary,
            at,
            c.command_id,
            c.attachment_ref,
            by=c.by,
        )

    return await _change(deps, c, apply)


async def return_answer(deps: Deps, c: cmd.ReturnAnswer) -> Outcome[Reply]:
    return await _change(deps, c, lambda a, at: a.return_answer(c.reason, at, c.command_id, c.by or "head"))


async def publish(deps: Deps, c: cmd.PublishAnswer) -> Outcome[Reply]:
    return await _change(deps, c, lambda a, at: a.publish(at, c.command_id, c.by or "head"))


async def request_extension(deps: Deps, c: cmd.RequestExtension) -> Outcome[Reply]:
    deps.config.table.agency(c.agency_code)

    def apply(a: Assignment, at: dt.datetime) -> Result:
        return a.request_extension(
            c.agency_code, c.new_deadline, c.reason, at, c.command_id, deps.calendar, deps.config.policy, c.by
        )

    return await _change(deps, c, apply)


async def approve_extension(deps: Deps, c: cmd.ApproveExtension) -> Outcome[Reply]:
    def apply(a: Assignment, at: dt.datetime) -> Result:
        return a.approve_extension(at, c.command_id, c.by or "head", deps.calendar, deps.config.policy)

    return await _change(deps, c, apply)


async def refuse_extension(deps: Deps, c: cmd.RefuseExtension) -> Outcome[Reply]:
    return await _change(
        deps, c, lambda a, at: a.refuse_extension(c.reason, at, c.command_id, c.by or "head")
    )


async def rate(deps: Deps, c: cmd.RateAnswer) -> Outcome[Reply]:
    return await _change(deps, c, lambda a, at: a.rate(c.stars, c.comment, at, c.command_id))


# -- shared steps -------------------------------------------------------------------------------


async def _change(deps: Deps, c: cmd.ChangeAssignment, apply: Apply) -> Outcome[Reply]:
    """Load the opinion (by id or tracking code), apply one command at its effective time, answer the view.

    A back-recorded time is refused in the future, before the receipt or before the last recorded
    action; a duplicate command replays its first result whatever time it names.
    """
    now = deps.clock()
    at = effective_time(c.effective_at, now)
    opinion_id = await deps.repo.resolve(c.opinion_id)
    loaded = await deps.repo.get(opinion_id)
    if loaded is None:
        raise refusals.unknown_opinion(opinion_id)
    assignment, doc = loaded
    if assignment.replay(c.command_id) is None:
        assignment.guard_effective(at)
    result = apply(assignment, at)
    return _decided(deps, assignment, result, doc, c.command_id, view(assignment, result, now))


def _decided(
    deps: Deps,
    assignment: Assignment,
    result: Result,
    previous: Doc | None,
    cause: str | None,
    reply: Any = None,
) -> Outcome[Any]:
    """The new state with its contract events; a duplicate only re-publishes the first events."""
    events = to_contracts(result.events, deps.config.table)
    if result.duplicate:
        return Outcome(events=events, reply=reply)
    change = Change(ASSIGNMENTS, assignment.to_doc(), previous, events, cause)
    return Outcome(changes=[change], reply=reply, after_commit=lambda: deps.metrics.observe(result.events))


def _deadline(deps: Deps, a: Assignment, at: dt.datetime) -> dt.date:
    o = a.opinion
    return deadline_for(o.field, o.kind, local_date(at), deps.config.policy, deps.calendar)


async def _open(deps: Deps, opinion: OpinionRef, cause: str) -> Outcome[None]:
    """Route an opinion seen for the first time (a leader's answer waiting for it closes it).

    Routing takes effect when the opinion was received (never later than now): the deadline counts
    from the receipt and the agency is the one in force that day, however late the opinion is typed.
    """
    pending = await deps.repo.direct_answer(opinion.opinion_id)
    direct = DirectAnswer(pending["text"], pending["answered_by"]) if pending else None
    at = min(opinion.received_at, deps.clock())
    decision = route(opinion, deps.config.table, deps.config.policy, deps.calendar, at, direct)
    if decision.outcome is Routed.ANSWERED_DIRECTLY and pending is not None:
        # The leader's answer closes the opinion when it was given, not when the opinion arrived.
        at = parse_dt(pending.get("effective_at")) or at
    assignment, result = Assignment.open(opinion, decision, at, cause)
    return _decided(deps, assignment, result, None, cause)


async def _opinion_ref(deps: Deps, event: OpinionClassified | OpinionReclassified) -> OpinionRef:
    """The opinion as the domain sees it; a unit scheduling names differently is resolved here."""
    table = deps.config.table
    conference = await deps.repo.conference(event.conference_id)
    raw_unit = event.unit_code or (conference.unit_code if conference else "")
    unit_code = table.resolve_unit(raw_unit, conference.unit_name if conference else "") or raw_unit
    level = event.level or (conference.level if conference else "")
    if table.has_unit(unit_code) and not level:
        level = table.unit(unit_code).level
    return OpinionRef(
        opinion_id=event.opinion_id,
        tracking_code=event.tracking_code,
        field=event.field,
        kind=event.kind.value,
        level=level,
        unit_code=unit_code,
        received_at=event.received_at,
        conference_id=event.conference_id,
        summary=event.summary,
    )
