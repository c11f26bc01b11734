"""The assignment domain's events as the contracts it publishes (``shared.contracts.assignment``)."""

from __future__ import annotations

from collections.abc import Iterable

from services.assignment.domain import events as ev
from services.assignment.domain.agencies import RoutingTable
from shared.contract_mapping import to_contract
from shared.contracts import assignment as contracts
from shared.contracts.base import Event
from shared.errors import NotFound


def to_contracts(events: Iterable[ev.Event], table: RoutingTable) -> list[Event]:
    """Domain events as their contracts, with the opinion as correlation id."""
    return [
        to_contract(
            e,
            contracts,
            correlation_id=e.opinion_id,
            level=e.level or None,
            unit_code=e.unit_code or None,
            **_head(e, table),
        )
        for e in events
    ]


def _head(event: ev.Event, table: RoutingTable) -> dict[str, str | None]:
    """Reminders and escalations name the agency's head as the routing file has it now."""
    if not isinstance(event, ev.DeadlineApproaching | ev.OpinionOverdue) or not event.agency_code:
        return {}
    try:
        agency = table.agency(event.agency_code)
    except NotFound:
        return {}
    return {"head_name": agency.head_name or None, "head_title": agency.head_title or None}
