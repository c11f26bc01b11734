"""Every scheduling event says who gave the command (issue 15), old senders and old documents included."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from services.scheduling import handlers
from services.scheduling.adapters.repository import CONFERENCES
from services.scheduling.adapters.wire import to_contract
from services.scheduling.domain import Conference, ConferenceState, event_from_doc
from shared.contracts import scheduling as contracts
from shared.errors import DomainError

from .factories import ANNOUNCED_AT, PLANNED_AT, details, in_state, units
from .handler_fixtures import NOW, Bed, cmd, plan_payload

pytestmark = pytest.mark.unit
SECRETARY = "Trần Thị Bình (vp-binh-luc)"
HEAD = "Nguyễn Văn An (ld-binh-luc)"
HELD = dt.datetime(2026, 12, 5, 4, 0, tzinfo=dt.UTC)  # 11:00 on 05/12/2026, after the conference


async def test_every_command_of_a_conference_life_puts_its_sender_in_its_event() -> None:
    bed = Bed()
    moved = {"starts_at": "2026-12-05T08:30:00+07:00", "ends_at": "2026-12-05T11:00:00+07:00"}
    steps = [
        (handlers.plan, plan_payload(by=SECRETARY), NOW),
        (handlers.reschedule, cmd("c-1", "r", by=SECRETARY, **moved), NOW),
        (handlers.announce, cmd("c-1", "a", by=SECRETARY), NOW),
        (handlers.hold, cmd("c-1", "h", by=SECRETARY, attendee_count=90, opinion_count=7), HELD),
        (handlers.conclude, cmd("c-1", "k", by=HEAD, summary="Giao các sở.", document="12-TB/ĐU"), HELD),
        (handlers.close, cmd("c-1", "x", by=SECRETARY), HELD),
    ]
    said = []
    for handler, payload, now in steps:
        [event] = (await bed.run(handler, payload, now)).all_events
        said.append((type(event).__name__, event.by))  # type: ignore[attr-defined]
    assert said == [
        ("ConferencePlanned", SECRETARY),
        ("ConferenceRescheduled", SECRETARY),
        ("ConferenceAnnounced", SECRETARY),
        ("ConferenceHeld", SECRETARY),
        ("ConferenceConcluded", HEAD),
        ("ConferenceClosed", SECRETARY),
    ]
    assert [e["by"] for e in bed.store.collections[CONFERENCES]["c-1"]["events"]] == [b for _, b in said]


async def test_postponing_and_cancelling_say_who_did_it() -> None:
    bed = Bed()
    await bed.run(handlers.plan, plan_payload(by=SECRETARY))
    [postponed] = (await bed.run(handlers.postpone, cmd("c-1", "p", by=HEAD, reason="Bão số 3"))).all_events
    [cancelled] = (
        await bed.run(handlers.cancel, cmd("c-1", "c", by=SECRETARY, reason="Bão số 3"))
    ).all_events
    assert (postponed.by, cancelled.by) == (HEAD, SECRETARY)  # type: ignore[attr-defined]


async def test_a_command_from_a_sender_without_by_is_the_secretariats_and_a_conclusion_the_heads() -> None:
    bed = Bed()
    [planned] = (await bed.run(handlers.plan, plan_payload())).all_events
    [announced] = (await bed.run(handlers.announce, cmd("c-1", "a", by="   "))).all_events
    await bed.run(handlers.hold, cmd("c-1", "h", attendee_count=90, opinion_count=7), HELD)
    [concluded] = (
        await bed.run(handlers.conclude, cmd("c-1", "k", summary="Giao các sở.", document="12-TB/ĐU"), HELD)
    ).all_events
    assert (planned.by, announced.by, concluded.by) == ("secretariat", "secretariat", "head")  # type: ignore[attr-defined]


async def test_a_repeated_command_replays_the_first_senders_name() -> None:
    bed = Bed()
    first = await bed.run(handlers.plan, plan_payload(by=SECRETARY))
    again = await bed.run(handlers.plan, plan_payload(by="Người khác"))
    assert [e.by for e in again.all_events] == [e.by for e in first.all_events] == [SECRETARY]  # type: ignore[attr-defined]


async def test_a_too_long_name_is_refused_in_vietnamese() -> None:
    with pytest.raises(DomainError) as refused:
        await Bed().run(handlers.plan, plan_payload(by="A" * 201))
    assert "“by” dài quá 200 ký tự" in refused.value.message


async def test_a_conference_stored_before_by_is_read_and_changed_by_a_new_command() -> None:
    bed = Bed()
    await bed.run(handlers.plan, plan_payload())
    stored = bed.store.collections[CONFERENCES]["c-1"]
    for event in stored["events"]:
        del event["by"]  # as scheduling wrote it before it recorded who
    again = await bed.run(handlers.plan, plan_payload())
    assert [e.by for e in again.all_events] == [None]  # type: ignore[attr-defined]
    [announced] = (await bed.run(handlers.announce, cmd("c-1", "a", by=SECRETARY))).all_events
    assert announced.by == SECRETARY  # type: ignore[attr-defined]


def test_an_event_published_before_by_is_still_read_by_the_contract() -> None:
    [event] = Conference.plan(
        "c-old", details(), units=units(), command_id="p", now=PLANNED_AT, by=SECRETARY
    )[1]
    wire = json.loads(to_contract(event).to_json())
    del wire["by"]
    assert contracts.ConferencePlanned.model_validate(wire).by is None


def test_the_domain_records_the_sender_and_reads_an_old_event_document_without_one() -> None:
    conference = in_state(ConferenceState.PLANNED)
    _, [event] = conference.announce(command_id="a", now=ANNOUNCED_AT, by=SECRETARY)
    assert event.by == SECRETARY
    doc = event.to_doc()
    del doc["by"]
    assert event_from_doc(doc).by is None


async def test_reminders_are_the_systems() -> None:
    bed = Bed()
    await bed.run(handlers.plan, plan_payload(by=SECRETARY))
    await bed.run(handlers.announce, cmd("c-1", "a", by=SECRETARY))
    bed.published.events.clear()
    assert await bed.sweep(dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC)) == 1
    assert [e.by for e in bed.published.events] == ["system"]  # type: ignore[attr-defined]
