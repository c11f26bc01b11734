"""Domain events to wire contracts: the names the domain and the contracts do not share.

``shared.contract_mapping`` picks the contract by class name and keeps the fields it knows; this
adapter only renames the domain's own field names (``start`` is ``starts_at`` on the wire) and turns
nested values (chairs, the closing record, enums) into JSON data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from services.scheduling.domain import ConferenceEvent
from services.scheduling.domain.codec import encode
from shared import contract_mapping
from shared.contracts import scheduling as contracts
from shared.contracts.base import Event

_RENAMES = {
    "start": "starts_at",
    "end": "ends_at",
    "previous_start": "previous_starts_at",
    "previous_end": "previous_ends_at",
    "version": "conference_version",
}


def to_contract(event: ConferenceEvent) -> Event:
    """The wire event for a domain event; same id, correlated by the conference id."""
    fields = {_RENAMES.get(f.name, f.name): encode(getattr(event, f.name)) for f in dataclasses.fields(event)}
    return contract_mapping.to_contract(event, contracts, **fields, correlation_id=event.conference_id)


def to_contracts(events: Iterable[ConferenceEvent]) -> list[Event]:
    return [to_contract(e) for e in events]
