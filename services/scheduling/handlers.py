"""Scheduling handlers: one function per operator command and one for the reminder sweep.

Each loads the conference, lets the domain decide and returns an ``Outcome``: the new document with
its events, for the host's unit of work to save, publish and answer (a concurrent save re-runs the
handler on the fresh state). A refused command raises ``DomainError`` before anything is decided
(the aggregate is immutable), so nothing is half-written. A repeated command id finds its events in
the aggregate: the outcome re-publishes them with the same ids and changes nothing, and JetStream
drops the duplicates. Every event says who gave the command (``by``); a command without one, from a
sender older than ``by``, is the secretariat's (the head's, for a conclusion), as in assignment.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from services.scheduling.adapters.payloads import details_from
from services.scheduling.adapters.repository import CONFERENCES
from services.scheduling.adapters.views import command_reply
from services.scheduling.adapters.wire import to_contracts
from services.scheduling.deps import Deps
from services.scheduling.domain import (
    Conference,
    ConferenceEvent,
    ConferenceState,
    due_reminders,
    effective_time,
    unknown_conference,
)
from shared.contracts import scheduling_commands as cmds
from shared.contracts.base import CommandResult
from shared.ids import derived_id
from shared.unit_of_work import Change, Outcome

Decision = tuple[Conference, list[ConferenceEvent]]
Decide = Callable[[Conference], Awaitable[Decision]]
Reply = Outcome[CommandResult]
SECRETARIAT = "secretariat"  # who plans and runs conferences, when a command does not say
HEAD = "head"  # who issues the conclusion, when the command does not say


def _by(c: cmds.SchedulingCommand, default: str = SECRETARIAT) -> str:
    """Who gave ``c``: its ``by``, else the role that usually gives it."""
    return c.by.strip() or default


def _outcome(
    deps: Deps,
    verb: str,
    command_id: str,
    before: Conference | None,
    previous: dict[str, Any] | None,
    decision: Decision,
) -> Reply:
    conference, domain_events = decision
    events = to_contracts(domain_events)
    replayed = conference is before
    reply = command_reply(verb, conference, events, replayed, deps.clock())
    if replayed:
        return Outcome(events=events, reply=reply)
    doc = deps.conferences.document(conference, previous)
    change = Change(CONFERENCES, doc, previous=previous, events=events, cause=command_id)
    old_state = None if before is None else before.state.value

    def count() -> None:
        deps.metrics.moved(conference.level, old_state, conference.state.value)

    return Outcome(changes=[change], reply=reply, after_commit=count)


async def plan(deps: Deps, c: cmds.PlanConference) -> Reply:
    at = effective_time(c.effective_at, deps.clock())
    conference_id = c.conference_id or derived_id("conference", c.command_id)
    details = details_from(c)
    existing, doc = await deps.conferences.load(conference_id)
    others = [] if existing else await deps.conferences.overlapping(details.start, details.end)
    decision = Conference.plan(
        conference_id,
        details,
        units=deps.units,
        command_id=c.command_id,
        now=at,
        rules=deps.rules,
        others=others,
        override=c.override,
        existing=existing,
        by=_by(c),
    )
    return _outcome(deps, "plan", c.command_id, existing, doc, decision)


async def _apply(deps: Deps, verb: str, c: cmds.ConferenceCommand, decide: Decide) -> Reply:
    conference, doc = await deps.conferences.load(c.conference_id)
    if conference is None:
        raise unknown_conference(c.conference_id)
    return _outcome(deps, verb, c.command_id, conference, doc, await decide(conference))


async def announce(deps: Deps, c: cmds.AnnounceConference) -> Reply:
    at = effective_time(c.effective_at, deps.clock())

    async def decide(conf: Conference) -> Decision:
        return conf.announce(command_id=c.command_id, now=at, rules=deps.rules, by=_by(c))

    return await _apply(deps, "announce", c, decide)


async def reschedule(deps: Deps, c: cmds.RescheduleConference) -> Reply:
    at = effective_time(c.effective_at, deps.clock())

    async def decide(conf: Conference) -> Decision:
        if conf.replay(c.command_id) is None:
            others = await deps.conferences.overlapping(c.starts_at, c.ends_at)
        else:
            others = []
        return conf.reschedule(
            c.starts_at,
            c.ends_at,
            units=deps.units,
            command_id=c.command_id,
            now=at,
            rules=deps.rules,
            others=others,
            override=c.override,
            by=_by(c),
        )

    return await _apply(deps, "reschedule", c, decide)


async def postpone(deps: Deps, c: cmds.PostponeConference) -> Reply:
    at = effective_time(c.effective_at, deps.clock())

    async def decide(conf: Conference) -> Decision:
        return conf.postpone(c.reason, command_id=c.command_id, now=at, by=_by(c))

    return await _apply(deps, "postpone", c, decide)


async def cancel(deps: Deps, c: cmds.CancelConference) -> Reply:
    at = effective_time(c.effective_at, deps.clock())

    async def decide(conf: Conference) -> Decision:
        return conf.cancel(c.reason, command_id=c.command_id, now=at, by=_by(c))

    return await _apply(deps, "cancel", c, decide)


async def hold(deps: Deps, c: cmds.HoldConference) -> Reply:
    at = effective_time(c.effective_at, deps.clock())

    async def decide(conf: Conference) -> Decision:
        return conf.hold(
            attendee_count=c.attendee_count,
            opinion_count=c.opinion_count,
            command_id=c.command_id,
            now=at,
            held_at=c.held_at,
            rules=deps.rules,
            by=_by(c),
        )

    return await _apply(deps, "hold", c, decide)


async def conclude(deps: Deps, c: cmds.ConcludeConference) -> Reply:
    at = effective_time(c.effective_at, deps.clock())

    async def decide(conf: Conference) -> Decision:
        return conf.conclude(
            summary=c.summary, document=c.document, command_id=c.command_id, now=at, by=_by(c, HEAD)
        )

    return await _apply(deps, "conclude", c, decide)


async def close(deps: Deps, c: cmds.CloseConference) -> Reply:
    at = effective_time(c.effective_at, deps.clock())

    async def decide(conf: Conference) -> Decision:
        return conf.close(command_id=c.command_id, now=at, by=_by(c))

    return await _apply(deps, "close", c, decide)


async def remind(deps: Deps) -> Sequence[Outcome[None]]:
    """One outcome per conference with reminders due now: the claims, stored with their events.

    Committing an outcome claims its reminders (``reminders.<key>``), so each is emitted once; a
    commit that conflicts lost to another replica's claim or to a command, and the next sweep
    decides again on the fresh document.
    """
    now = deps.clock()
    active = [ConferenceState.ANNOUNCED.value, ConferenceState.HELD.value]
    outcomes: list[Outcome[None]] = []
    for doc in await deps.conferences.find_docs({"state": {"$in": active}}):
        claims: dict[str, Any] = doc.get("reminders", {})
        fresh = [
            (key, event)
            for key, event in due_reminders(Conference.from_doc(doc), now, deps.reminders)
            if key not in claims
        ]
        if not fresh:
            continue
        claimed = {**claims, **{key: event.event_id for key, event in fresh}}
        events = to_contracts(event for _, event in fresh)
        outcomes.append(Outcome(changes=[Change(CONFERENCES, dict(doc, reminders=claimed), doc, events)]))
    return outcomes
