"""Read-only answers of the portal's pages, its officials' console and Open311, from its own store only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from services.portal.deps import Deps
from services.portal.domain import accounts, codes, open311
from services.portal.domain.accounts import Official
from services.portal.domain.agencies import names
from services.portal.domain.conference import ConferenceView, conference_view, is_public
from services.portal.domain.inbox import Row as InboxRow
from services.portal.domain.inbox import agency_name
from services.portal.domain.inbox import inbox as agency_inbox
from services.portal.domain.inbox import review_queue as unit_review_queue
from services.portal.domain.opinion import Doc
from services.portal.domain.requests import RequestRow, request_queue
from services.portal.domain.timeline import TrackingView, tracking_view
from shared.errors import DomainError
from shared.timeutil import local_date

MAX_REQUESTS = 200


def unknown_conference(conference_id: str) -> DomainError:
    return DomainError(
        "unknown_conference",
        f"Chưa có thông tin công khai về hội nghị {conference_id[:80]}; hội nghị sẽ hiện ở đây khi được "
        "thông báo.",
    )


async def opinion_by_code(deps: Deps, typed: str) -> Doc:
    """The record of a typed code, or the refusal (malformed or unknown)."""
    code = codes.canonical(typed)
    doc = await deps.repo.by_code(code)
    if doc is None or not doc.get("facts", {}).get("tracking_code"):
        raise codes.unknown(code)
    return doc


async def track(deps: Deps, typed: str) -> TrackingView:
    return tracking_view(await opinion_by_code(deps, typed))


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


async def conference(deps: Deps, conference_id: str) -> ConferenceView:
    snapshot = await deps.repo.conference(conference_id)
    if snapshot is None or not is_public(snapshot):
        raise unknown_conference(conference_id)
    docs = await deps.repo.of_conference(conference_id)
    return conference_view(snapshot, docs, local_date(deps.clock()))


def services(deps: Deps) -> list[dict[str, Any]]:
    return open311.service_list(deps.services)


def service_codes(deps: Deps) -> set[str]:
    return {s.code for s in deps.services}


async def requests(deps: Deps, query: open311.RequestQuery) -> list[dict[str, Any]]:
    if query.ids:
        wanted = []
        for typed in query.ids:
            try:
                wanted.append(codes.canonical(typed))
            except DomainError:
                continue  # the specification answers the requests found; a wrong id is simply absent
        docs = await deps.repo.by_codes(wanted) if wanted else []
    else:
        where: dict[str, Any] = {"tracking_code": {"$exists": True}}
        window: dict[str, str] = {}
        if query.start:
            window["$gte"] = query.start.astimezone(dt.UTC).isoformat()
        if query.end:
            window["$lte"] = query.end.astimezone(dt.UTC).isoformat()
        if window:
            where["requested_at"] = window
        if query.status:
            where["status"] = query.status
        if query.service_code:
            where["field"] = query.service_code
        docs = await deps.repo.find(where, MAX_REQUESTS)
    return [open311.request_view(d) for d in docs if d.get("facts", {}).get("tracking_code")]


async def request(deps: Deps, typed: str) -> dict[str, Any]:
    try:
        doc = await opinion_by_code(deps, typed)
    except DomainError as exc:
        raise open311.Open311Error(404, exc.code, exc.message) from None
    return open311.request_view(doc)


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
