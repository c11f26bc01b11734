"""The outbox's staging stamp on every store: saved, found by age, cleared with the events."""

from __future__ import annotations

import pytest

from shared import outbox
from shared.storage import DocumentStore
from tests.fakes import event_for

pytestmark = pytest.mark.service

T0 = 1_800_000_000.0


def staged(key: str, now: float | None) -> dict[str, object]:
    doc = outbox.stage({"_id": key}, None, f"m-{key}", [event_for(key)], now=T0 if now is None else now)
    if now is None:  # saved by a release before stamps
        del doc[outbox.STAGED_AT]
    return doc


async def test_the_sweep_finds_old_and_unstamped_unpublished_documents_and_not_fresh_ones(
    store: DocumentStore,
) -> None:
    for key, now in (("old", T0 - 10), ("fresh", T0 - 1), ("unstamped", None)):
        await store.save("things", staged(key, now))
    found = await outbox.unpublished(store, ["things"], staged_before=T0 - 3)
    assert sorted(doc["_id"] for _, doc in found) == ["old", "unstamped"]
    every = await outbox.unpublished(store, ["things"])
    assert sorted(doc["_id"] for _, doc in every) == ["fresh", "old", "unstamped"]


async def test_marking_a_document_published_clears_its_stamp(store: DocumentStore) -> None:
    doc = staged("a", T0)
    await store.save("things", doc)
    await outbox.mark_published(store, "things", doc)
    stored = await store.get("things", "a") or {}
    assert stored["has_unpublished"] is False
    assert outbox.staged_at(stored) is None
    assert await store.count("things", {outbox.STAGED_AT: {"$exists": True}}) == 0
