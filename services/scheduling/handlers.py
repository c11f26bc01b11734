"""Scheduling handlers: one function per operator command; load, decide in the domain, save, return events.

A refused command raises ``DomainError`` before anything is saved (the aggregate is immutable), so
nothing is half-written. A repeated command id finds its events in the aggregate and returns them
again with the same ids, unsaved: JetStream drops the re-publish.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from services.scheduling import commands as cmds
from services.scheduling.adapters.repository import ConferenceRepository
from services.scheduling.adapters.wire import to_contracts
from services.scheduling.details_input import details_from
from services.scheduling.domain import Conference, ConferenceEvent, SchedulingRules, UnitTree
from shared.contracts.base import Event, derived_id
from shared.errors import NotFound, TransientError
from shared.storage.port import ConcurrencyConflict

ATTEMPTS = 3
Decide = Callable[[Conference], Awaitable[tuple[Conference, list[ConferenceEvent]]]]


@dataclass(frozen=True)
class Scheduling:
    """What every handler needs: the conferences, the unit tree and the rules."""

    repo: ConferenceRepository
    units: UnitTree
    rules: SchedulingRules


@dataclass(frozen=True)
class Outcome:
    conference: Conference
    events: list[Event]
    replayed: bool


def unknown_conference(conference_id: str) -> NotFound:
    return NotFound(
        "unknown_conference", f"Không tìm thấy hội nghị '{conference_id}'; kiểm tra lại mã hội nghị."
    )


async def plan(ctx: Scheduling, body: object, now: dt.datetime) -> Outcome:
    command = cmds.parse(cmds.PlanConference, body)
    at = command.effective(now)
    conference_id = command.conference_id or derived_id("conference", command.command_id)
    details = details_from(command)
    for _ in range(ATTEMPTS):
        existing, _doc = await ctx.repo.load(conference_id)
        others = [] if existing else await ctx.repo.overlapping(details.start, details.end)
        conference, events = Conference.plan(
            conference_id, details, units=ctx.units, command_id=command.command_id, now=at,
            rules=ctx.rules, others=others, override=command.override, existing=existing,
        )  # fmt: skip
        if conference is existing:
            return Outcome(conference, to_contracts(events), replayed=True)
        try:
            await ctx.repo.save(conference, None)
        except ConcurrencyConflict:
            continue  # someone planned the same id meanwhile: the next round replays or refuses
        return Outcome(conference, to_contracts(events), replayed=False)
    raise TransientError(f"conference {conference_id} kept changing while planning it")


async def _apply(ctx: Scheduling, conference_id: str, decide: Decide) -> Outcome:
    for _ in range(ATTEMPTS):
        conference, doc = await ctx.repo.load(conference_id)
        if conference is None:
            raise unknown_conference(conference_id)
        new, events = await decide(conference)
        if new is conference:
            return Outcome(new, to_contracts(events), replayed=True)
        try:
            await ctx.repo.save(new, doc)
        except ConcurrencyConflict:
            continue
        return Outcome(new, to_contracts(events), replayed=False)
    raise TransientError(f"conference {conference_id} kept changing; retry the command")


async def announce(ctx: Scheduling, body: object, now: dt.datetime) -> Outcome:
    c = cmds.parse(cmds.ConferenceCommand, body)
    at = c.effective(now)

    async def decide(conf: Conference) -> tuple[Conference, list[ConferenceEvent]]:
        return conf.announce(command_id=c.command_id, now=at, rules=ctx.rules)

    return await _apply(ctx, c.conference_id, decide)


async def reschedule(ctx: Scheduling, body: object, now: dt.datetime) -> Outcome:
    c = cmds.parse(cmds.RescheduleConference, body)
    at = c.effective(now)

    async def decide(conf: Conference) -> tuple[Conference, list[ConferenceEvent]]:
        if conf.replay(c.command_id) is None:
            others = await ctx.repo.overlapping(c.starts_at, c.ends_at)
        else:
            others = []
        return conf.reschedule(
            c.starts_at, c.ends_at, units=ctx.units, command_id=c.command_id, now=at,
            rules=ctx.rules, others=others, override=c.override,
        )  # fmt: skip

    return await _apply(ctx, c.conference_id, decide)


async def postpone(ctx: Scheduling, body: object, now: dt.datetime) -> Outcome:
    c = cmds.parse(cmds.WithReason, body)
    at = c.effective(now)

    async def decide(conf: Conference) -> tuple[Conference, list[ConferenceEvent]]:
        return conf.postpone(c.reason, command_id=c.command_id, now=at)

    return await _apply(ctx, c.conference_id, decide)


async def cancel(ctx: Scheduling, body: object, now: dt.datetime) -> Outcome:
    c = cmds.parse(cmds.WithReason, body)
    at = c.effective(now)

    async def decide(conf: Conference) -> tuple[Conference, list[ConferenceEvent]]:
        return conf.cancel(c.reason, command_id=c.command_id, now=at)

    return await _apply(ctx, c.conference_id, decide)


async def hold(ctx: Scheduling, body: object, now: dt.datetime) -> Outcome:
    c = cmds.parse(cmds.HoldConference, body)
    at = c.effective(now)

    async def decide(conf: Conference) -> tuple[Conference, list[ConferenceEvent]]:
        return conf.hold(
            attendee_count=c.attendee_count, opinion_count=c.opinion_count, command_id=c.command_id,
            now=at, held_at=c.held_at, rules=ctx.rules,
        )  # fmt: skip

    return await _apply(ctx, c.conference_id, decide)


async def conclude(ctx: Scheduling, body: object, now: dt.datetime) -> Outcome:
    c = cmds.parse(cmds.ConcludeConference, body)
    at = c.effective(now)

    async def decide(conf: Conference) -> tuple[Conference, list[ConferenceEvent]]:
        return conf.conclude(summary=c.summary, document=c.document, command_id=c.command_id, now=at)

    return await _apply(ctx, c.conference_id, decide)


async def close(ctx: Scheduling, body: object, now: dt.datetime) -> Outcome:
    c = cmds.parse(cmds.ConferenceCommand, body)
    at = c.effective(now)

    async def decide(conf: Conference) -> tuple[Conference, list[ConferenceEvent]]:
        return conf.close(command_id=c.command_id, now=at)

    return await _apply(ctx, c.conference_id, decide)


LIFECYCLE: dict[str, Callable[[Scheduling, object, dt.datetime], Awaitable[Outcome]]] = {
    "plan": plan,
    "announce": announce,
    "reschedule": reschedule,
    "postpone": postpone,
    "hold": hold,
    "conclude": conclude,
    "close": close,
    "cancel": cancel,
}
