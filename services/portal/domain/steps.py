"""One step of an opinion's public path, and how an assignment event's subject names it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

# The order of steps that happened at the same instant (e.g. published and rated in one test run).
ORDER = (
    "received", "acknowledged", "assigned", "reassigned", "transferred", "extended", "answered",
    "returned", "answered_directly", "published", "rated",
)  # fmt: skip

# assignment.opinion.<token> → the step it is on the path (tokens not listed are not shown)
ASSIGNMENT_STEPS = {
    "assigned": "assigned",
    "transferred": "transferred",
    "deadline-extended": "extended",
    "answer-submitted": "answered",
    "answer-returned": "returned",
    "answer-published": "published",
    "answered-directly": "answered_directly",
    "answer-rated": "rated",
}


@dataclass(frozen=True)
class Step:
    """What one event said, limited to what the tracking page may show (no names, no reasons)."""

    event_id: str
    kind: str
    at: dt.datetime
    agency: str | None = None
    deadline: dt.date | None = None
    target: str | None = None  # the competent body of a transfer
    document_number: str | None = None
    document_date: dt.date | None = None
    answer: str | None = None  # the published answer's summary, or the answer given at the conference
    on_time: bool | None = None
    stars: int | None = None

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {}
        for name in _FIELDS:
            value = getattr(self, name)
            if isinstance(value, dt.date):  # datetimes too
                value = value.isoformat()
            if value is not None:
                doc[name] = value
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Step:
        values = dict(doc)
        values["at"] = dt.datetime.fromisoformat(values["at"])
        for name in ("deadline", "document_date"):
            if values.get(name):
                values[name] = dt.date.fromisoformat(values[name])
        return cls(**values)

    @property
    def sort_key(self) -> tuple[dt.datetime, int]:
        return (self.at, ORDER.index(self.kind) if self.kind in ORDER else len(ORDER))


_FIELDS = tuple(f.name for f in fields(Step))  # read once: ``fields()`` per call was a third of to_doc


def assignment_step_kind(subject: str, *, transferred: bool = False, reassigned: bool = False) -> str | None:
    """The step an event on ``assignment.opinion.<token>`` is, or None when the path does not show it."""
    kind = ASSIGNMENT_STEPS.get(subject.rsplit(".", 1)[-1])
    if kind == "assigned" and transferred:
        return "transferred"
    if kind == "assigned" and reassigned:
        return "reassigned"
    return kind
