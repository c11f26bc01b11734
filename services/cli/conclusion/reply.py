"""Turn assignment's ``conclusion`` reply into what the renderers take."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.cli.conclusion.notice import ConclusionItem, ConferenceInfo, Outcome, Person, Signer
from shared.timeutil import VN_TZ

KIND_WORDS = ("tỉnh ", "thành phố ", "huyện ", "thị xã ", "xã ", "phường ", "thị trấn ")


def place_of(unit_name: str) -> str:
    """'tỉnh Hà Nam' → 'Hà Nam' (the place line of a notice names the place without its kind)."""
    for word in KIND_WORDS:
        if unit_name.lower().startswith(word):
            return unit_name[len(word) :]
    return unit_name


def _item(row: dict[str, Any]) -> ConclusionItem:
    # Only the keys the notice uses: a reply that grows a key must not break the CLI.
    return ConclusionItem(
        tracking_code=row["tracking_code"],
        summary=row["summary"],
        submitter=row["submitter"],
        field=row["field"],
        outcome=Outcome(row["outcome"]),
        direct_answer=row.get("direct_answer") or "",
        agency_name=row.get("agency_name") or "",
        deadline=dt.date.fromisoformat(row["deadline"]) if row.get("deadline") else None,
        transfer_body=row.get("transfer_body") or "",
    )


def items_of(data: dict[str, Any]) -> list[ConclusionItem]:
    """One notice line per opinion of the reply."""
    return [_item(row) for row in data["items"]]


def info_of(
    data: dict[str, Any], number: str, issued_on: dt.date, issuing_body: str | None = None
) -> ConferenceInfo:
    """The notice's header data: the conference's first chair signs and concludes unless told otherwise."""
    conf = data["conference"]
    unit_name = conf.get("unit_name") or conf.get("unit_code") or ""
    chairs = tuple(Person(c["name"], c["title"]) for c in conf.get("chairs", []))
    first = chairs[0] if chairs else Person("", "Chủ tịch")
    # The day it was held in Vietnam, whatever offset the reply writes the start with.
    starts_at = conf.get("starts_at")
    held = dt.datetime.fromisoformat(starts_at).astimezone(VN_TZ).date() if starts_at else issued_on
    return ConferenceInfo(
        title=(conf.get("title") or f"hội nghị {conf['conference_id']}"),
        unit_name=unit_name,
        level=conf.get("level") or "",
        held_on=held,
        chairs=chairs,
        issuing_body=issuing_body or f"Ủy ban nhân dân {unit_name}",
        document_number=number,
        place=place_of(unit_name),
        issued_on=issued_on,
        signer=Signer(first.name, first.title.upper()),
        concluded_by=f"đồng chí {first.title}" if first.name else "Chủ tịch",
        venue=conf.get("venue") or "",
    )
