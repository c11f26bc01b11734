"""Domain events → shared contracts, with the domain's deterministic ids and the opinion as correlation."""

from __future__ import annotations

import dataclasses
from typing import Any

from services.assignment.domain import events as ev
from services.assignment.domain.agencies import RoutingTable
from shared.contracts import assignment as contracts
from shared.contracts.base import Event
from shared.errors import NotFound

CONTRACTS: dict[str, type[contracts.AssignmentEvent]] = {
    name: getattr(contracts, name) for name in ev.EVENT_TYPES
}


def to_contract(event: ev.Event, table: RoutingTable | None = None) -> Event:
    """The published form of ``event``; reminders and escalations name the agency's head."""
    fields: dict[str, Any] = {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}
    fields["level"] = fields["level"] or None
    fields["unit_code"] = fields["unit_code"] or None
    fields["correlation_id"] = event.opinion_id
    if isinstance(event, ev.DeadlineApproaching | ev.OpinionOverdue) and table and event.agency_code:
        try:
            agency = table.agency(event.agency_code)
        except NotFound:
            agency = None
        if agency is not None:
            fields["head_name"] = agency.head_name or None
            fields["head_title"] = agency.head_title or None
    return CONTRACTS[event.type].model_validate(fields)


def to_contracts(events: tuple[ev.Event, ...], table: RoutingTable | None = None) -> list[Event]:
    return [to_contract(e, table) for e in events]
