"""Open311's reads of the portal's store: requests by ids or by window, statuses and fields.

Kept beside the API (``open311_api.py``) so the specification's filters (``status`` and
``service_code`` declared several times, comma delimited) are read exactly as the domain parses them.
"""

from __future__ import annotations

import json
from typing import Any

from services.portal import queries
from services.portal.adapters.page_cache import Rendered, version_of
from services.portal.deps import Deps
from services.portal.domain import codes, open311
from services.portal.domain.open311_xml import to_xml
from shared.errors import DomainError

MAX_REQUESTS = 200  # under the specification's "first 1000 requests returned"


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
        docs = await deps.repo.find(query.where(), MAX_REQUESTS)
    return [open311.request_view(d) for d in docs if d.get("facts", {}).get("tracking_code")]


async def request(deps: Deps, typed: str, fmt: str, cache: Rendered) -> bytes:
    """``requests/<id>.<fmt>``'s body: the same version of a record is not serialised twice."""
    try:
        doc = await queries.opinion_by_code(deps, typed)
    except DomainError as exc:
        raise open311.Open311Error(404, exc.code, exc.message) from None

    def render() -> bytes:
        rows = [open311.request_view(doc)]
        if fmt == "xml":
            return to_xml("service_requests", rows)
        return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()

    return cache.get((version_of(doc), fmt), render)
