from __future__ import annotations

import datetime as dt
import json

import pytest

from services.notification.domain.ledger import (
    RETRIES_EXHAUSTED,
    Delivery,
    DeliveryState,
    delivery_id,
    fail_permanently,
    is_due,
    mark_sent,
    mark_transient,
    new_delivery,
    request_resend,
    start_attempt,
)
from services.notification.domain.ledger_doc import from_doc, to_doc
from services.notification.domain.recipients import NO_USABLE_ADDRESS, Recipient
from services.notification.domain.schedule import RetrySchedule, next_retry_at
from services.notification.domain.triggers import Channel, Trigger
from shared.errors import Conflict

pytestmark = pytest.mark.unit

ALICE = Recipient("contact-1", "Ông Nguyễn Văn An", Channel.EMAIL, "an@xa.example")
MINUTE = dt.timedelta(minutes=1)


def intended(now: dt.datetime, event_id: str = "evt-1") -> Delivery:
    return new_delivery(event_id, Trigger.OPINION_ASSIGNED, ALICE, now, context={"k": "v"})


def test_delivery_id_is_deterministic_per_event_recipient_and_channel() -> None:
    assert delivery_id("e", "r", Channel.EMAIL) == delivery_id("e", "r", Channel.EMAIL)
    assert delivery_id("e", "r", Channel.EMAIL) != delivery_id("e", "r", Channel.SMS)
    assert delivery_id("e", "r", Channel.EMAIL) != delivery_id("e2", "r", Channel.EMAIL)


def test_redelivered_event_maps_to_the_record_it_already_created(now: dt.datetime) -> None:
    assert intended(now).id == intended(now + MINUTE).id


def test_a_sent_delivery_is_never_sent_again(now: dt.datetime) -> None:
    sent = mark_sent(start_attempt(intended(now), now), now)
    assert sent.state is DeliveryState.SENT
    assert not is_due(sent, now + dt.timedelta(days=1))
    with pytest.raises(Conflict) as refused:
        start_attempt(sent, now)
    assert refused.value.code == "delivery_already_sent"


def test_a_delivery_found_sending_after_a_crash_is_retried_with_the_same_key(now: dt.datetime) -> None:
    crashed = start_attempt(intended(now), now)
    assert is_due(crashed, now)
    retried = start_attempt(crashed, now + MINUTE)
    assert retried.idempotency_key == crashed.idempotency_key == crashed.id
    assert [a.key for a in retried.history] == [crashed.id, crashed.id]
    assert retried.history[0].outcome is None  # the interrupted attempt stays visible


def test_transient_failure_schedules_a_retry_and_is_not_due_before_it(now: dt.datetime) -> None:
    failed = mark_transient(start_attempt(intended(now), now), now, "timeout", "chậm", now + 5 * MINUTE)
    assert failed.state is DeliveryState.FAILED_TRANSIENT
    assert (failed.attempts, failed.failure_code) == (1, "timeout")
    assert not is_due(failed, now + MINUTE)
    assert is_due(failed, now + 5 * MINUTE)
    with pytest.raises(Conflict):
        start_attempt(failed, now + MINUTE)
    assert start_attempt(failed, now + 5 * MINUTE).attempts == 2


def test_exhausted_retries_become_a_permanent_failure(now: dt.datetime) -> None:
    failed = mark_transient(start_attempt(intended(now), now), now, "server_error", "503", None)
    assert failed.state is DeliveryState.FAILED_PERMANENT
    assert failed.failure_code == RETRIES_EXHAUSTED
    assert "server_error" in (failed.failure_message or "")
    assert failed.history[-1].outcome is DeliveryState.FAILED_TRANSIENT


def test_outcome_can_only_be_recorded_while_sending(now: dt.datetime) -> None:
    with pytest.raises(Conflict):
        mark_sent(intended(now), now)


def test_template_error_fails_permanently_before_any_attempt(now: dt.datetime) -> None:
    failed = fail_permanently(intended(now), now, "template_variable_missing", "thiếu biến")
    assert (failed.state, failed.history) == (DeliveryState.FAILED_PERMANENT, ())


