"""Operator commands: list the ledger, show one delivery, resend one (a new notice, new key)."""

from __future__ import annotations

from typing import Any

from shared.errors import DomainError, NotFound, TransientError
from shared.privacy import mask_phone, redact
from shared.storage.port import ConcurrencyConflict

from .adapters import repository as repo
from .domain.ledger import Delivery, DeliveryState, request_resend
from .domain.triggers import Channel
from .service import Deps, deliver

FAILED = [DeliveryState.FAILED_TRANSIENT.value, DeliveryState.FAILED_PERMANENT.value]
MAX_LIMIT = 1000


def summary(d: Delivery) -> dict[str, Any]:
    """One ledger row for operators; phone numbers are masked."""
    address = d.address
    if address and d.channel is Channel.SMS:
        address = mask_phone(address)
    return {
        "id": d.id,
        "trigger": d.trigger.value,
        "channel": d.channel.value if d.channel else None,
        "recipient_id": d.recipient_id,
        "recipient_name": d.recipient_name,
        "address": address,
        "status": d.state.value,
        "attempts": len(d.history),
        "resends": d.resends,
        "event_id": d.event_id,
        "created_at": d.created_at.isoformat(),
        "sent_at": d.sent_at.isoformat() if d.sent_at else None,
        "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
        "failure_code": d.failure_code,
        "failure_message": redact(d.failure_message) if d.failure_message else None,
    }


def _limit(raw: Any) -> int:
    try:
        value = int(raw if raw is not None else 200)
    except (TypeError, ValueError):
        raise DomainError("invalid_limit", "Giới hạn phải là một số nguyên dương, ví dụ 50.") from None
    if value < 1:
        raise DomainError("invalid_limit", "Giới hạn phải là một số nguyên dương, ví dụ 50.")
    return min(value, MAX_LIMIT)


async def list_deliveries(deps: Deps, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Filters: ``status`` (a state, or ``failed`` for both failure states), ``recipient``, ``trigger``."""
    where: dict[str, Any] = {}
    status = body.get("status")
    if status:
        known = {s.value for s in DeliveryState}
        if status != "failed" and status not in known:
            choices = ", ".join(["failed", *sorted(known)])
            raise DomainError(
                "invalid_status", f"Trạng thái '{status}' không hợp lệ; chọn một trong: {choices}."
            )
        where["state"] = {"$in": FAILED} if status == "failed" else status
    if body.get("recipient"):
        where["recipient_id"] = str(body["recipient"])
    if body.get("trigger"):
        where["trigger"] = str(body["trigger"])
    found = await repo.find(deps.store, where, _limit(body.get("limit")))
    return [summary(s.delivery) for s in found]


async def _load(deps: Deps, body: dict[str, Any]) -> repo.Stored:
    delivery_id = str(body.get("delivery_id") or body.get("id") or "")
    if not delivery_id:
        raise DomainError(
            "missing_delivery_id", "Thiếu mã thông báo (delivery_id); xem 'dialogue notifications list'."
        )
    stored = await repo.load(deps.store, delivery_id)
    if stored is None:
        raise NotFound(
            "delivery_not_found", f"Không có thông báo mã {delivery_id}; xem 'dialogue notifications list'."
        )
    return stored


async def show(deps: Deps, body: dict[str, Any]) -> dict[str, Any]:
    d = (await _load(deps, body)).delivery
    history = [
        {
            "number": a.number,
            "key": a.key,
            "started_at": a.started_at.isoformat(),
            "outcome": a.outcome.value if a.outcome else None,
            "code": a.code,
        }
        for a in d.history
    ]
    return {**summary(d), "history": history}


async def resend(deps: Deps, body: dict[str, Any]) -> dict[str, Any]:
    """Record the operator's resend (a new idempotency key) and send it now."""
    stored = await _load(deps, body)
    again = request_resend(stored.delivery, deps.clock())
    try:
        stored = await repo.save(deps.store, stored, again)
    except ConcurrencyConflict as exc:
        raise TransientError("the delivery changed while it was being resent") from exc
    stored = await deliver(deps, stored)
    return summary(stored.delivery)
