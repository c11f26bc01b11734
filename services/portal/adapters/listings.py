"""The public listings' reads of the portal's store: conference snapshots, published answers, results.

Kept apart from ``repository.py`` (the read models' own module): these are read-only queries of
the citizens' listings. The answers search filters on ``published``, ``field`` and ``unit_code``
and sorts on ``published_at``, the calendar filters conferences on ``state`` and sorts on
``starts_at``: their indexes are declared with the read model's others (``repository.ensure_indexes``).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.portal.adapters.repository import CONFERENCES, OPINIONS
from services.portal.deps import Deps
from services.portal.domain.answers import PAGE_SIZE, Search
from services.portal.domain.conference import PUBLIC_STATES, ConferenceView, conference_view, is_public
from services.portal.domain.opinion import Doc
from shared.errors import DomainError
from shared.timeutil import local_date

MAX_CONFERENCES = 2000  # a province holds a few hundred a year; the calendar reads the public ones


@dataclass(frozen=True)
class Found:
    docs: list[Doc]
    total: int


async def snapshots(deps: Deps) -> list[Doc]:
    """Every public conference snapshot (announced or later), newest start first."""
    where = {"state": {"$in": sorted(PUBLIC_STATES)}}
    return await deps.store.find(
        CONFERENCES, where, order_by="starts_at", descending=True, limit=MAX_CONFERENCES
    )


async def published(deps: Deps, search: Search) -> Found:
    """The published answers up to the page asked (latest published first) and how many in all."""
    where = search.where()
    docs = await deps.store.find(
        OPINIONS, where, order_by="published_at", descending=True, limit=search.page * PAGE_SIZE
    )
    return Found(docs, await deps.store.count(OPINIONS, where))


def unknown_conference(conference_id: str) -> DomainError:
    return DomainError(
        "unknown_conference",
        f"Chưa có thông tin công khai về hội nghị {conference_id[:80]}; hội nghị sẽ hiện ở đây khi được "
        "thông báo.",
    )


async def conference(deps: Deps, conference_id: str) -> ConferenceView:
    """A conference's public page: once held, its answers by field, on-time rate and conclusion."""
    snapshot = await deps.store.get(CONFERENCES, conference_id)
    if snapshot is None or not is_public(snapshot):
        raise unknown_conference(conference_id)
    docs = await deps.repo.of_conference(conference_id)
    results = await deps.repo.results(conference_id)
    return conference_view(snapshot, docs, local_date(deps.clock()), results)
