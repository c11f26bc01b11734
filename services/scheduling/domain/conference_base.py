"""The state a conference carries, its queries and its document shape (commands live elsewhere)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Self

from services.scheduling.domain.codec import decode_fields, encode
from services.scheduling.domain.details import ConferenceDetails
from services.scheduling.domain.events import ConferenceEvent, event_from_doc, event_id_for
from services.scheduling.domain.lifecycle import Action, allowed_actions
from services.scheduling.domain.values import ClosingRecord, ConferenceState
from shared.timeutil import local_date


@dataclass(frozen=True, kw_only=True)
class ConferenceData:
    id: str
    level: str
    unit_name: str
    details: ConferenceDetails
    state: ConferenceState
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = 1
    applied: tuple[str, ...] = ()
    history: tuple[ConferenceEvent, ...] = ()
    postponed_from: ConferenceState | None = None
    reason: str | None = None  # of the last postponement or the cancellation
    overridden_conflicts: tuple[str, ...] = ()
    announced_at: dt.datetime | None = None
    held_at: dt.datetime | None = None
    conclusion_due: dt.date | None = None
    concluded_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    cancelled_at: dt.datetime | None = None
    record: ClosingRecord = field(default_factory=ClosingRecord)

    @property
    def title(self) -> str:
        return self.details.title

    @property
    def unit_code(self) -> str:
        return self.details.unit_code

    @property
    def start(self) -> dt.datetime:
        return self.details.start

    @property
    def end(self) -> dt.datetime:
        return self.details.end

    def replay(self, command_id: str) -> list[ConferenceEvent] | None:
        """The events ``command_id`` produced, or None when it was never applied."""
        if command_id not in self.applied:
            return None
        return [e for e in self.history if e.command_id == command_id]

    def snapshot(
        self, command_id: str, now: dt.datetime, event_type: str, by: str | None = None
    ) -> dict[str, Any]:
        """The fields every event carries, describing this conference and who caused the change."""
        d = self.details
        return {
            "event_id": event_id_for(self.id, command_id, event_type),
            "command_id": command_id,
            "occurred_at": now.astimezone(dt.UTC),
            "version": self.version,
            "conference_id": self.id,
            "unit_code": d.unit_code,
            "level": self.level,
            "unit_name": self.unit_name,
            "title": d.title,
            "state": self.state,
            "start": d.start,
            "end": d.end,
            "chairs": d.chairs,
            "participant_groups": d.participant_groups,
            "format": d.format,
            "venue": d.venue,
            "link": d.link,
            "by": by,
        }

    def allowed_actions(self) -> list[Action]:
        return allowed_actions(self.state)

    def is_conclusion_late(self, now: dt.datetime) -> bool:
        """True when the conclusion was, or still is, issued after its due date (Vietnam dates)."""
        if self.conclusion_due is None:
            return False
        if self.concluded_at is not None:
            return local_date(self.concluded_at) > self.conclusion_due
        return self.state is ConferenceState.HELD and local_date(now) > self.conclusion_due

    def to_doc(self) -> dict[str, Any]:
        """A JSON document for the store; ``start_utc``/``end_utc`` are for range queries only."""
        doc: dict[str, Any] = {"_id": self.id}
        for name in self.__dataclass_fields__:
            if name != "id":
                doc[name] = encode(getattr(self, name))
        doc["events"] = doc.pop("history")
        doc.update(
            unit_code=self.unit_code,
            title=self.title,
            programme_year=self.details.year(),
            start_utc=self.start.astimezone(dt.UTC).isoformat(),
            end_utc=self.end.astimezone(dt.UTC).isoformat(),
        )
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        fields = decode_fields(cls, {k: v for k, v in doc.items() if k != "history"})
        fields["history"] = tuple(event_from_doc(e) for e in doc.get("events", []))
        return cls(id=doc["_id"], **fields)
