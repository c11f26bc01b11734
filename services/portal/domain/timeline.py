"""The tracking page's view of one opinion: a timeline in Vietnamese, nothing personal but a masked name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from services.portal.domain.opinion import Doc, steps_of
from services.portal.domain.privacy import public_text
from services.portal.domain.steps import Step
from shared.contracts.fields import field_name
from shared.timeutil import to_local

KINDS = {
    "opinion": "Ý kiến",
    "recommendation": "Kiến nghị",
    "proposal": "Đề xuất",
    "feedback": "Phản ánh",
}
STATUS = {"open": "Đang xử lý", "closed": "Đã có kết quả"}


def vn_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def vn_time(instant: dt.datetime) -> str:
    return to_local(instant).strftime("%H:%M ngày %d/%m/%Y")


def label(step: Step) -> str:
    """One sentence per step; an official's reasons and names never appear."""
    agency = step.agency or "cơ quan được giao"
    due = f", hạn trả lời {vn_date(step.deadline)}" if step.deadline else ""
    match step.kind:
        case "received":
            return "Ý kiến đã được tiếp nhận và cấp mã theo dõi."
        case "acknowledged":
            return "Đã gửi thông báo tiếp nhận cho người gửi."
        case "assigned":
            return f"Giao {agency} trả lời{due}."
        case "reassigned":
            return f"Chuyển sang {agency} trả lời{due}."
        case "transferred":
            return f"Chuyển đến cơ quan có thẩm quyền: {step.target or agency}{due}."
        case "extended":
            return f"Gia hạn thời hạn trả lời đến {vn_date(step.deadline)}."
        case "answered":
            return f"{agency} đã gửi văn bản trả lời; đang chờ lãnh đạo duyệt."
        case "returned":
            return f"Lãnh đạo yêu cầu {agency} trả lời lại cho đầy đủ."
        case "published":
            number = f" số {step.document_number}" if step.document_number else ""
            day = f" ngày {vn_date(step.document_date)}" if step.document_date else ""
            return f"Đã công bố văn bản trả lời{number}{day}."
        case "answered_directly":
            return "Đã được trả lời trực tiếp tại hội nghị."
        case "rated":
            return f"Người gửi đã đánh giá mức độ hài lòng: {step.stars}/5."
    return "Cập nhật tình trạng xử lý."


@dataclass(frozen=True)
class TimelineEntry:
    at: str
    at_iso: str
    kind: str
    text: str


@dataclass(frozen=True)
class TrackingView:
    """Everything the tracking page shows."""

    code: str
    kind: str
    field_label: str
    submitter: str
    received: str
    content: str
    status: str
    status_code: str
    agency: str | None
    deadline: str
    conference_id: str | None
    timeline: list[TimelineEntry] = field(default_factory=list)
    answer: dict[str, Any] | None = None  # the published (or direct) answer
    rated: bool = False


def tracking_view(doc: Doc) -> TrackingView:
    facts: dict[str, Any] = doc.get("facts", {})
    steps = steps_of(doc)
    answer: dict[str, Any] | None = None
    for step in steps:
        if step.kind == "published":
            answer = {
                "text": public_text(step.answer),
                "document_number": step.document_number or "",
                "document_date": vn_date(step.document_date),
                "at": vn_time(step.at),
                "direct": False,
            }
        elif step.kind == "answered_directly":
            answer = {"text": public_text(step.answer), "at": vn_time(step.at), "direct": True}
    received = facts.get("received_at")
    deadline = doc.get("deadline")
    return TrackingView(
        code=str(doc.get("tracking_code") or ""),
        kind=KINDS.get(str(facts.get("kind")), "Ý kiến"),
        field_label=field_name(facts.get("field")) if facts.get("field") else "Đang phân loại",
        submitter=str(facts.get("submitter") or "Người dân"),
        received=vn_time(dt.datetime.fromisoformat(received)) if received else "",
        content=public_text(facts.get("content")),
        status=STATUS[str(doc.get("status", "open"))],
        status_code=str(doc.get("status", "open")),
        agency=doc.get("agency_name"),
        deadline=vn_date(dt.date.fromisoformat(deadline)) if deadline else "",
        conference_id=facts.get("conference_id"),
        timeline=[TimelineEntry(vn_time(s.at), s.at.isoformat(), s.kind, label(s)) for s in steps],
        answer=answer,
        rated=bool(doc.get("rated")),
    )


def reply(view: TrackingView, conference_title: str | None) -> dict[str, Any]:
    """``portal.cmd.track``'s answer: what the tracking page shows, for the CLI to render."""
    return {
        "tracking_code": view.code,
        "kind": view.kind,
        "status": view.status,
        "status_code": view.status_code,
        "field": view.field_label,
        "submitter": view.submitter,
        "received": view.received,
        "content": view.content,
        "agency": view.agency,
        "deadline": view.deadline if view.status_code == "open" else "",
        "conference_id": view.conference_id,
        "conference_title": conference_title,
        "timeline": [{"at": t.at, "at_iso": t.at_iso, "step": t.kind, "text": t.text} for t in view.timeline],
        "answer": view.answer,
        "rated": view.rated,
        "page": f"/tra-cuu/{view.code}",
    }
