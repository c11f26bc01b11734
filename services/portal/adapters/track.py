"""``portal.cmd.track``: an opinion's public path by its tracking code, for ``dialogue opinion track``.

The answer is read from the same read model, by the same query, as the tracking page
(``/tra-cuu/<code>``), so the CLI and the page never disagree; the CLI renders it in Vietnamese.
A malformed or unknown code is refused with the page's own sentence.
"""

from __future__ import annotations

from typing import Any

from services.portal import queries
from services.portal.deps import Deps
from services.portal.domain.timeline import reply
from shared.contracts.intake_commands import TrackOpinion


async def track(deps: Deps, body: TrackOpinion) -> dict[str, Any]:
    view = await queries.track(deps, body.tracking_code)
    title = None
    if view.conference_id:
        snapshot = await deps.repo.conference(view.conference_id)
        title = str(snapshot["title"]) if snapshot and snapshot.get("title") else None
    return reply(view, title)
