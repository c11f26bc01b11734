"""The event recorded when a submission is refused: nothing sent in is lost without a trace."""

from __future__ import annotations

import datetime as dt

from services.intake.domain.events import OpinionRejected
from shared.errors import DomainError
from shared.ids import derived_id

__all__ = ["rejection_for"]


def rejection_for(
    error: DomainError, *, source: str, external_id: str | None, payload_ref: str, at: dt.datetime
) -> OpinionRejected:
    """``OpinionRejected`` for ``error``; the same payload refused twice gives the same event id.

    ``payload_ref`` points at the raw bytes kept by the handler (e.g. the dead-letter subject and
    stream sequence, or a SHA-256 of the payload), never at a copy of them inside the event.
    """
    if at.tzinfo is None:
        raise ValueError("instants must be timezone aware")
    return OpinionRejected(
        event_id=derived_id("rejected", source, payload_ref, error.code),
        occurred_at=at.astimezone(dt.UTC),
        source=source,
        external_id=external_id,
        reason=error.code,
        message=error.message,
        payload_ref=payload_ref,
    )
