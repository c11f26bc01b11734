"""The delivery ledger: one record per (trigger event, recipient, channel), and its state machine.

Exactly-once rule. The handler records the intent (``intended``) before touching the wire, moves the
record to ``sending`` and saves it, sends, then records the outcome. A record found in ``sending``
after a crash may or may not have reached the wire, so it is sent again with the SAME idempotency key
(the e-mail Message-ID and the HTTP ``Idempotency-Key`` header derive from it). On the wire that is
at-least-once, deduplicable by receivers that honour the key; everywhere else the ledger guarantees one
notice per key: a redelivered event finds the record and sends nothing, a ``sent`` record is never
sent again. An operator resend is a deliberate new notice, so it gets a new key on the same record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from services.notification.domain.recipients import Recipient
from services.notification.domain.triggers import Channel, Trigger
from shared.errors import Conflict
from shared.ids import derived_id

RETRIES_EXHAUSTED = "retries_exhausted"


class DeliveryState(StrEnum):
    INTENDED = "intended"
    SENDING = "sending"
    SENT = "sent"
    FAILED_TRANSIENT = "failed_transient"
    FAILED_PERMANENT = "failed_permanent"


@dataclass(frozen=True)
class Attempt:
    """One try on the wire; ``outcome`` stays ``None`` while it is in flight (or was interrupted)."""

    number: int
    key: str
    started_at: dt.datetime
    outcome: DeliveryState | None = None
    code: str | None = None
    finished_at: dt.datetime | None = None


@dataclass(frozen=True)
class Delivery:
    """A notice to one recipient on one channel; ``context`` holds JSON-compatible render inputs."""

    id: str
    event_id: str
    trigger: Trigger
    recipient_id: str
    recipient_name: str
    channel: Channel | None
    address: str | None
    state: DeliveryState
    created_at: dt.datetime
    updated_at: dt.datetime
    event_occurred_at: dt.datetime | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    resends: int = 0
    next_attempt_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    provider_id: str | None = None
    history: tuple[Attempt, ...] = ()
    # The conference the triggering event concerns (its own, or the one the opinion was raised at).
    conference_id: str | None = None

    @property
    def idempotency_key(self) -> str:
        """Stable across crash retries; a new one per operator resend."""
        return self.id if self.resends == 0 else f"{self.id}-r{self.resends}"

    @property
    def attempts(self) -> int:
        """Attempts since the record was created or last resent."""
        return sum(1 for a in self.history if a.key == self.idempotency_key)


def delivery_id(event_id: str, recipient_id: str, channel: Channel | None) -> str:
    """Deterministic, so a redelivered event maps to the record it already created."""
    return derived_id(event_id, recipient_id, channel or "none")


def new_delivery(
    event_id: str,
    trigger: Trigger,
    recipient: Recipient,
    now: dt.datetime,
    *,
    occurred_at: dt.datetime | None = None,
    context: Mapping[str, Any] | None = None,
    conference_id: str | None = None,
) -> Delivery:
    """The intent to notify; an unreachable recipient is recorded as a permanent failure at once."""
    delivery = Delivery(
        id=delivery_id(event_id, recipient.id, recipient.channel),
        event_id=event_id,
        trigger=trigger,
        recipient_id=recipient.id,
        recipient_name=recipient.name,
        channel=recipient.channel,
        address=recipient.address,
        state=DeliveryState.INTENDED,
        created_at=now,
        updated_at=now,
        event_occurred_at=occurred_at,
        context=dict(context or {}),
        conference_id=conference_id,
    )
    if recipient.failure is not None:
        return fail_permanently(delivery, now, recipient.failure, _UNREACHABLE)
    return delivery


_UNREACHABLE = "Không có địa chỉ liên lạc hợp lệ cho kênh đã chọn; hãy bổ sung email hoặc số điện thoại."


def is_due(delivery: Delivery, now: dt.datetime) -> bool:
    """Whether the handler should (re)send now; ``sending`` is due because it may be a crash."""
    if delivery.state in (DeliveryState.INTENDED, DeliveryState.SENDING):
        return True
    if delivery.state is DeliveryState.FAILED_TRANSIENT:
        return delivery.next_attempt_at is None or delivery.next_attempt_at <= now
    return False


def start_attempt(delivery: Delivery, now: dt.datetime) -> Delivery:
    """Move to ``sending``; save the result BEFORE sending."""
    if delivery.state is DeliveryState.SENT:
        raise Conflict("delivery_already_sent", "Thông báo này đã được gửi; dùng lệnh gửi lại nếu cần.")
    if delivery.state is DeliveryState.FAILED_PERMANENT:
        raise Conflict("delivery_failed_permanently", "Thông báo này đã thất bại hẳn; dùng lệnh gửi lại.")
    if not is_due(delivery, now):
        raise Conflict(
            "delivery_not_due", "Chưa đến thời điểm gửi lại thông báo này; hãy chờ lần thử kế tiếp."
        )
    attempt = Attempt(number=len(delivery.history) + 1, key=delivery.idempotency_key, started_at=now)
    return replace(
        delivery,
        state=DeliveryState.SENDING,
        updated_at=now,
        next_attempt_at=None,
        history=(*delivery.history, attempt),
    )


def _finish(
    delivery: Delivery, now: dt.datetime, outcome: DeliveryState, code: str | None
) -> tuple[Attempt, ...]:
    if not delivery.history or delivery.history[-1].outcome is not None:
        return delivery.history
    last = replace(delivery.history[-1], outcome=outcome, code=code, finished_at=now)
    return (*delivery.history[:-1], last)


def _require_sending(delivery: Delivery) -> None:
    if delivery.state is not DeliveryState.SENDING:
        raise Conflict("delivery_not_sending", "Chỉ ghi kết quả cho thông báo đang được gửi.")


def mark_sent(delivery: Delivery, now: dt.datetime, provider_id: str | None = None) -> Delivery:
    _require_sending(delivery)
    return replace(
        delivery,
        state=DeliveryState.SENT,
        updated_at=now,
        sent_at=now,
        provider_id=provider_id,
        failure_code=None,
        failure_message=None,
        history=_finish(delivery, now, DeliveryState.SENT, None),
    )


def mark_transient(
    delivery: Delivery, now: dt.datetime, code: str, message: str, retry_at: dt.datetime | None
) -> Delivery:
    """Record a transient failure; ``retry_at=None`` means the retry budget is spent."""
    _require_sending(delivery)
    if retry_at is None:
        failed = replace(delivery, history=_finish(delivery, now, DeliveryState.FAILED_TRANSIENT, code))
        return fail_permanently(failed, now, RETRIES_EXHAUSTED, f"Đã hết số lần thử lại ({code}): {message}")
    return replace(
        delivery,
        state=DeliveryState.FAILED_TRANSIENT,
        updated_at=now,
        next_attempt_at=retry_at,
        failure_code=code,
        failure_message=message,
        history=_finish(delivery, now, DeliveryState.FAILED_TRANSIENT, code),
    )


def fail_permanently(delivery: Delivery, now: dt.datetime, code: str, message: str) -> Delivery:
    """Record a failure that retrying cannot fix (also for a template error before sending)."""
    if delivery.state is DeliveryState.SENT:
        raise Conflict("delivery_already_sent", "Thông báo này đã được gửi; không thể ghi thất bại.")
    return replace(
        delivery,
        state=DeliveryState.FAILED_PERMANENT,
        updated_at=now,
        next_attempt_at=None,
        failure_code=code,
        failure_message=message,
        history=_finish(delivery, now, DeliveryState.FAILED_PERMANENT, code),
    )


def request_resend(delivery: Delivery, now: dt.datetime) -> Delivery:
    """An operator's resend: a new attempt, with a new key, on the same record."""
    if delivery.state in (DeliveryState.INTENDED, DeliveryState.SENDING):
        raise Conflict("delivery_in_flight", "Thông báo đang chờ gửi; không cần gửi lại.")
    if delivery.address is None:
        raise Conflict(
            "no_usable_address", "Người nhận không có địa chỉ hợp lệ; hãy cập nhật danh bạ rồi gửi lại."
        )
    return replace(
        delivery,
        state=DeliveryState.INTENDED,
        updated_at=now,
        resends=delivery.resends + 1,
        next_attempt_at=None,
        failure_code=None,
        failure_message=None,
    )
