"""Intake's handlers: load through the repository, call the domain, return an ``Outcome``.

The host's unit of work saves the changed opinions with their events, publishes, then acks or
replies. Submissions are idempotent by (source, external id): the opinion id derives from them, and
the events of a recorded submission stay in the opinion's outbox, so a duplicate or a redelivery
re-publishes the same event ids and changes nothing. Every message also gets its own outcome (its id
derives from the message's delivery key), so a sender that sends twice hears back twice.

A new opinion is an insert: a clash on its id (a concurrent delivery won), its tracking code (taken
meanwhile) or its conference sequence number (another replica recorded an opinion of the conference)
is a conflict, and the host runs the handler again, which then finds the opinion, derives the next
code, or sees the conference's new opinions and groups again. The opinions of one conference are
decided one after the other against the ones before them, committed or still in flight, and
committed together (see services/intake/adapters/topics_cache.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from services.intake import domain as d
from services.intake import queries
from services.intake.adapters import repository, views, wire
from services.intake.adapters.topics_cache import Reservation, Reservations
from services.intake.deps import Deps
from services.intake.domain import refusals
from services.intake.settings import DESK_SOURCE
from shared import conference_snapshot
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts.base import Event
from shared.contracts.intake_commands import ReclassifyOpinion, SubmitDeskOpinion
from shared.contracts.rejections import MessageRejected
from shared.errors import DomainError, TransientError
from shared.ids import derived_id
from shared.unit_of_work import Change, Outcome

_CODE_ATTEMPTS = 4  # 35-bit tracking codes: a clash is rare, four in a row is not going to happen


@dataclass(frozen=True)
class Submitted:
    """What became of one submission: its events and, when refused, the reason and dead letter."""

    accepted: bool
    events: list[Event] = field(default_factory=list)
    opinion: d.Opinion | None = None
    new: bool = False
    rejection: MessageRejected | None = None
    error: DomainError | None = None
    view: dict[str, Any] | None = None  # the desk's answer


async def keep_conference(deps: Deps, event: ConferenceSnapshot) -> Outcome[None]:
    """Keep the newest snapshot of a conference, from any of its events."""
    return await conference_snapshot.keep(deps.store, event)


async def _with_conference(
    deps: Deps, command: d.SubmitOpinion, *, refuse_unknown: bool, unless_in_flight: bool = False
) -> tuple[d.SubmitOpinion, ConferenceSnapshot | None]:
    """The command with its conference's unit, and the conference; an unknown one waits or is refused.

    ``unless_in_flight``: it still waits while a conference event is on its way to intake.
    """
    if command.conference_id is None:
        return command, None
    conference = await conference_snapshot.load(deps.store, command.conference_id)
    if conference is None:
        if refuse_unknown and not (unless_in_flight and await deps.snapshots_in_flight()):
            raise refusals.unknown_conference(command.conference_id)
        raise TransientError(
            f"conference {command.conference_id} is not known yet; its event may be on its way"
        )
    return dataclasses.replace(command, unit_id=conference.unit_code), conference


async def _free_code(deps: Deps, opinion_id: str) -> str:
    for attempt in range(_CODE_ATTEMPTS):
        code = d.tracking_code_for(opinion_id, attempt)
        if await deps.repo.by_tracking_code(code) is None:
            return code
    raise TransientError(f"could not find a free tracking code for opinion {opinion_id} yet")


@dataclass(frozen=True)
class _Recorded:
    """A submission recorded now (``change`` to save) or before (its events replayed)."""

    opinion: d.Opinion
    events: list[Event]
    change: Change | None = None
    reservation: Reservation | None = None  # its group and number, in flight until committed

    def outcome(self, deps: Deps, *extra: Event, view: dict[str, Any] | None = None) -> Outcome[Submitted]:
        events = [*self.events, *extra]
        reply = Submitted(True, events, self.opinion, new=self.change is not None, view=view)
        if self.change is None:
            return Outcome(events=events, reply=reply)
        opinion, reservation = self.opinion, self.reservation

        def recorded() -> None:
            if reservation is not None:
                reservation.confirm()
            if deps.metrics is not None:
                deps.metrics.recorded(opinion)

        chain = None if reservation is None else f"conference:{reservation.conference_id}"
        return Outcome(changes=[self.change], events=extra, reply=reply, after_commit=recorded, chain=chain)


async def _record(
    deps: Deps,
    reserved: Reservations,
    command: d.SubmitOpinion,
    conference: ConferenceSnapshot | None,
    now: dt.datetime,
) -> _Recorded:
    """Record a checked submission once; a known one answers with the events it produced then.

    An opinion of a conference is grouped against the conference's opinions recorded or in flight
    and numbered after them in one step with no await before its outcome reaches the unit of work
    (the callers return it at once), so it joins their batch and their save group.
    """
    while True:
        existing = await deps.repo.get(command.opinion_id)
        if existing is not None:
            events = existing.replay(command.command_id) or wire.to_contracts(
                existing.opinion.intake_events(), existing.opinion, conference
            )
            return _Recorded(existing.opinion, events)
        code = await _free_code(deps, command.opinion_id)
        opinion, domain_events = d.receive_opinion(
            command, now=now, rules=deps.rules, calendar=deps.calendar, policy=deps.policy, tracking_code=code
        )
        if opinion.conference_id is None:
            events = wire.to_contracts(domain_events, opinion, conference)
            return _Recorded(opinion, events, repository.added(opinion, events, command.command_id, None))
        topics = await deps.topics.decidable(deps.repo, opinion.conference_id, opinion.id, reserved.batch)
        if topics is None:  # another delivery of this opinion was in flight: look it up again
            continue
        group_id, seq = topics.reserve(d.candidate(opinion), deps.grouping, reserved.batch())
        reservation = Reservation(deps.topics, opinion.conference_id, topics, opinion.id)
        reserved.hold(reservation)
        domain_events += opinion.join_group(group_id, at=now)
        events = wire.to_contracts(domain_events, opinion, conference)
        change = repository.added(opinion, events, command.command_id, seq)
        return _Recorded(opinion, events, change, reservation)


async def submit_external(
    deps: Deps,
    reserved: Reservations,
    source: str,
    raw: bytes,
    *,
    key: str,
    now: dt.datetime,
    msg_id: str | None = None,
    deliveries: int = 1,
) -> Outcome[Submitted]:
    """Accept or refuse one message of ``intake.submit.<source>``; ``key`` identifies the message.

    A conference intake has no snapshot of yet is waited for (``TransientError``: redelivered
    later), and refused once the message has been delivered ``unknown_conference_deliveries`` times
    and no conference event is in flight to intake (``Deps.snapshots_in_flight``).
    """
    reserved.retry()  # when run again: what the earlier run reserved was not committed
    try:
        command = wire.read_submission(raw, source, deps.known_sources, deps.policy.max_content)
        refuse = deliveries >= deps.unknown_conference_deliveries
        command, conference = await _with_conference(
            deps, command, refuse_unknown=refuse, unless_in_flight=True
        )
        recorded = await _record(deps, reserved, command, conference, now)
    except DomainError as error:
        events, dead_letter = wire.refusal(
            error, source=source, raw=raw, key=key, at=now, msg_id=msg_id, deliveries=deliveries
        )
        return Outcome(events=events, reply=Submitted(False, events, rejection=dead_letter, error=error))
    said = wire.accepted(source, key, recorded.opinion, duplicate=recorded.change is None)
    return recorded.outcome(deps, said)


async def submit_desk(
    deps: Deps, reserved: Reservations, body: SubmitDeskOpinion, now: dt.datetime
) -> Outcome[Submitted]:
    """An opinion entered at the conference desk, a written petition or a hotline call (source 'desk')."""
    reserved.retry()  # when run again: what the earlier run reserved was not committed
    command = wire.command_for(body, DESK_SOURCE, deps.policy.max_content)
    command, conference = await _with_conference(deps, command, refuse_unknown=True)
    recorded = await _record(deps, reserved, command, conference, now)
    view = {
        **views.summary(recorded.opinion, dict(deps.rules.names())),
        "duplicate": recorded.change is None,
        "acknowledgement_due": recorded.opinion.acknowledgement_due.isoformat(),
    }
    return recorded.outcome(deps, view=view)


async def reclassify(
    deps: Deps, body: ReclassifyOpinion, now: dt.datetime | None = None
) -> Outcome[dict[str, Any]]:
    """Move an opinion to another field; the same ``command_id`` again re-publishes the same event."""
    now = now or deps.clock()
    stored = await queries.opinion_named(deps, body)
    opinion = stored.opinion
    names = dict(deps.rules.names())
    command_id = body.command_id or derived_id("reclassify", opinion.id, body.field, now.isoformat())
    cause = f"reclassify:{command_id}"
    replayed = stored.replay(cause)
    if replayed is not None:
        return Outcome(events=replayed, reply=views.detail(opinion, names))
    domain_events = opinion.reclassify(
        body.field.strip(),
        by=body.by.strip(),
        reason=body.reason.strip(),
        at=now,
        command_id=cause,
        rules=deps.rules,
    )
    if not domain_events:  # the domain already applied it and the outbox forgot it
        return Outcome(reply=views.detail(opinion, names))
    conference = await conference_snapshot.load(deps.store, opinion.conference_id)
    events = wire.to_contracts(domain_events, opinion, conference)
    return Outcome(changes=[repository.changed(stored, events, cause)], reply=views.detail(opinion, names))
