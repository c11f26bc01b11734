"""An agency's inbox and a head's review queue, from the portal's read model of opinions.

The read model knows, from assignment's events, which agency holds an opinion (``agency_code``),
the host unit (``unit_code``), its deadline and its stage (the last step of the written-answer path).
Due soon and overdue are said in words, not only by colour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

Doc = dict[str, Any]
WAITING_FOR_AGENCY = {"assigned", "reassigned", "extended", "returned"}
STAGE_NAMES = {
    "assigned": "Đã giao, chờ trả lời",
    "reassigned": "Được giao lại, chờ trả lời",
    "extended": "Đã gia hạn, chờ trả lời",
    "returned": "Bị trả lại, cần trả lời lại",
    "answered": "Đã trả lời, chờ lãnh đạo duyệt",
}


@dataclass(frozen=True)
class Row:
    code: str
    summary: str
    deadline: dt.date | None
    stage: str
    urgency: str  # "overdue", "due_soon" or ""
    urgency_text: str
    request_text: str = ""  # the agency's request waiting for the head, said in words

    @property
    def stage_name(self) -> str:
        return STAGE_NAMES.get(self.stage, self.stage)


def urgency(deadline: dt.date | None, today: dt.date, due_soon_days: int) -> tuple[str, str]:
    """Overdue (past its deadline) or due soon (within ``due_soon_days``), with the words to show."""
    if deadline is None:
        return "", ""
    days = (deadline - today).days
    if days < 0:
        return "overdue", f"Quá hạn {-days} ngày"
    if days <= due_soon_days:
        return "due_soon", "Đến hạn hôm nay" if days == 0 else f"Sắp đến hạn (còn {days} ngày)"
    return "", ""


def row(doc: Doc, today: dt.date, due_soon_days: int) -> Row:
    deadline = dt.date.fromisoformat(doc["deadline"]) if doc.get("deadline") else None
    level, text = urgency(deadline, today, due_soon_days)
    facts = doc.get("facts", {})
    content = str(facts.get("content") or facts.get("summary") or "")
    return Row(str(doc["tracking_code"]), content[:240], deadline, str(doc.get("stage") or ""), level, text,
               request_text(doc))  # fmt: skip


def request_text(doc: Doc) -> str:
    """The requests waiting for the head (``domain.requests``' fields), in words."""
    said = []
    if doc.get("pending_extension"):
        said.append(
            f"đề nghị gia hạn đến {dt.date.fromisoformat(doc['pending_extension']).strftime('%d/%m/%Y')}"
        )
    if doc.get("pending_reassignment"):
        said.append("đề nghị giao cơ quan khác")
    return f"Đã {' và '.join(said)}, chờ lãnh đạo quyết định" if said else ""


def _by_deadline(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (r.deadline or dt.date.max, r.code))


def inbox(docs: list[Doc], agency_code: str, today: dt.date, due_soon_days: int) -> list[Row]:
    """The open opinions ``agency_code`` holds, earliest deadline first."""
    mine = [
        d for d in docs
        if d.get("agency_code") == agency_code and d.get("status") == "open" and d.get("tracking_code")
        and d.get("stage") in (WAITING_FOR_AGENCY | {"answered"})
    ]  # fmt: skip
    return _by_deadline([row(d, today, due_soon_days) for d in mine])


def review_queue(docs: list[Doc], unit_code: str, today: dt.date, due_soon_days: int) -> list[Row]:
    """The answers of ``unit_code``'s opinions waiting for the head (stage answered)."""
    waiting = [
        d for d in docs
        if d.get("unit_code") == unit_code and d.get("status") == "open" and d.get("stage") == "answered"
        and d.get("tracking_code")
    ]  # fmt: skip
    return _by_deadline([row(d, today, due_soon_days) for d in waiting])


def agency_name(docs: list[Doc], agency_code: str) -> str:
    """The agency's name as assignment's latest event about it says it (its code when none is known)."""
    named = [d for d in docs if d.get("agency_code") == agency_code and d.get("agency_name")]
    latest = max(named, key=lambda d: str(d.get("updated_at") or ""), default=None)
    return str(latest["agency_name"]) if latest else agency_code
