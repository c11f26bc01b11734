"""The portal's read model of one opinion: facts and steps from every context's events.

Events reach the portal from three streams in any order (an assignment event may come before
intake's ``received``), and any of them may be redelivered or replayed. So the record keeps the ids
of the events it has applied (``seen``: a second delivery changes nothing), each fact with the time
of the event that said it (a later event wins, an older one arriving late does not), and the steps
sorted by when they happened. What the pages show (status, current agency, deadline, published
answer) is derived from the steps each time the record changes, so replaying the streams into an
empty store rebuilds exactly the same records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.portal.domain.requests import Mark, pending, with_mark
from services.portal.domain.steps import Step

Doc = dict[str, Any]
MAX_SEEN = 500  # an opinion's path has a few dozen events; the bound only guards a runaway producer
CLOSING = {"published", "answered_directly", "transferred"}
# The steps that move the written-answer path on: the last one is the opinion's stage (the inbox's).
STAGES = {
    "assigned", "reassigned", "transferred", "extended", "answered", "returned", "published",
    "answered_directly",
}  # fmt: skip
ONCE = {"received", "acknowledged"}  # told once on the path (an e-mail and an SMS are one acknowledgement)


@dataclass(frozen=True)
class Recorded:
    """One event as the read model takes it: its id, when it happened, facts, maybe a step and a mark
    (an extension or transfer request opened or closed: ``domain.requests``)."""

    event_id: str
    at: dt.datetime
    facts: dict[str, Any]
    step: Step | None = None
    request: Mark | None = None


def record(opinion_id: str, previous: Doc | None, event: Recorded) -> Doc | None:
    """The opinion's record with ``event`` applied, or None when it was applied before."""
    return record_all(opinion_id, previous, [event])[0]


def record_all(
    opinion_id: str, previous: Doc | None, events: Sequence[Recorded]
) -> tuple[Doc | None, list[Recorded]]:
    """The record with ``events`` applied in their order, and those it had not applied before.

    The same record as applying them one at a time (``record``): facts and marks are merged in the
    same order, the steps sorted by the same stable key; the stored steps are read once and the
    derived fields computed once. None (and no event) when every one was applied before.
    """
    doc: Doc = {k: v for k, v in (previous or {}).items() if k != "version"}
    seen: list[str] = list(doc.get("seen", []))
    known = set(seen)
    fresh: list[Recorded] = []
    for event in events:
        if event.event_id not in known:
            known.add(event.event_id)
            fresh.append(event)
    if not fresh:
        return None, []
    doc["_id"] = opinion_id
    doc["seen"] = [*seen, *(e.event_id for e in fresh)][-MAX_SEEN:]
    facts: dict[str, Any] = dict(doc.get("facts", {}))
    facts_at: dict[str, str] = dict(doc.get("facts_at", {}))
    # Each stored step with its stored form: only a new step is written out.
    steps = [(Step.from_doc(s), s) for s in doc.get("steps", [])]
    kinds = {s.kind for s, _ in steps}
    new_marks: list[Mark] = []
    for event in fresh:
        at = event.at.astimezone(dt.UTC).isoformat()
        for key, value in event.facts.items():
            if value is None:
                continue
            if key not in facts_at or facts_at[key] <= at:
                facts[key] = value
                facts_at[key] = at
        step = event.step
        if step is not None and not (step.kind in ONCE and step.kind in kinds):
            steps.append((step, step.to_doc()))
            kinds.add(step.kind)
        if event.request is not None:
            new_marks.append(event.request)
    doc["facts"], doc["facts_at"] = facts, facts_at
    steps.sort(key=lambda pair: pair[0].sort_key)
    doc["steps"] = [stored for _, stored in steps]
    requests = with_mark(doc.get("requests", []), new_marks[0] if new_marks else None)
    for later in new_marks[1:]:  # several requests opened or closed at once: rare
        requests = with_mark([m.to_doc() for m in requests], later)
    doc["requests"] = [m.to_doc() for m in requests]
    return {**doc, **derive(facts, [s for s, _ in steps]), **pending(requests)}, fresh


def derive(facts: dict[str, Any], steps: list[Step]) -> Doc:
    """The fields queries filter and sort on, from the facts and the sorted steps."""
    agency = deadline = None
    published: Step | None = None
    direct: Step | None = None
    rated: Step | None = None
    closed_by: str | None = None
    stage: str | None = None
    for step in steps:
        if step.kind in STAGES:
            stage = step.kind
        if step.kind in ("assigned", "reassigned", "transferred", "extended", "answered", "returned"):
            agency = step.agency or step.target or agency
            deadline = step.deadline or deadline
        if step.kind == "transferred":
            deadline = step.deadline
        if step.kind == "published":
            published = step
        elif step.kind == "answered_directly":
            direct = step
        elif step.kind == "rated":
            rated = step
        if step.kind in CLOSING:
            closed_by = step.kind
        elif step.kind in ("assigned", "reassigned"):
            closed_by = None  # a transfer taken back by a reassignment
    received = facts.get("received_at") or (steps[0].at.isoformat() if steps else None)
    updated = max((s.at for s in steps), default=None)
    return {
        "tracking_code": facts.get("tracking_code"),
        "conference_id": facts.get("conference_id"),
        "field": facts.get("field"),
        "unit_code": facts.get("unit_code"),
        "agency_code": facts.get("agency_code"),
        "stage": stage,
        "status": "closed" if closed_by else "open",
        "closed_by": closed_by,
        "agency_name": agency,
        "deadline": deadline.isoformat() if deadline else None,
        "requested_at": received,
        "updated_at": updated.astimezone(dt.UTC).isoformat() if updated else received,
        "published": published is not None,
        # The answers search sorts on it: a later rating or acknowledgement moves ``updated_at``, not this.
        "published_at": published.at.astimezone(dt.UTC).isoformat() if published else None,
        "on_time": (published.on_time if published else None) if not direct else True,
        "rated": rated is not None,
    }


def steps_of(doc: Doc) -> list[Step]:
    return [Step.from_doc(s) for s in doc.get("steps", [])]
