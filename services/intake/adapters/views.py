"""How opinions are shown to operators (full record) and to citizens (public status only)."""

from __future__ import annotations

from typing import Any

from services.intake import domain as d
from services.intake.domain import UNCLASSIFIED
from shared.privacy import redact


def status_of(opinion: d.Opinion) -> str:
    """unclassified (waiting for manual triage), reclassified (by an operator) or classified."""
    if opinion.field == UNCLASSIFIED:
        return "unclassified"
    if any(entry.action == "reclassified" for entry in opinion.history):
        return "reclassified"
    return "classified"


def summary(opinion: d.Opinion, names: dict[str, str]) -> dict[str, Any]:
    """One line of ``intake.cmd.list``: no contact data, content with phone and ID numbers masked."""
    return {
        "opinion_id": opinion.id,
        "tracking_code": opinion.tracking_code,
        "kind": opinion.kind.value,
        "channel": opinion.channel.value,
        "conference_id": opinion.conference_id,
        "field": opinion.field,
        "field_name": names.get(opinion.field, opinion.field),
        "topic_group_id": opinion.topic_group_id,
        "status": status_of(opinion),
        "submitter_name": opinion.submitter.name,
        "content": redact(opinion.content),
        "received_at": opinion.received_at.isoformat(),
    }


def detail(opinion: d.Opinion, names: dict[str, str]) -> dict[str, Any]:
    """``intake.cmd.show``: the full record for operators (the CLI masks the phone)."""
    doc = opinion.to_doc()
    doc.pop("applied", None)
    return {**summary(opinion, names), **doc, "opinion_id": opinion.id, "content": opinion.content}
