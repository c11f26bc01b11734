"""Read-only answers of the portal's pages, its officials' console, Open311 and ``portal.cmd.track``,
from its own store only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.portal.deps import Deps
from services.portal.domain import accounts, codes, open311
from services.portal.domain.accounts import Official
from services.portal.domain.agencies import names
from services.portal.domain.inbox import Row as InboxRow
from services.portal.domain.inbox import agency_name
from services.portal.domain.inbox import inbox as agency_inbox
from services.portal.domain.inbox import review_queue as unit_review_queue
from services.portal.domain.opinion import Doc
from services.portal.domain.requests import RequestRow, request_queue
from services.portal.domain.timeline import reply, tracking_view
from shared.contracts.intake_commands import TrackOpinion
from shared.timeutil import local_date


async def opinion_by_code(deps: Deps, typed: str) -> Doc:
    """The record of a typed code, or the refusal (malformed or unknown)."""
    code = codes.canonical(typed)
    doc = await deps.repo.by_code(code)
    if doc is None or not doc.get("facts", {}).get("tracking_code"):
        raise codes.unknown(code)
    return doc


async def track(deps: Deps, body: TrackOpinion) -> dict[str, Any]:
    """``portal.cmd.track`` (``dialogue opinion track``): what ``/tra-cuu/<code>`` shows, by the same
    query of the same read model, so the CLI and the page never disagree; a bad code gets its sentence."""
    view = tracking_view(await opinion_by_code(deps, body.tracking_code))
    title = None
    if view.conference_id:
        snapshot = await deps.repo.conference(view.conference_id)
        title = str(snapshot["title"]) if snapshot and snapshot.get("title") else None
    return reply(view, title)


@dataclass(frozen=True)
class RatingState:
    code: str
    opinion_id: str
    published: bool
    used: bool


async def rating_state(deps: Deps, typed: str) -> RatingState:
    doc = await opinion_by_code(deps, typed)
    code = str(doc["tracking_code"])
    used = bool(doc.get("rated")) or await deps.repo.rating_sent(code) is not None
    return RatingState(code, str(doc["_id"]), bool(doc.get("published")), used)


def services(deps: Deps) -> list[dict[str, Any]]:
    return open311.service_list(deps.services)


def service_codes(deps: Deps) -> set[str]:
    return {s.code for s in deps.services}


@dataclass(frozen=True)
class Inbox:
    agency_name: str
    rows: list[InboxRow]


async def inbox(deps: Deps, agency_code: str, due_soon_days: int) -> Inbox:
    """An agency officer's open opinions, by deadline, and the agency's name (the read model only)."""
    today = local_date(deps.clock())
    docs = await deps.repo.held_by(agency_code)
    return Inbox(agency_name(docs, agency_code), agency_inbox(docs, agency_code, today, due_soon_days))


async def review_queue(deps: Deps, unit_code: str, due_soon_days: int) -> list[InboxRow]:
    """A head's answers waiting for review in its unit, by deadline."""
    today = local_date(deps.clock())
    return unit_review_queue(await deps.repo.answered_in(unit_code), unit_code, today, due_soon_days)


async def pending_requests(deps: Deps, unit_code: str, due_soon_days: int) -> list[RequestRow]:
    """The extension and transfer requests of a head's unit waiting for a decision, oldest first."""
    today = local_date(deps.clock())
    return request_queue(await deps.repo.requests_in(unit_code), unit_code, today, due_soon_days)


async def agencies_of_unit(deps: Deps, unit_code: str) -> dict[str, str]:
    """Code → name of the agencies the unit's opinions were assigned to (the read model's)."""
    return names(await deps.repo.unit_agencies(unit_code))


async def open_counts(deps: Deps, agency_codes: list[str]) -> dict[str, int]:
    """Open opinions held now per agency (the read model's)."""
    return {code: await deps.repo.open_count(code) for code in agency_codes}


async def official(deps: Deps, username: str, generation: int) -> Official | None:
    """The account a session names, when it may still act (not disabled, same generation)."""
    doc = await deps.repo.account(username)
    return accounts.official(doc, generation) if doc is not None else None
