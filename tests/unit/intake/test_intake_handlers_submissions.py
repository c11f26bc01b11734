"""Submissions through the handlers, on the in-memory store: accepted once, or refused with a reason."""

from __future__ import annotations

import pytest

from services.intake import handlers
from services.intake.deps import UNKNOWN_CONFERENCE_DELIVERIES
from shared.contracts.intake import (
    AcknowledgementDue,
    OpinionClassified,
    OpinionGrouped,
    OpinionReceived,
    OpinionRejected,
    SubmissionOutcome,
)
from shared.errors import TransientError
from tests.fakes import InMemoryStore
from tests.unit.intake.intake_handler_support import (
    CONFERENCE,
    NOW,
    SNAPSHOT,
    make_context,
    payload,
    raw,
    submit_external,
)

pytestmark = pytest.mark.unit


async def test_an_accepted_submission_publishes_its_intake_events_and_a_positive_outcome() -> None:
    ctx = make_context()
    submitter = {**payload()["submitter"], "email": "hoa@example.vn", "consent_to_contact": True}
    result = await submit_external(ctx, "demo-portal", raw(payload(submitter=submitter)), key="s:1", now=NOW)
    assert result.accepted
    assert result.new
    assert result.rejection is None
    kinds = [type(e) for e in result.events]
    assert kinds == [
        OpinionReceived,
        OpinionClassified,
        AcknowledgementDue,
        OpinionGrouped,
        SubmissionOutcome,
    ]
    classified = result.events[1]
    assert isinstance(classified, OpinionClassified)
    assert (classified.field, classified.level, classified.unit_code) == ("land", "commune", "xa-dong-du")
    assert classified.correlation_id == classified.opinion_id
    outcome = result.events[-1]
    assert isinstance(outcome, SubmissionOutcome)
    assert outcome.accepted
    assert outcome.tracking_code == classified.tracking_code
    assert outcome.routing_subject() == "intake.outcome.demo-portal"


async def test_a_duplicate_republishes_the_same_event_ids_and_records_one_opinion() -> None:
    store = InMemoryStore()
    ctx = make_context(store)
    first = await submit_external(ctx, "demo-portal", raw(payload()), key="s:1", now=NOW)
    again = await submit_external(ctx, "demo-portal", raw(payload()), key="s:2", now=NOW)
    redelivered = await submit_external(ctx, "demo-portal", raw(payload()), key="s:1", now=NOW)
    assert not again.new
    assert not redelivered.new
    assert [e.event_id for e in again.events[:-1]] == [e.event_id for e in first.events[:-1]]
    assert again.events[-1].event_id != first.events[-1].event_id  # each message hears back
    assert redelivered.events[-1].event_id == first.events[-1].event_id  # a redelivery does not
    assert await store.count("opinions") == 1


async def test_an_unknown_conference_is_refused_with_its_reason_and_a_dead_letter() -> None:
    ctx = make_context()
    # Not refused at once: the conference's event may be on its way; after a few deliveries it is.
    result = await submit_external(
        ctx, "demo-portal", raw(payload(conference_id="hn-khong-co")), key="s:3", now=NOW,
        deliveries=UNKNOWN_CONFERENCE_DELIVERIES,
    )  # fmt: skip
    assert not result.accepted
    assert result.rejection is not None
    rejected, outcome = result.events
    assert isinstance(rejected, OpinionRejected)
    assert isinstance(outcome, SubmissionOutcome)
    assert rejected.reason == outcome.reason == result.rejection.reason == "unknown_conference"
    assert outcome.external_id == "dd-01"
    assert not outcome.accepted
    assert "hn-khong-co" in outcome.message
    assert rejected.payload_ref == f"deadletter.intake.unknown_conference#{result.rejection.event_id}"
    assert result.rejection.raw_payload == raw(payload(conference_id="hn-khong-co")).decode()


@pytest.mark.parametrize(
    ("source", "body", "reason"),
    [
        ("ai-do", raw(payload()), "unknown_source"),
        ("demo-portal", b"\xff\xfe{", "invalid_utf8"),
        ("demo-portal", b"{not json", "invalid_json"),
        ("demo-portal", raw([1, 2]), "wrong_type"),
        ("demo-portal", raw(payload(extra=1)), "unknown_field"),
        ("demo-portal", raw({"external_id": "x", "submitter": {"name": "A"}}), "missing_field"),
        ("demo-portal", raw(payload(content=5)), "wrong_type"),
        ("demo-portal", raw(payload(content="   ")), "empty_content"),
        ("demo-portal", raw(payload(content="đất " * 3000)), "content_too_long"),
        ("demo-portal", b"{" + b" " * 70_000 + b"}", "payload_too_large"),
        ("demo-portal", raw(payload(kind="rumour")), "invalid_value"),
    ],
)
async def test_bad_input_is_refused_with_a_reason_code_and_a_vietnamese_sentence(
    source: str, body: bytes, reason: str
) -> None:
    result = await submit_external(make_context(), source, body, key="s:9", now=NOW)
    assert not result.accepted
    assert result.error is not None
    assert result.error.code == reason, result.error.message
    assert result.rejection is not None
    assert result.rejection.raw_encoding in {"utf-8", "base64"}


async def test_a_conference_not_known_yet_is_transient_so_the_message_is_retried() -> None:
    with pytest.raises(TransientError):
        await submit_external(
            make_context(conference_known=False), "demo-portal", raw(payload()), key="k", now=NOW
        )


