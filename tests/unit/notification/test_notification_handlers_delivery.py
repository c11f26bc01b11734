"""Delivery outcomes over fakes: retries, the sweep, crash recovery, claims, templates, commands."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from notification_events import approaching, assigned
from notification_handler_fakes import World, make_world

from services.notification import handlers, queries
from services.notification.adapters.repository import Stored
from services.notification.domain.directory import Directory
from services.notification.domain.errors import PermanentChannelError, TransientChannelError
from services.notification.domain.ledger import DeliveryState, start_attempt
from shared.contracts.notification import NotificationFailed, NotificationSent
from shared.contracts.notification_commands import ListDeliveries, ResendDelivery, ShowDelivery
from shared.errors import DomainError, TransientError

pytestmark = pytest.mark.unit


def timeout() -> TransientChannelError:
    return TransientChannelError("timeout", "Máy chủ thư không phản hồi kịp thời.")


async def only(world: World) -> Stored:
    [stored] = await world.deps.repo.find({})
    return stored


async def test_a_transient_failure_after_the_in_process_retries_is_left_for_the_sweep(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now, email_errors=[timeout(), timeout()])
    await world.apply(handlers.opinion_assigned, assigned())

    stored = await only(world)
    assert stored.delivery.state is DeliveryState.FAILED_TRANSIENT
    assert stored.delivery.next_attempt_at == now + dt.timedelta(seconds=30)
    assert world.email.attempts == 2
    assert not world.published

    assert await world.sweep() == 0  # not due yet
    world.clock.advance(seconds=31)
    assert await world.sweep() == 1
    [message] = world.email.sent
    assert message.key == stored.delivery.id  # same idempotency key as the failed attempts
    assert isinstance(world.published[0], NotificationSent)


async def test_a_permanent_refusal_is_recorded_with_its_reason_and_published(
    directory: Directory, now: dt.datetime
) -> None:
    refused = PermanentChannelError("smtp_5xx", "Máy chủ thư từ chối người nhận (550).")
    world = make_world(directory, now, email_errors=[refused])
    await world.apply(handlers.opinion_assigned, assigned())

    stored = await only(world)
    assert (stored.delivery.state, stored.delivery.failure_code) == (
        DeliveryState.FAILED_PERMANENT,
        "smtp_5xx",
    )
    assert world.email.attempts == 1
    [failed] = world.published
    assert isinstance(failed, NotificationFailed)
    assert failed.reason == "smtp_5xx"
    assert world.sample("dialogue_notifications_failed_total", channel="email", trigger="opinion_assigned",
                        reason="smtp_5xx") == 1  # fmt: skip


async def test_a_missing_template_variable_fails_the_delivery_and_the_next_event_still_goes_out(
    directory: Directory, now: dt.datetime, tmp_path: Path
) -> None:
    (tmp_path / "email").mkdir()
    (tmp_path / "email" / "opinion_assigned.subject.j2").write_text("Giao {{ khong_co }}", encoding="utf-8")
    world = make_world(directory, now, templates=tmp_path)
    await world.apply(handlers.opinion_assigned, assigned())
    await world.apply(handlers.deadline_approaching, approaching())

    failed = [e for e in world.published if isinstance(e, NotificationFailed)]
    assert [f.reason for f in failed] == ["template_variable_missing"]
    assert [m.trigger.value for m in world.email.sent] == ["deadline_approaching"]


async def test_a_recipient_without_a_usable_address_is_failed_permanently_without_fallback(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now, fallback=None)
    await world.apply(
        handlers.opinion_assigned, assigned(agency_code="x", agency_name="Sở X", agency_email="bad")
    )

    stored = await only(world)
    assert (stored.delivery.state, stored.delivery.failure_code) == (
        DeliveryState.FAILED_PERMANENT,
        "no_usable_address",
    )
    assert isinstance(world.published[0], NotificationFailed)


async def test_a_delivery_stuck_in_sending_after_a_crash_is_resent_with_the_same_key_after_the_grace(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.opinion_assigned, assigned())
    stored = await only(world)
    # Simulate the crash: the record was saved in `sending`, the outcome never was.
    crashed = start_attempt(replace(stored.delivery, state=DeliveryState.INTENDED, sent_at=None), now)
    await world.deps.repo.claim(stored, crashed)
    world.email.sent.clear()

    await world.apply(handlers.opinion_assigned, assigned())  # redelivery must not send during the grace
    assert await world.sweep() == 0
    assert not world.email.sent
    world.clock.advance(minutes=3)
    assert await world.sweep() == 1
    [message] = world.email.sent
    assert message.key == stored.delivery.id


async def test_two_processes_claiming_the_same_delivery_send_it_once(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now, email_errors=[timeout(), timeout()])
    await world.apply(handlers.opinion_assigned, assigned())
    world.clock.advance(minutes=5)
    stale = await only(world)

    await world.apply(handlers.deliver, stale)
    await world.apply(handlers.deliver, stale)  # the second replica loaded the same version

    assert len(world.email.sent) == 1


async def test_operators_list_failures_and_resend_them_with_a_new_key(
    directory: Directory, now: dt.datetime
) -> None:
    refused = PermanentChannelError("smtp_5xx", "Máy chủ thư từ chối người nhận (550).")
    world = make_world(directory, now, email_errors=[refused])
    await world.apply(handlers.opinion_assigned, assigned())

    rows = await queries.list_deliveries(world.deps, ListDeliveries(status="failed"))
    assert [r["failure_code"] for r in rows] == ["smtp_5xx"]
    assert await queries.list_deliveries(world.deps, ListDeliveries(status="sent")) == []
    again = await world.apply(handlers.resend, ResendDelivery(delivery_id=rows[0]["id"]))

    assert again["status"] == "sent"
    assert world.email.sent[0].key == f"{rows[0]['id']}-r1"
    shown = await queries.show(world.deps, ShowDelivery(delivery_id=rows[0]["id"]))
    assert [h["outcome"] for h in shown["history"]] == ["failed_permanent", "sent"]


async def test_unknown_delivery_and_bad_status_are_refused_with_a_sentence(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now)
    with pytest.raises(DomainError, match="dialogue notifications list"):
        await world.apply(handlers.resend, ResendDelivery(delivery_id="nope"))
    with pytest.raises(DomainError) as bad:
        await queries.list_deliveries(world.deps, ListDeliveries(status="lost"))
    assert bad.value.code == "invalid_status"


async def test_an_outcome_whose_publish_failed_is_published_once_by_the_outbox_sweep(
    directory: Directory, now: dt.datetime
) -> None:
    world = make_world(directory, now, publish_failures=1)
    with pytest.raises(TransientError):
        await world.apply(handlers.opinion_assigned, assigned())  # sent, saved, NATS down at the publish
    assert (await only(world)).delivery.state is DeliveryState.SENT
    assert not world.published

    await world.apply(handlers.opinion_assigned, assigned())  # the event is redelivered
    assert await world.uow.sweep(["notification_deliveries"]) == 1
    assert await world.uow.sweep(["notification_deliveries"]) == 0

    [sent] = world.published
    assert isinstance(sent, NotificationSent)
    assert len(world.email.sent) == 1


async def test_the_ledger_answers_for_one_conference(directory: Directory, now: dt.datetime) -> None:
    world = make_world(directory, now)
    await world.apply(handlers.opinion_assigned, assigned(conference_id="hn-2023-dong-du"))
    await world.apply(handlers.opinion_assigned, assigned("ev-assigned-2", conference_id="bl-2026"))
    await world.apply(handlers.opinion_assigned, assigned("ev-assigned-3", conference_id=None))

    rows = await queries.list_deliveries(world.deps, ListDeliveries(conference_id="bl-2026"))
    assert [r["event_id"] for r in rows] == ["ev-assigned-2"]
    assert [r["conference_id"] for r in rows] == ["bl-2026"]
    assert len(await queries.list_deliveries(world.deps, ListDeliveries())) == 3
