"""Read-only answers to operators: the delivery ledger and one delivery's attempts."""

from __future__ import annotations

from typing import Any

from services.notification.adapters.repository import Stored
from services.notification.adapters.views import detail, summary
from services.notification.deps import Deps
from services.notification.domain.ledger import DeliveryState
from shared.contracts.notification_commands import ListDeliveries, ShowDelivery
from shared.errors import DomainError, NotFound

FAILED = [DeliveryState.FAILED_TRANSIENT.value, DeliveryState.FAILED_PERMANENT.value]
MAX_LIMIT = 1000


async def list_deliveries(deps: Deps, query: ListDeliveries) -> list[dict[str, Any]]:
    """Filters: ``status`` (a state, or ``failed`` for both failure states), ``recipient``, ``trigger``,
    ``conference_id``."""
    where: dict[str, Any] = {}
    if query.status:
        known = {s.value for s in DeliveryState}
        if query.status != "failed" and query.status not in known:
            choices = ", ".join(["failed", *sorted(known)])
            raise DomainError(
                "invalid_status", f"Trạng thái '{query.status}' không hợp lệ; chọn một trong: {choices}."
            )
        where["state"] = {"$in": FAILED} if query.status == "failed" else query.status
    if query.recipient:
        where["recipient_id"] = query.recipient
    if query.trigger:
        where["trigger"] = query.trigger
    if query.conference_id:
        where["conference_id"] = query.conference_id
    if query.limit < 1:
        raise DomainError("invalid_limit", "Giới hạn phải là một số nguyên dương, ví dụ 50.")
    found = await deps.repo.find(where, min(query.limit, MAX_LIMIT))
    return [summary(s.delivery) for s in found]


async def load(deps: Deps, delivery_id: str) -> Stored:
    """The delivery, or a refusal that says where to find the ids."""
    stored = await deps.repo.load(delivery_id)
    if stored is None:
        raise NotFound(
            "delivery_not_found", f"Không có thông báo mã {delivery_id}; xem 'dialogue notifications list'."
        )
    return stored


async def show(deps: Deps, query: ShowDelivery) -> dict[str, Any]:
    return detail((await load(deps, query.delivery_id)).delivery)
