"""What intake reads of other contexts' events for an opinion's path, and where it keeps them.

``AssignmentProgress`` is a tolerant reading of every event on ``assignment.opinion.>``: the fields
the path needs, everything else ignored (``extra="ignore"``, like ``shared.conference_snapshot``),
so an event type a later assignment release adds is recorded, not dead-lettered. Contact data
(``agency_email``) and the opinion's text are never kept. ``NoticeSent`` reads notification's
``notification.delivery.sent`` the same way: the acknowledgement sent to the petitioner is a step
(its recipient is not kept). One document per opinion holds both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.intake.domain.path import Progress
from shared.storage.port import Doc, DocumentStore
from shared.unit_of_work import Change

__all__ = [
    "ACKNOWLEDGED",
    "COLLECTION",
    "AssignmentProgress",
    "NoticeSent",
    "acknowledgement_of",
    "load",
    "progress_of",
    "recorded",
]

COLLECTION = "opinion_progress"
ACKNOWLEDGEMENT_TRIGGER = "opinion_acknowledged"  # notification's trigger for intake's AcknowledgementDue
ACKNOWLEDGED = "acknowledged"


class AssignmentProgress(BaseModel):
    """Any assignment event of an opinion, read for its path (the fields of ``AssignmentEvent`` and more)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: str = Field(min_length=1, description="Id of the assignment event.")
    occurred_at: AwareDatetime = Field(description="When it happened.")
    opinion_id: str = Field(min_length=1, description="Platform id of the opinion.")
    agency_name: str | None = Field(default=None, description="Agency holding the opinion, if any.")
    deadline: dt.date | None = Field(default=None, description="Answer due date, if any.")
    reassigned_from: str | None = Field(default=None, description="Previous agency's code when reassigned.")
    reassigned_from_name: str | None = Field(default=None, description="Previous agency's name.")
    target_body: str | None = Field(default=None, description="Competent body of a transfer.")
    document_number: str | None = Field(default=None, description="Number of the answer document.")
    document_date: dt.date | None = Field(default=None, description="Date of the answer document.")
    answer_summary: str | None = Field(default=None, description="Summary of the published answer.")
    answer: str | None = Field(default=None, description="Answer given at the conference.")
    stars: int | None = Field(default=None, description="The citizen's rating, 1 to 5.")


class NoticeSent(BaseModel):
    """A notice notification delivered (``NotificationSent``), read for the acknowledgement step."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: str = Field(min_length=1, description="Id of the delivery event.")
    correlation_id: str = Field(min_length=1, description="The opinion id, for an opinion's notices.")
    trigger: str = Field(description="What triggered it, e.g. opinion_acknowledged.")
    sent_at: AwareDatetime = Field(description="When the channel accepted it.")


def acknowledgement_of(notice: NoticeSent) -> Progress | None:
    """The acknowledgement step of a delivered notice; None for every other kind of notice."""
    if notice.trigger != ACKNOWLEDGEMENT_TRIGGER:
        return None
    return Progress(event_id=notice.event_id, kind=ACKNOWLEDGED, at=notice.sent_at.astimezone(dt.UTC))


def progress_of(subject: str, event: AssignmentProgress) -> Progress:
    """The path's record of one event received on ``subject`` (its last token names the event)."""
    kind = subject.rsplit(".", 1)[-1]
    return Progress(
        event_id=event.event_id,
        kind=kind,
        at=event.occurred_at.astimezone(dt.UTC),
        agency=event.agency_name,
        deadline=event.deadline,
        previous_agency=event.reassigned_from_name or event.reassigned_from,
        target=event.target_body,
        document_number=event.document_number,
        document_date=event.document_date,
        # Only a published answer is public: a submitted one may still be returned.
        answer=event.answer_summary if kind == "answer-published" else event.answer,
        stars=event.stars,
    )


def _to_doc(p: Progress) -> dict[str, Any]:
    return {
        "event_id": p.event_id,
        "kind": p.kind,
        "at": p.at.isoformat(),
        "agency": p.agency,
        "deadline": p.deadline.isoformat() if p.deadline else None,
        "previous_agency": p.previous_agency,
        "target": p.target,
        "document_number": p.document_number,
        "document_date": p.document_date.isoformat() if p.document_date else None,
        "answer": p.answer,
        "stars": p.stars,
    }


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def _from_doc(doc: dict[str, Any]) -> Progress:
    return Progress(
        event_id=doc["event_id"],
        kind=doc["kind"],
        at=dt.datetime.fromisoformat(doc["at"]),
        agency=doc.get("agency"),
        deadline=_day(doc.get("deadline")),
        previous_agency=doc.get("previous_agency"),
        target=doc.get("target"),
        document_number=doc.get("document_number"),
        document_date=_day(doc.get("document_date")),
        answer=doc.get("answer"),
        stars=doc.get("stars"),
    )


async def load(store: DocumentStore, opinion_id: str) -> tuple[list[Progress], Doc | None]:
    """What assignment said of the opinion so far, and the document it was read from."""
    doc = await store.get(COLLECTION, opinion_id)
    if doc is None:
        return [], None
    return [_from_doc(item) for item in doc.get("events", ())], doc


def recorded(opinion_id: str, progress: Progress, previous: Doc | None) -> Change | None:
    """The change that records ``progress``; None when its event was recorded before."""
    events = list((previous or {}).get("events", ()))
    if any(item.get("event_id") == progress.event_id for item in events):
        return None
    doc = {"_id": opinion_id, "events": [*events, _to_doc(progress)]}
    return Change(COLLECTION, doc, previous)
