"""The one projection of a conference a service keeps, fed by every conference event.

Every scheduling event (planned, announced, rescheduled, postponed, held, concluded, closed,
cancelled, and the reminders) carries the conference as it is after the change, with its
``conference_version``. A service that needs to know a conference subscribes once to
``scheduling.conference.>`` and keeps the newest snapshot; it never asks scheduling synchronously.
An older or repeated event changes nothing (idempotent, and order-tolerant across redeliveries).
"""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from shared.contracts.scheduling import Chair
from shared.storage.port import Doc, DocumentStore
from shared.unit_of_work import Change, Outcome

COLLECTION = "conferences"


class ConferenceSnapshot(BaseModel):
    """What every conference event says of the conference (the fields of ``ConferenceEvent``)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    conference_id: str = Field(description="Conference id, unique across the platform.")
    title: str = Field(description="Title of the conference.")
    unit_code: str = Field(description="Host administrative unit code, e.g. 'dong-du'.")
    unit_name: str = Field(default="", description="Host unit name, e.g. 'xã Đồng Du'.")
    level: str = Field(description="Administrative level of the host unit.")
    starts_at: AwareDatetime = Field(description="Start time.")
    ends_at: AwareDatetime = Field(description="End time.")
    chairs: list[Chair] = Field(default_factory=list, description="The heads chairing it.")
    participant_groups: list[str] = Field(default_factory=list, description="Target participant groups.")
    venue: str | None = Field(default=None, description="Venue.")
    format: str = Field(default="in_person", description="in_person, online or hybrid.")
    link: str | None = Field(default=None, description="Link to join online.")
    state: str = Field(default="planned", description="Lifecycle state after the event.")
    conference_version: int = Field(default=1, ge=1, description="Version of the conference after it.")


def to_doc(snapshot: ConferenceSnapshot) -> Doc:
    return {"_id": snapshot.conference_id, **snapshot.model_dump(mode="json")}


def from_doc(doc: Doc) -> ConferenceSnapshot:
    return ConferenceSnapshot.model_validate(doc)


async def load(store: DocumentStore, conference_id: str | None) -> ConferenceSnapshot | None:
    """The newest snapshot this service has of the conference, or None."""
    if not conference_id:
        return None
    doc = await store.get(COLLECTION, conference_id)
    if doc is None:
        return None
    try:
        return from_doc(doc)
    except ValidationError:
        # A projection an older release kept (fewer fields): unknown until the next conference event.
        return None


async def keep(store: DocumentStore, snapshot: ConferenceSnapshot) -> Outcome[None]:
    """The change that records ``snapshot`` if it is newer than the one kept (else nothing)."""
    stored = await store.get(COLLECTION, snapshot.conference_id)
    if stored is not None and int(stored.get("conference_version", 0)) >= snapshot.conference_version:
        return Outcome()
    return Outcome(changes=[Change(COLLECTION, to_doc(snapshot), stored)])
