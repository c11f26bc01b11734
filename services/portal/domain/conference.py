"""A conference's public page: what it is once announced, and its results once held."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from services.portal.domain.opinion import Doc, steps_of
from services.portal.domain.privacy import public_text
from services.portal.domain.timeline import vn_date, vn_time
from shared.contracts.fields import field_name
from shared.timeutil import to_local

# A path on the secretariat's machine (the document itself is not on the portal): never shown.
_FILE = re.compile(r"^(?:[/~.]|[A-Za-z]:\\)|\.(?:docx?|pdf|odt)$", re.IGNORECASE)
PUBLIC_STATES = {"announced", "postponed", "held", "concluded", "closed", "cancelled"}
HELD_STATES = {"held", "concluded", "closed"}
STATES = {
    "announced": "Đã thông báo",
    "postponed": "Tạm hoãn",
    "held": "Đã tổ chức",
    "concluded": "Đã có kết luận",
    "closed": "Đã kết thúc",
    "cancelled": "Đã hủy",
}
FORMATS = {"in_person": "Trực tiếp", "online": "Trực tuyến", "hybrid": "Trực tiếp kết hợp trực tuyến"}
GROUPS = {
    "citizens": "Nhân dân",
    "cadres": "Cán bộ",
    "party_members": "Đảng viên",
    "youth_union_members": "Đoàn viên thanh niên",
    "women_union_members": "Hội viên phụ nữ",
    "farmers": "Nông dân",
    "veterans": "Cựu chiến binh",
}


@dataclass(frozen=True)
class AnswerRow:
    code: str
    opinion: str
    answer: str
    document: str
    on_time: bool | None


@dataclass(frozen=True)
class Conclusion:
    """The head's written conclusion as the public page shows it (no local file path)."""

    summary: str
    document: str
    document_url: str | None
    issued_on: str
    late: bool
    attendees: int | None


@dataclass(frozen=True)
class ConferenceView:
    conference_id: str
    title: str
    unit: str
    state: str
    held: bool
    when: str
    starts_iso: str
    venue: str
    format: str
    link: str | None
    chairs: list[str]
    groups: list[str]
    answers_by_field: dict[str, list[AnswerRow]] = field(default_factory=dict)
    opinions: int = 0
    on_time_rate: str | None = None
    conclusion: Conclusion | None = None
    attendees: int | None = None


def _web_link(link: Any) -> str | None:
    """The online link if it is a web address (never a ``javascript:`` or other scheme)."""
    text = str(link or "").strip()
    return text if text.startswith(("https://", "http://")) else None


RESULT_FIELDS = (
    "attendee_count", "opinion_count", "concluded_at", "late", "conclusion_summary", "conclusion_document",
)  # fmt: skip


def merge_results(
    previous: Doc | None, conference_id: str, version: int, values: dict[str, Any]
) -> Doc | None:
    """The conference's results with ``values`` (of its event at ``version``), None if nothing changes.

    Each value keeps the conference version that said it: a later event wins, a redelivered or an
    older one arriving late changes nothing, so replaying the stream rebuilds the same record.
    """
    doc: Doc = {k: v for k, v in (previous or {}).items() if k != "version"}
    facts: dict[str, Any] = dict(doc.get("facts", {}))
    versions: dict[str, int] = dict(doc.get("versions", {}))
    changed = False
    for key in RESULT_FIELDS:
        value = values.get(key)
        if value is None or versions.get(key, 0) > version or facts.get(key) == value:
            continue
        facts[key], versions[key], changed = value, version, True
    if not changed:
        return None
    return {**doc, "_id": conference_id, "facts": facts, "versions": versions}


def document_parts(text: str | None) -> tuple[str, str | None]:
    """The document's public name and its web address: a local file path is never shown."""
    label: list[str] = []
    url = None
    for part in (p.strip() for p in str(text or "").split(",")):
        if not part:
            continue
        if _web_link(part):
            url = url or part
        elif not _FILE.search(part):
            label.append(part)  # a title or a number such as 125-TB/TU or 15/TB-UBND
    return ", ".join(label) or "Văn bản kết luận", url


