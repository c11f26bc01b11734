"""The portal's handlers: each event becomes a change of its read model; nothing is published.

Every event handler is idempotent: the record keeps the ids of the events it applied, so a
redelivered or replayed event changes nothing (``domain.opinion.record_all`` skips it; ``apply_told``
takes the events of one opinion that arrived together, in one change), and a conference snapshot is
kept only when newer. Replaying the streams into an empty store rebuilds the
same records; a conference's results are merged the same way (``domain.conference.merge_results``).
The account commands (``portal.cmd.user-*``) change the officials' accounts: adding a
taken name is refused, disabling twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.portal.adapters import events
from services.portal.adapters.repository import ACCOUNTS, OPINIONS, RATINGS, RESULTS, UNIT_AGENCIES
from services.portal.deps import Deps
from services.portal.domain import accounts, agencies
from services.portal.domain.conference import merge_results
from services.portal.domain.opinion import Doc, Recorded, record_all
from shared import conference_snapshot
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts.intake import OpinionClassified, OpinionReceived, OpinionReclassified
from shared.contracts.portal_commands import AddUser, DisableUser, ResetPassword
from shared.unit_of_work import Change, Outcome


@dataclass(frozen=True)
class Told:
    """What one event tells an opinion's record, and the unit's agency it names (``events.unit_agency``)."""

    recorded: Recorded
    agency: tuple[str, str, str] | None = None


def received(e: OpinionReceived) -> Told:
    return Told(events.received(e))


def classified(e: OpinionClassified | OpinionReclassified) -> Told:
    return Told(events.classified(e))


def assignment(subject: str, e: events.AssignmentStep) -> Told:
    return Told(events.assignment(subject, e), events.unit_agency(subject, e))


def notice(n: events.NoticeSent) -> Told | None:
    """The acknowledgement step, or None for a notice of another trigger (nothing to record)."""
    recorded = events.acknowledgement(n)
    return Told(recorded) if recorded is not None else None


async def apply_told(
    deps: Deps, opinion_id: str, previous: Doc | None, told: Sequence[Told]
) -> Outcome[None]:
    """The record of ``opinion_id`` with every event of ``told`` applied (one change, or none when each
    was applied before), and each unit's agencies that an event applied here names for the first time."""
    doc, fresh = record_all(opinion_id, previous, [t.recorded for t in told])
    if doc is None:
        return Outcome()
    changes = [Change(OPINIONS, doc, previous)]
    applied = {id(r) for r in fresh}
    units: dict[str, tuple[Doc | None, Doc | None]] = {}  # unit → (as stored, as learned here)
    for t in told:
        if t.agency is None or id(t.recorded) not in applied:
            continue
        unit = t.agency[0]
        if unit not in units:
            units[unit] = (await deps.repo.unit_agencies(unit), None)
        stored, learned = units[unit]
        newer = agencies.learned(learned or stored, *t.agency, t.recorded.at)
        if newer is not None:
            units[unit] = (stored, newer)
    changes += [Change(UNIT_AGENCIES, new, stored) for stored, new in units.values() if new is not None]
    return Outcome(changes=changes)


async def _apply(deps: Deps, opinion_id: str, told: Told | None) -> Outcome[None]:
    if told is None:
        return Outcome()
    return await apply_told(deps, opinion_id, await deps.repo.opinion(opinion_id), [told])


async def on_received(deps: Deps, e: OpinionReceived) -> Outcome[None]:
    return await _apply(deps, e.opinion_id, received(e))


async def on_classified(deps: Deps, e: OpinionClassified | OpinionReclassified) -> Outcome[None]:
    return await _apply(deps, e.opinion_id, classified(e))


async def on_assignment(deps: Deps, subject: str, e: events.AssignmentStep) -> Outcome[None]:
    """The opinion's record, and the unit's agencies when the event names one new to the unit."""
    return await _apply(deps, e.opinion_id, assignment(subject, e))


async def on_notice(deps: Deps, n: events.NoticeSent) -> Outcome[None]:
    return await _apply(deps, n.correlation_id, notice(n))


async def keep_conference(deps: Deps, event: ConferenceSnapshot) -> Outcome[None]:
    return await conference_snapshot.keep(deps.store, event)


async def keep_results(deps: Deps, event: events.ConferenceResults) -> Outcome[None]:
    """What ``event`` says of the conference's results, merged into the kept ones (else nothing)."""
    previous = await deps.repo.results(event.conference_id)
    doc = merge_results(previous, event.conference_id, event.conference_version, event.values())
    return Outcome(changes=[Change(RESULTS, doc, previous)]) if doc is not None else Outcome()


async def rating_sent(deps: Deps, code: str, at: dt.datetime) -> Outcome[None]:
    """Remember that the link of ``code`` was used (assignment accepted the rating)."""
    if await deps.repo.rating_sent(code) is not None:
        return Outcome()
    return Outcome(changes=[Change(RATINGS, {"_id": code, "at": at.isoformat()})])


async def add_user(deps: Deps, c: AddUser) -> Outcome[dict[str, Any]]:
    """``portal.cmd.user-add``: a new account, its password stored only as the Argon2 hash."""
    existing = await deps.repo.account(c.username)
    if existing is not None:  # refused before spending a hash on it
        accounts.new_account(c.username, c.display_name, c.role, c.scope, "", deps.clock(), existing)
    hashed = await deps.passwords.hash(c.password)
    doc = accounts.new_account(c.username, c.display_name, c.role, c.scope, hashed, deps.clock(), None)
    return Outcome(changes=[Change(ACCOUNTS, doc)], reply=accounts.public(doc))


async def disable_user(deps: Deps, c: DisableUser) -> Outcome[dict[str, Any]]:
    """``portal.cmd.user-disable``: no more logins, open sessions end; disabling twice changes nothing."""
    doc = await deps.repo.account(c.username)
    if doc is None:
        raise accounts.unknown_account(c.username)
    changed = accounts.disabled(doc, deps.clock())
    if changed is None:
        return Outcome(reply=accounts.public(doc))
    return Outcome(changes=[Change(ACCOUNTS, changed, doc)], reply=accounts.public(changed))


async def reset_password(deps: Deps, c: ResetPassword) -> Outcome[dict[str, Any]]:
    """``portal.cmd.user-reset``: a new password hash; the account's open sessions end."""
    doc = await deps.repo.account(c.username)
    if doc is None:
        raise accounts.unknown_account(c.username)
    changed = accounts.reset(doc, await deps.passwords.hash(c.password), deps.clock())
    return Outcome(changes=[Change(ACCOUNTS, changed, doc)], reply=accounts.public(changed))
