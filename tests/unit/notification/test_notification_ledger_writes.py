"""How often a notice is written to the ledger, and in which state it is when it goes on the wire."""

from __future__ import annotations

import datetime as dt

import pytest
from notification_events import assigned, overdue
from notification_handler_fakes import World, make_world

from services.notification import handlers
from services.notification.adapters.repository import DELIVERIES
from services.notification.domain.directory import Directory
from services.notification.domain.messages import Message
from shared.contracts.notification import NotificationSent

pytestmark = pytest.mark.unit


def ledger_on_wire(world: World) -> list[dict[str, tuple[str, int]]]:
    """The ledger's (state, version) of every record, each time a message goes on the wire."""
    seen: list[dict[str, tuple[str, int]]] = []

    def look(_: Message) -> None:
        docs = world.store.collections.get(DELIVERIES, {})
        seen.append({key: (doc["state"], int(doc["version"])) for key, doc in docs.items()})

    world.email.on_wire = look
    world.log.on_wire = look
    return seen


async def test_a_new_notice_is_written_once_already_claimed_before_it_goes_on_the_wire(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    seen = ledger_on_wire(world)
    await world.apply(handlers.opinion_assigned, assigned())

    [on_wire] = seen
    assert list(on_wire.values()) == [("sending", 1)]  # inserted in `sending`: no separate intent
    [doc] = world.store.collections[DELIVERIES].values()
    assert (doc["state"], doc["version"]) == ("sent", 2)  # the claim, then the outcome
    assert [type(e) for e in world.published] == [NotificationSent]


async def test_every_notice_of_an_event_is_on_the_ledger_before_the_first_is_sent(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    seen = ledger_on_wire(world)
    await world.apply(handlers.opinion_overdue, overdue())  # the agency and the head it escalates to

    first, second = seen
    assert sorted(first.values()) == [("intended", 1), ("sending", 1)]
    # The second was claimed just before its own send; both outcomes are committed after the sends.
    assert sorted(second.values()) == [("sending", 1), ("sending", 2)]
    states = sorted(doc["state"] for doc in world.store.collections[DELIVERIES].values())
    assert states == ["sent", "sent"]


async def test_a_redelivered_event_finds_its_claimed_notice_and_sends_nothing_again(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.opinion_assigned, assigned())
    await world.apply(handlers.opinion_assigned, assigned())

    assert len(world.email.sent) + len(world.log.sent) == 1
    [doc] = world.store.collections[DELIVERIES].values()
    assert (doc["state"], doc["version"]) == ("sent", 2)