async def test_a_taken_tracking_code_makes_the_new_opinion_derive_the_next_one() -> None:
    store = InMemoryStore()
    ctx = make_context(store)
    from services.intake.domain import opinion_id_for, tracking_code_for

    squatter = await submit_external(
        ctx, "hotline", raw(payload("h-1", conference_id=None)), key="a", now=NOW
    )
    assert squatter.opinion is not None
    taken = tracking_code_for(opinion_id_for("demo-portal", "dd-09"))
    doc = await store.get("opinions", squatter.opinion.id)
    assert doc is not None
    doc["tracking_code"] = taken
    await store.save("opinions", {**doc, "version": doc["version"] + 1})
    result = await submit_external(ctx, "demo-portal", raw(payload("dd-09")), key="b", now=NOW)
    assert result.opinion is not None
    assert result.opinion.tracking_code == tracking_code_for(result.opinion.id, 1) != taken


async def test_the_sixteen_dong_du_opinions_fall_into_the_expected_fields_and_topics(dong_du) -> None:  # type: ignore[no-untyped-def]
    ctx = make_context()
    for n, item in enumerate(dong_du.opinions):
        body = payload(item.external_id, content=item.content, kind=item.kind,
                       submitter={"name": item.name, "role": item.role, "residence": item.residence})  # fmt: skip
        result = await submit_external(ctx, "demo-portal", raw(body), key=f"s:{n}", now=NOW)
        assert result.opinion is not None
        assert result.opinion.field == item.field, item.external_id
    topics = {o.topic_group_id for o in await ctx.repo.find({"conference_id": CONFERENCE})}
    assert len(topics) == len({item.topic for item in dong_du.opinions})


async def test_two_replicas_with_their_own_topic_caches_group_like_one(dong_du) -> None:  # type: ignore[no-untyped-def]
    store = InMemoryStore()
    replicas = [make_context(store), make_context(store)]
    for n, item in enumerate(dong_du.opinions):
        body = payload(item.external_id, content=item.content, kind=item.kind,
                       submitter={"name": item.name, "role": item.role, "residence": item.residence})  # fmt: skip
        # Alternate replicas: each must notice the opinions the other recorded since its last look.
        await submit_external(replicas[n % 2], "demo-portal", raw(body), key=f"r:{n}", now=NOW)
    stored = await replicas[0].repo.find({"conference_id": CONFERENCE})
    by_topic: dict[str, set[str]] = {}
    for opinion, item in zip(
        sorted(stored, key=lambda o: o.external_id or ""), dong_du.opinions, strict=True
    ):
        by_topic.setdefault(item.topic, set()).add(opinion.topic_group_id or "")
    assert all(len(groups) == 1 for groups in by_topic.values())
    assert len({o.topic_group_id for o in stored}) == len(by_topic)


async def test_an_unknown_conference_is_waited_for_until_the_last_allowed_delivery() -> None:
    ctx = make_context()
    body = raw(payload("dd-wait", conference_id="hn-chua-co"))
    for delivery in range(1, UNKNOWN_CONFERENCE_DELIVERIES):
        with pytest.raises(TransientError):
            await submit_external(ctx, "demo-portal", body, key="s:w", now=NOW, deliveries=delivery)
    refused = await submit_external(
        ctx, "demo-portal", body, key="s:w", now=NOW, deliveries=UNKNOWN_CONFERENCE_DELIVERIES
    )
    assert refused.error is not None
    assert refused.error.code == "unknown_conference"


async def test_an_unknown_conference_is_not_refused_while_a_conference_event_is_in_flight() -> None:
    """A snapshot held by a replica that died comes back after the ack wait: until intake's snapshot
    consumer has nothing left to deliver or to see acked, the submission keeps waiting."""
    ctx = make_context()
    in_flight = [True]

    async def snapshots_in_flight() -> bool:
        return in_flight[0]

    object.__setattr__(ctx.deps, "snapshots_in_flight", snapshots_in_flight)
    body = raw(payload("dd-flight", conference_id="hn-chua-co"))
    for delivery in (UNKNOWN_CONFERENCE_DELIVERIES, UNKNOWN_CONFERENCE_DELIVERIES + 3):
        with pytest.raises(TransientError):
            await submit_external(ctx, "demo-portal", body, key="s:f", now=NOW, deliveries=delivery)
    in_flight[0] = False
    refused = await submit_external(
        ctx, "demo-portal", body, key="s:f", now=NOW, deliveries=UNKNOWN_CONFERENCE_DELIVERIES + 4
    )
    assert refused.error is not None
    assert refused.error.code == "unknown_conference"


async def test_a_conference_known_from_any_of_its_events_is_enough_and_the_newest_snapshot_wins() -> None:
    ctx = make_context(conference_known=False)
    moved = SNAPSHOT.model_copy(update={"unit_code": "xa-moi", "state": "announced", "conference_version": 2})
    await ctx.uow.commit([await handlers.keep_conference(ctx.deps, moved)])
    await ctx.uow.commit([await handlers.keep_conference(ctx.deps, SNAPSHOT)])  # older: changes nothing
    result = await submit_external(ctx, "demo-portal", raw(payload("dd-ev")), key="s:e", now=NOW)
    classified = result.events[1]
    assert isinstance(classified, OpinionClassified)
    assert (classified.unit_code, classified.level) == ("xa-moi", "commune")
