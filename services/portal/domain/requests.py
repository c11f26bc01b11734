"""An agency's extension and transfer requests waiting for the head, from assignment's events.

An agency asks for a later deadline (``extension-requested``) or for the opinion to go to another
agency (``reassignment-requested``); the head approves or refuses the extension, and answers a
transfer request by reassigning the opinion. Assignment also drops a pending request when the
opinion moves (assigned again, transferred, back to triage) or is answered. The read model keeps a
mark per such event, without the reasons (the head reads them in assignment's case file), and
derives what is pending from the latest mark of each kind: marks arriving in any order, or twice,
give the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from services.portal.domain.inbox import Doc, urgency

EXTENSION, REASSIGNMENT = "extension", "reassignment"
BOTH = (EXTENSION, REASSIGNMENT)
MAX_MARKS = 100
# assignment.opinion.<token> → (the requests it concerns, whether it opens one)
MARKS: dict[str, tuple[tuple[str, ...], bool]] = {
    "extension-requested": ((EXTENSION,), True),
    "deadline-extended": ((EXTENSION,), False),
    "extension-refused": ((EXTENSION,), False),
    "reassignment-requested": ((REASSIGNMENT,), True),
    "assigned": (BOTH, False),
    "transferred": (BOTH, False),
    "triage-queued": (BOTH, False),
    "answer-submitted": (BOTH, False),
    "answered-directly": (BOTH, False),
    "answer-published": (BOTH, False),
}
KIND_NAMES = {EXTENSION: "Đề nghị gia hạn", REASSIGNMENT: "Đề nghị giao cơ quan khác"}


@dataclass(frozen=True)
class Mark:
    """One event that opened or closed a request: when, which kinds, the deadline asked for."""

    event_id: str
    at: dt.datetime
    kinds: tuple[str, ...]
    opens: bool
    deadline: dt.date | None = None

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"event_id": self.event_id, "at": self.at.astimezone(dt.UTC).isoformat(),
                               "kinds": list(self.kinds), "opens": self.opens}  # fmt: skip
        if self.deadline is not None:
            doc["deadline"] = self.deadline.isoformat()
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Mark:
        deadline = dt.date.fromisoformat(doc["deadline"]) if doc.get("deadline") else None
        return cls(str(doc["event_id"]), dt.datetime.fromisoformat(doc["at"]), tuple(doc["kinds"]),
                   bool(doc["opens"]), deadline)  # fmt: skip

    @property
    def sort_key(self) -> tuple[dt.datetime, int, str]:
        # At the same instant a closing event is taken as the later one: nothing stays pending by a tie.
        return (self.at, 0 if self.opens else 1, self.event_id)


def mark(subject: str, event_id: str, at: dt.datetime, requested: dt.date | None = None) -> Mark | None:
    """The mark an event on ``assignment.opinion.<token>`` leaves, or None when it concerns no request."""
    found = MARKS.get(subject.rsplit(".", 1)[-1])
    if found is None:
        return None
    kinds, opens = found
    return Mark(event_id, at, kinds, opens, requested if EXTENSION in kinds and opens else None)


def _latest(marks: list[Mark], kind: str) -> Mark | None:
    return max((m for m in marks if kind in m.kinds), key=lambda m: m.sort_key, default=None)


def pending(marks: list[Mark]) -> Doc:
    """The fields the head's queue filters on: the deadline asked for, a transfer asked, since when."""
    extension, transfer = _latest(marks, EXTENSION), _latest(marks, REASSIGNMENT)
    asked = extension.deadline if extension is not None and extension.opens else None
    open_transfer = transfer is not None and transfer.opens
    since = [m.at for m in (extension if asked else None, transfer if open_transfer else None) if m]
    return {
        "pending_extension": asked.isoformat() if asked else None,
        "pending_reassignment": open_transfer,
        "pending_since": min(since).astimezone(dt.UTC).isoformat() if since else None,
    }


def with_mark(previous: list[dict[str, Any]], new: Mark | None) -> list[Mark]:
    """The stored marks with ``new`` added (the caller has checked the event was not applied before)."""
    marks = [Mark.from_doc(m) for m in previous]
    if new is not None:
        marks.append(new)
    return sorted(marks, key=lambda m: m.sort_key)[-MAX_MARKS:]


@dataclass(frozen=True)
class RequestRow:
    """One line of the head's list of requests."""

    code: str
    kind: str
    summary: str
    agency: str
    deadline: dt.date | None
    asked: dt.date | None
    urgency_text: str

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]


def _date(text: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(text)) if text else None


def request_queue(docs: list[Doc], unit_code: str, today: dt.date, due_soon_days: int) -> list[RequestRow]:
    """The open requests of ``unit_code``'s opinions, oldest request first (one row per request)."""
    rows: list[tuple[str, RequestRow]] = []
    for d in docs:
        if d.get("unit_code") != unit_code or d.get("status") != "open" or not d.get("tracking_code"):
            continue
        facts = d.get("facts", {})
        summary = str(facts.get("content") or facts.get("summary") or "")[:240]
        deadline = _date(d.get("deadline"))
        agency = str(d.get("agency_name") or d.get("agency_code") or "")
        since = str(d.get("pending_since") or "")
        text = urgency(deadline, today, due_soon_days)[1]
        code = str(d["tracking_code"])
        if d.get("pending_extension"):
            asked = _date(d["pending_extension"])
            rows.append((since, RequestRow(code, EXTENSION, summary, agency, deadline, asked, text)))
        if d.get("pending_reassignment"):
            rows.append((since, RequestRow(code, REASSIGNMENT, summary, agency, deadline, None, text)))
    return [r for _, r in sorted(rows, key=lambda pair: (pair[0], pair[1].code, pair[1].kind))]
