"""Intake's projection of conferences: fed by scheduling's events, with a request as fallback."""

from __future__ import annotations

from typing import Any

from services.intake.adapters.repository import OpinionRepository
from services.intake.handlers.context import ConferenceLookup
from shared.contracts.scheduling import ConferencePlanned


async def record_conference(repo: OpinionRepository, event: ConferencePlanned) -> None:
    """Keep what intake needs of a planned conference (idempotent: an upsert of the same data)."""
    await repo.keep_conference(
        {
            "_id": event.conference_id,
            "title": event.title,
            "level": event.level,
            "unit_code": event.unit_code,
            "unit_name": event.unit_name,
            "starts_at": event.starts_at.isoformat(),
        }
    )


def with_projection(
    repo: OpinionRepository, ask_owner: ConferenceLookup, known: dict[str, dict[str, Any]] | None = None
) -> ConferenceLookup:
    """A lookup that reads the projection first and asks scheduling when it lags behind.

    ``known`` is a per-process memo of conferences already found: what intake reads of a conference
    (its unit and level) never changes once planned, and every opinion of a conference needs it.
    """
    memo = known if known is not None else {}

    async def lookup(conference_id: str) -> dict[str, Any] | None:
        if conference_id in memo:
            return memo[conference_id]
        found = await repo.conference(conference_id)
        if found is None:
            found = await ask_owner(conference_id)
            if found is not None:
                await repo.keep_conference({**found, "_id": conference_id})
        if found is not None:
            if len(memo) >= 1024:
                memo.pop(next(iter(memo)))
            memo[conference_id] = found
        return found

    return lookup
