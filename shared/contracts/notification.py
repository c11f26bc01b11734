"""Notification contracts: delivery outcomes."""

from __future__ import annotations

from typing import ClassVar

from pydantic import AwareDatetime, Field

from shared.contracts.base import Event
from shared.subjects import Notification


class NotificationSent(Event):
    """A notice reached its channel (SMTP accepted it, the webhook answered 2xx, the log was written)."""

    SUBJECT: ClassVar[str] = Notification.DELIVERY_SENT

    delivery_id: str = Field(description="Ledger id: one per (trigger event, recipient, channel).")
    trigger: str = Field(description="What triggered it, e.g. opinion_assigned.")
    trigger_event_id: str = Field(description="Event that triggered it.")
    channel: str = Field(description="email, webhook, sms or log.")
    recipient: str = Field(description="Recipient id (agency code, contact id...).")
    sent_at: AwareDatetime = Field(description="When the channel accepted it.")


class NotificationFailed(Event):
    """A notice could not be delivered for good."""

    SUBJECT: ClassVar[str] = Notification.DELIVERY_FAILED

    delivery_id: str = Field(description="Ledger id.")
    trigger: str = Field(description="What triggered it.")
    trigger_event_id: str = Field(description="Event that triggered it.")
    channel: str = Field(description="Channel tried.")
    recipient: str = Field(description="Recipient id.")
    reason: str = Field(description="Reason code, e.g. no_usable_address, template_variable_missing.")
    message: str = Field(description="One sentence for operators.")
