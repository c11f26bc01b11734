"""Domain events to wire contracts: the one place that knows both shapes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from services.scheduling.domain import ConferenceData, ConferenceEvent
from services.scheduling.domain.codec import encode
from shared.contracts import scheduling as contracts
from shared.contracts.base import Event

_RENAMES = {
    "start": "starts_at",
    "end": "ends_at",
    "previous_start": "previous_starts_at",
    "previous_end": "previous_ends_at",
    "version": "conference_version",
}

_CLASSES: dict[str, type[contracts.ConferenceEvent]] = {
    cls.__name__: cls
    for cls in (
        contracts.ConferencePlanned,
        contracts.ConferenceAnnounced,
        contracts.ConferenceRescheduled,
        contracts.ConferencePostponed,
        contracts.ConferenceHeld,
        contracts.ConferenceConcluded,
        contracts.ConferenceClosed,
        contracts.ConferenceCancelled,
    )
}


def to_contract(event: ConferenceEvent) -> Event:
    """The wire event for a domain event; same id, correlated by the conference id."""
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(event):
        fields[_RENAMES.get(f.name, f.name)] = encode(getattr(event, f.name))
    fields["correlation_id"] = event.conference_id
    return _CLASSES[event.type].model_validate(fields)


def to_contracts(events: list[ConferenceEvent]) -> list[Event]:
    return [to_contract(e) for e in events]


def snapshot_fields(conference: ConferenceData, now: dt.datetime) -> dict[str, Any]:
    """The common contract fields describing ``conference`` (for events the sweeps emit)."""
    raw = conference.snapshot("", now, "snapshot")
    fields = {_RENAMES.get(k, k): encode(v) for k, v in raw.items()}
    fields["correlation_id"] = conference.id
    return fields
