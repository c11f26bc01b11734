"""A conference's results as scheduling's events tell them: attendance, the conclusion, the closing record.

The shared conference snapshot (``shared.conference_snapshot``) keeps what every event carries; the
results are only on some (``held``: attendance; ``concluded``: the conclusion and its document;
``closed``: the closing record), so the portal keeps them beside it in ``conference_results``, read
tolerantly (``extra="ignore"``) from every conference event by its own durable consumer.
"""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.portal.deps import Deps
from services.portal.domain.conference import merge_results
from shared import outbox
from shared.storage.port import Doc, DocumentStore
from shared.unit_of_work import Change, Outcome

RESULTS = "conference_results"


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    attendee_count: int | None = None
    opinion_count: int | None = None
    conclusion_summary: str | None = None
    conclusion_document: str | None = None


class ConferenceResults(BaseModel):
    """Any event on ``scheduling.conference.>``, read for what the conference produced."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: str = Field(min_length=1)
    conference_id: str = Field(min_length=1)
    conference_version: int = Field(default=1, ge=1)
    attendee_count: int | None = None
    opinion_count: int | None = None
    concluded_at: AwareDatetime | None = None
    late: bool | None = None
    conclusion_summary: str | None = None
    conclusion_document: str | None = None
    record: Record | None = None

    def values(self) -> dict[str, Any]:
        told = self.record.model_dump() if self.record else {}
        mine = self.model_dump(mode="json", exclude={"record", "event_id", "conference_id"})
        return {**told, **{k: v for k, v in mine.items() if v is not None}}


async def results_of(deps: Deps, conference_id: str) -> Doc | None:
    return await deps.store.get(RESULTS, conference_id)


async def keep_results(deps: Deps, event: ConferenceResults) -> Outcome[None]:
    """The change that records what ``event`` says of the conference's results (else nothing)."""
    previous = await results_of(deps, event.conference_id)
    doc = merge_results(previous, event.conference_id, event.conference_version, event.values())
    return Outcome(changes=[Change(RESULTS, doc, previous)]) if doc is not None else Outcome()


async def ensure_index(store: DocumentStore) -> None:
    await store.ensure_indexes(RESULTS, [outbox.INDEX])
