"""Operator commands of the notification context, on ``notification.cmd.<verb>`` (request/reply, JSON).

The CLI sends them; the service validates them once, at its door. Delivery ids are the ``id``
column of ``list``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class NotificationCommand(BaseModel):
    """Base of every notification command: frozen, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ListDeliveries(NotificationCommand):
    """``list``: the delivery ledger, oldest first, optionally filtered."""

    status: str | None = Field(
        default=None,
        max_length=40,
        description="A delivery state (intended, sending, sent, failed_transient, failed_permanent), "
        "or 'failed' for both failure states.",
    )
    recipient: str | None = Field(
        default=None, max_length=200, description="Recipient id, e.g. agency:hn-snv."
    )
    trigger: str | None = Field(default=None, max_length=60, description="Trigger, e.g. opinion_assigned.")
    conference_id: str | None = Field(
        default=None,
        max_length=100,
        description="Only notices about this conference or the opinions raised at it.",
    )
    limit: int = Field(default=200, description="Most rows to answer (at least 1; at most 1000 are sent).")


class ShowDelivery(NotificationCommand):
    """``show``: one delivery with every attempt."""

    delivery_id: str = Field(min_length=1, max_length=100, description="Delivery id.")


class ResendDelivery(ShowDelivery):
    """``resend``: send a delivery again now, as a new notice with a new idempotency key."""
