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


def with_projection(repo: OpinionRepository, ask_owner: ConferenceLookup) -> ConferenceLookup:
    """A lookup that reads the projection first and asks scheduling when it lags behind."""

    async def lookup(conference_id: str) -> dict[str, Any] | None:
        known = await repo.conference(conference_id)
        if known is not None:
            return known
        found = await ask_owner(conference_id)
        if found is not None:
            await repo.keep_conference({**found, "_id": conference_id})
        return found

    return lookup