def conclusion_of(results: Doc | None) -> Conclusion | None:
    facts: dict[str, Any] = (results or {}).get("facts", {})
    if not facts.get("conclusion_summary") and not facts.get("conclusion_document"):
        return None
    document, url = document_parts(facts.get("conclusion_document"))
    issued = facts.get("concluded_at")
    return Conclusion(
        summary=public_text(facts.get("conclusion_summary")),
        document=document,
        document_url=url,
        issued_on=vn_date(to_local(dt.datetime.fromisoformat(issued)).date()) if issued else "",
        late=bool(facts.get("late")),
        attendees=facts.get("attendee_count"),
    )


def is_public(snapshot: dict[str, Any]) -> bool:
    return str(snapshot.get("state")) in PUBLIC_STATES


def on_time_rate(docs: list[Doc], today: dt.date) -> float | None:
    """Closed on time ÷ (closed + still open and overdue), as 311 programmes count it."""
    closed = on_time = overdue = 0
    for doc in docs:
        if doc.get("status") == "closed" and doc.get("closed_by") != "transferred":
            closed += 1
            on_time += 1 if doc.get("on_time") else 0
        elif (
            doc.get("status") == "open"
            and doc.get("deadline")
            and dt.date.fromisoformat(doc["deadline"]) < today
        ):
            overdue += 1
    return on_time / (closed + overdue) if closed + overdue else None


def conference_view(
    snapshot: dict[str, Any], docs: list[Doc], today: dt.date, results: Doc | None = None
) -> ConferenceView:
    starts = dt.datetime.fromisoformat(snapshot["starts_at"])
    ends = dt.datetime.fromisoformat(snapshot["ends_at"])
    state = str(snapshot.get("state"))
    held = state in HELD_STATES
    answers: dict[str, list[AnswerRow]] = {}
    if held:
        for doc in sorted(docs, key=lambda d: str(d.get("requested_at"))):
            for step in steps_of(doc):
                if step.kind not in ("published", "answered_directly"):
                    continue
                document = (
                    f"Văn bản số {step.document_number} ngày {vn_date(step.document_date)}"
                    if step.kind == "published" and step.document_number
                    else "Trả lời trực tiếp tại hội nghị"
                )
                name = field_name(doc.get("field")) or "Chưa phân loại"
                answers.setdefault(name, []).append(
                    AnswerRow(
                        code=str(doc.get("tracking_code")),
                        opinion=public_text(doc.get("facts", {}).get("content")),
                        answer=public_text(step.answer),
                        document=document,
                        on_time=step.on_time if step.kind == "published" else True,
                    )
                )
    rate = on_time_rate(docs, today) if held else None
    local_end = to_local(ends)
    return ConferenceView(
        conference_id=str(snapshot["conference_id"]),
        title=str(snapshot.get("title", "")),
        unit=str(snapshot.get("unit_name") or snapshot.get("unit_code", "")),
        state=STATES.get(state, state),
        held=held,
        when=f"{vn_time(starts)} đến {local_end.strftime('%H:%M')}"
        if to_local(starts).date() == local_end.date()
        else f"{vn_time(starts)} đến {vn_time(ends)}",
        starts_iso=starts.isoformat(),
        venue=str(snapshot.get("venue") or ""),
        format=FORMATS.get(str(snapshot.get("format")), str(snapshot.get("format", ""))),
        link=_web_link(snapshot.get("link")),
        chairs=[f"{c['title']} {c['name']}".strip() for c in snapshot.get("chairs", [])],
        groups=[GROUPS.get(g, g) for g in snapshot.get("participant_groups", [])],
        answers_by_field=dict(sorted(answers.items())),
        opinions=len(docs),
        on_time_rate=f"{rate * 100:.0f}%" if rate is not None else None,
        conclusion=conclusion_of(results) if held else None,
        attendees=(results or {}).get("facts", {}).get("attendee_count") if held else None,
    )
