"""A conference's public page: what it is once announced, and its results once held."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from services.portal.domain.opinion import Doc, steps_of
from services.portal.domain.privacy import public_text
from services.portal.domain.timeline import vn_date, vn_time
from shared.contracts.fields import field_name
from shared.timeutil import to_local

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


def _web_link(link: Any) -> str | None:
    """The online link if it is a web address (never a ``javascript:`` or other scheme)."""
    text = str(link or "").strip()
    return text if text.startswith(("https://", "http://")) else None


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


def conference_view(snapshot: dict[str, Any], docs: list[Doc], today: dt.date) -> ConferenceView:
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
    )
