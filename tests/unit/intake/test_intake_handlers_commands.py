"""Operator commands through the handlers: desk entry, list, show, reclassify, track, report."""

from __future__ import annotations

import datetime as dt

import pytest

from shared.contracts.intake import OpinionReclassified
from shared.errors import DomainError, NotFound
from tests.fakes import InMemoryStore
from tests.unit.intake import intake_handler_support as handlers
from tests.unit.intake.intake_handler_support import CONFERENCE, NOW, ask, make_context, payload, raw

pytestmark = pytest.mark.unit


async def test_a_desk_entry_takes_the_same_path_and_a_retry_of_it_is_the_same_opinion() -> None:
    ctx = make_context()
    body = payload("desk-0001", channel="written_petition",
                   submitter={"name": "Lê Văn Ba", "phone": "0912345678", "consent_to_contact": True})  # fmt: skip
    first, data = await handlers.submit_desk(ctx, body, NOW)
    again, repeat = await handlers.submit_desk(ctx, body, NOW)
    assert first.new
    assert not again.new
    assert repeat["duplicate"]
    assert data["tracking_code"] == repeat["tracking_code"]
    assert data["field"] == "land"
    assert "0912345678" not in str(
        [e.model_dump() for e in first.events if type(e).__name__ != "AcknowledgementDue"]
    )


async def test_a_desk_entry_with_an_unknown_conference_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        await handlers.submit_desk(make_context(), payload("desk-2", conference_id="nope"), NOW)
    assert refused.value.code == "unknown_conference"


async def test_reclassification_is_kept_in_history_and_a_repeat_republishes_the_same_event() -> None:
    store = InMemoryStore()
    ctx = make_context(store)
    accepted = await handlers.submit_external(ctx, "demo-portal", raw(payload()), key="k", now=NOW)
    assert accepted.opinion is not None
    code = accepted.opinion.tracking_code
    body = {"tracking_code": code, "field": "agriculture", "by": "Nguyễn Thu", "reason": "Đất nông nghiệp",
            "command_id": "rc-1"}  # fmt: skip
    events, view = await handlers.reclassify(ctx, body, NOW + dt.timedelta(hours=1))
    repeat, _ = await handlers.reclassify(ctx, body, NOW + dt.timedelta(hours=2))
    assert [e.event_id for e in repeat] == [e.event_id for e in events]
    (event,) = events
    assert isinstance(event, OpinionReclassified)
    assert (event.field, event.previous_field, event.level) == ("agriculture", "land", "commune")
    assert view["field"] == "agriculture"
    assert view["status"] == "reclassified"
    assert [h["action"] for h in view["history"]] == ["classified", "grouped", "reclassified"]
    with pytest.raises(DomainError) as refused:
        await handlers.reclassify(ctx, {**body, "field": "no-such", "command_id": "rc-2"}, NOW)
    assert refused.value.code == "unknown_field_code"


async def test_list_filters_by_conference_field_and_status() -> None:
    ctx = make_context()
    await handlers.submit_external(ctx, "demo-portal", raw(payload("a")), key="1", now=NOW)
    await handlers.submit_external(
        ctx, "demo-portal", raw(payload("b", content="Xin hỏi một điều chung chung.", conference_id=None)),
        key="2", now=NOW,
    )  # fmt: skip
    assert [r["field"] for r in await ask(ctx, "list", {"conference_id": CONFERENCE})] == ["land"]
    assert len(await ask(ctx, "list", {"status": "unclassified"})) == 1
    assert len(await ask(ctx, "list", {"field": "land"})) == 1
    with pytest.raises(DomainError):
        await ask(ctx, "list", {"status": "lost"})


async def test_show_finds_by_id_or_code_with_the_full_record_for_operators() -> None:
    ctx = make_context()
    body = payload(submitter={"name": "Trần Thị Hoa", "phone": "0912345678"})
    accepted = await handlers.submit_external(ctx, "demo-portal", raw(body), key="1", now=NOW)
    assert accepted.opinion is not None
    code = accepted.opinion.tracking_code
    shown = await ask(ctx, "show", {"id": code.lower().replace("-", "")})
    assert shown["opinion_id"] == accepted.opinion.id
    assert shown["submitter"]["phone"] == "0912345678"
    with pytest.raises(NotFound):
        await ask(ctx, "show", {"opinion_id": "unknown"})


async def test_the_dong_du_report_counts_opinions_by_field_and_topic(dong_du) -> None:  # type: ignore[no-untyped-def]
    ctx = make_context()
    for n, item in enumerate(dong_du.opinions):
        body = payload(item.external_id, content=item.content, kind=item.kind,
                       submitter={"name": item.name, "role": item.role, "residence": item.residence})  # fmt: skip
        await handlers.submit_external(ctx, "demo-portal", raw(body), key=str(n), now=NOW)
    topics = len({item.topic for item in dong_du.opinions})
    by_conference = await ask(ctx, "report", {"conference_id": CONFERENCE})
    assert by_conference["sentence"] == f"{len(dong_du.opinions)} ý kiến trong {topics} nhóm vấn đề"
    assert sum(f["opinions"] for f in by_conference["fields"]) == len(dong_du.opinions)
    by_dates = await ask(ctx, "report", {"from": "2023-12-20", "to": "2023-12-20"})
    assert by_dates["total"] == len(dong_du.opinions)
    assert (await ask(ctx, "report", {"from": "2023-12-21", "to": "2023-12-31"}))["total"] == 0
    with pytest.raises(DomainError):
        await ask(ctx, "report", {"from": "2023-12-31", "to": "2023-12-01"})