def test_operator_resend_is_a_new_attempt_with_a_new_key_on_the_same_record(now: dt.datetime) -> None:
    sent = mark_sent(start_attempt(intended(now), now), now)
    resent = request_resend(sent, now + MINUTE)
    assert (resent.id, resent.state, resent.attempts) == (sent.id, DeliveryState.INTENDED, 0)
    assert resent.idempotency_key == f"{sent.id}-r1"
    again = mark_sent(start_attempt(resent, now + MINUTE), now + MINUTE)
    assert [a.key for a in again.history] == [sent.id, f"{sent.id}-r1"]


def test_resend_is_refused_while_in_flight(now: dt.datetime) -> None:
    with pytest.raises(Conflict) as refused:
        request_resend(start_attempt(intended(now), now), now)
    assert refused.value.code == "delivery_in_flight"


def test_unreachable_recipient_is_recorded_as_failed_and_cannot_be_resent(now: dt.datetime) -> None:
    nobody = Recipient("citizen:op-9", "Công dân", Channel.EMAIL, None, NO_USABLE_ADDRESS)
    failed = new_delivery("evt-9", Trigger.ANSWER_PUBLISHED, nobody, now)
    assert (failed.state, failed.failure_code) == (DeliveryState.FAILED_PERMANENT, NO_USABLE_ADDRESS)
    with pytest.raises(Conflict):
        request_resend(failed, now)


def test_document_round_trips_through_json(now: dt.datetime) -> None:
    record = mark_transient(start_attempt(intended(now), now), now, "timeout", "chậm", now + MINUTE)
    doc = json.loads(json.dumps(to_doc(record)))
    assert doc["version"] == 1
    assert doc["idempotency_key"] == record.id
    assert from_doc(doc) == record


def test_document_of_an_unknown_version_is_refused(now: dt.datetime) -> None:
    doc = to_doc(intended(now)) | {"version": 99}
    with pytest.raises(ValueError, match="version"):
        from_doc(doc)


def test_retry_schedule_grows_is_capped_and_stops(now: dt.datetime) -> None:
    schedule = RetrySchedule(max_attempts=4, base=MINUTE, cap=3 * MINUTE)
    assert next_retry_at(schedule, 1, now, jitter=0.0) == now + 30 * dt.timedelta(seconds=1)
    second = next_retry_at(schedule, 2, now, jitter=0.999)
    assert second is not None
    assert now + MINUTE <= second < now + 2 * MINUTE
    assert next_retry_at(schedule, 3, now, jitter=1.0) == now + 3 * MINUTE
    assert next_retry_at(schedule, 4, now, jitter=0.5) is None


class FakeLedger:
    """The storage port reduced to what the exactly-once rule needs."""

    def __init__(self) -> None:
        self.records: dict[str, Delivery] = {}

    def save(self, delivery: Delivery) -> None:
        self.records[delivery.id] = delivery


class CrashingWire:
    """Counts messages per key; can crash after the message left, before the outcome is saved."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self.crash_next = False

    def send(self, key: str) -> None:
        self.received.append(key)
        if self.crash_next:
            self.crash_next = False
            raise SystemExit("killed mid-send")


def handle(event_id: str, ledger: FakeLedger, wire: CrashingWire, now: dt.datetime) -> None:
    """The handler's protocol, as the ledger documents it."""
    fresh = intended(now, event_id)
    record = ledger.records.get(fresh.id, fresh)
    ledger.save(record)  # intent before sending
    if not is_due(record, now):
        return
    record = start_attempt(record, now)
    ledger.save(record)
    wire.send(record.idempotency_key)
    ledger.save(mark_sent(record, now))  # outcome after


def test_redelivered_events_and_a_crash_mid_send_yield_one_key_on_the_wire(now: dt.datetime) -> None:
    ledger, wire = FakeLedger(), CrashingWire()
    wire.crash_next = True
    with pytest.raises(SystemExit):
        handle("evt-42", ledger, wire, now)
    for _ in range(3):  # the restarted service gets the event redelivered
        handle("evt-42", ledger, wire, now + MINUTE)
    [record] = ledger.records.values()
    assert record.state is DeliveryState.SENT
    # At-least-once on the wire, but always the same key, so receivers deduplicate it.
    assert set(wire.received) == {record.id}
    assert len(wire.received) == 2
