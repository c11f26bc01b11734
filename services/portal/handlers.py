"""The portal's handlers: each event becomes a change of its read model; nothing is published.

Every handler is idempotent: the record keeps the ids of the events it applied, so a redelivered or
replayed event changes nothing (``domain.opinion.record`` answers None), and a conference snapshot is
kept only when newer. Replaying the streams into an empty store rebuilds the same records.
"""

from __future__ import annotations

import datetime as dt

from services.portal.adapters import events
from services.portal.adapters.repository import OPINIONS, RATINGS
from services.portal.deps import Deps
from services.portal.domain.opinion import Recorded, record
from shared import conference_snapshot
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts.intake import OpinionClassified, OpinionReceived, OpinionReclassified
from shared.unit_of_work import Change, Outcome


async def _apply(deps: Deps, opinion_id: str, recorded: Recorded | None) -> Outcome[None]:
    if recorded is None:
        return Outcome()
    previous = await deps.repo.opinion(opinion_id)
    doc = record(opinion_id, previous, recorded)
    return Outcome(changes=[Change(OPINIONS, doc, previous)]) if doc is not None else Outcome()


async def on_received(deps: Deps, e: OpinionReceived) -> Outcome[None]:
    return await _apply(deps, e.opinion_id, events.received(e))


async def on_classified(deps: Deps, e: OpinionClassified | OpinionReclassified) -> Outcome[None]:
    return await _apply(deps, e.opinion_id, events.classified(e))


async def on_assignment(deps: Deps, subject: str, e: events.AssignmentStep) -> Outcome[None]:
    return await _apply(deps, e.opinion_id, events.assignment(subject, e))


async def on_notice(deps: Deps, notice: events.NoticeSent) -> Outcome[None]:
    return await _apply(deps, notice.correlation_id, events.acknowledgement(notice))


async def keep_conference(deps: Deps, event: ConferenceSnapshot) -> Outcome[None]:
    return await conference_snapshot.keep(deps.store, event)


async def rating_sent(deps: Deps, code: str, at: dt.datetime) -> Outcome[None]:
    """Remember that the link of ``code`` was used (assignment accepted the rating)."""
    if await deps.repo.rating_sent(code) is not None:
        return Outcome()
    return Outcome(changes=[Change(RATINGS, {"_id": code, "at": at.isoformat()})])
