"""An opinion's path as a citizen may follow it: received, acknowledged, then what assignment did.

Intake records the opinion; notification tells the petitioner (``notification.delivery.sent`` of the
acknowledgement); assignment routes it, and its events (``assignment.opinion.>``) say what happened
next. Intake keeps one ``Progress`` per such event, keyed by the event's id (a
redelivery changes nothing) and sorted by when it happened (events may arrive in any order). The
path shows only what a person quoting the tracking code may learn: dates, the field, the agencies
and the published answer; never a name or a contact, never an official's internal reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from services.intake.domain.classification import UNCLASSIFIED
from services.intake.domain.opinion import Opinion
from shared.timeutil import to_local

__all__ = ["PathStep", "Progress", "current_sentence", "path_of"]


@dataclass(frozen=True)
class Progress:
    """What one assignment event said of the opinion (only what the path may show)."""

    event_id: str
    kind: str  # the event subject's last token, e.g. "assigned", "answer-published"
    at: dt.datetime
    agency: str | None = None
    deadline: dt.date | None = None
    previous_agency: str | None = None
    target: str | None = None  # the competent body of a transfer
    document_number: str | None = None
    document_date: dt.date | None = None
    answer: str | None = None  # published answer, or the answer given at the conference
    stars: int | None = None


@dataclass(frozen=True)
class PathStep:
    """One step of the path: when, a stable code, a Vietnamese label, and its agency and deadline."""

    at: dt.datetime
    step: str
    label: str
    agency: str | None = None
    deadline: dt.date | None = None
    text: str | None = None

    def to_reply(self) -> dict[str, str | None]:
        return {
            "at": to_local(self.at).isoformat(),
            "step": self.step,
            "label": self.label,
            "agency": self.agency,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "text": self.text,
        }


def _date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def _agency(name: str | None) -> str:
    return name or "cơ quan được giao"


def _agency_first(name: str | None) -> str:
    """The agency at the start of a sentence (names already start with a capital)."""
    text = _agency(name)
    return text[:1].upper() + text[1:]


def _document(p: Progress) -> str:
    number = f" số {p.document_number}" if p.document_number else ""
    day = f" ngày {_date(p.document_date)}" if p.document_date else ""
    return f"văn bản{number}{day}"


def _step(p: Progress) -> PathStep | None:
    """The step an event stands for; None for internal ones (requests, reminders) and new kinds."""
    agency = p.agency
    if p.kind == "acknowledged":
        return PathStep(p.at, "acknowledged", "Đã gửi thông báo kết quả tiếp nhận cho người gửi")
    if p.kind == "assigned" and p.previous_agency:
        label = f"Chuyển từ {p.previous_agency} sang {_agency(agency)} trả lời, hạn {_date(p.deadline)}"
        return PathStep(p.at, "reassigned", label, agency, p.deadline)
    if p.kind == "assigned":
        return PathStep(
            p.at, "assigned", f"Giao {_agency(agency)} trả lời, hạn {_date(p.deadline)}", agency, p.deadline
        )
    if p.kind == "triage-queued":
        return PathStep(p.at, "triage", "Đang chờ phân công cơ quan trả lời")
    if p.kind == "accepted":
        return PathStep(p.at, "accepted", f"{_agency_first(agency)} đã nhận xử lý", agency, p.deadline)
    if p.kind == "transferred":
        body = p.target or agency
        label = f"Chuyển {body or 'cấp có thẩm quyền'} giải quyết theo thẩm quyền"
        if p.deadline:
            label += f", hạn {_date(p.deadline)}"
        return PathStep(p.at, "transferred", label, body, p.deadline)
    if p.kind == "deadline-extended":
        label = f"Gia hạn thời hạn trả lời đến {_date(p.deadline)}"
        return PathStep(p.at, "deadline_extended", label, agency, p.deadline)
    if p.kind == "overdue":
        return PathStep(p.at, "overdue", f"Quá hạn trả lời (hạn {_date(p.deadline)})", agency, p.deadline)
    if p.kind == "answer-submitted":
        label = f"{_agency_first(agency)} đã gửi văn bản trả lời, đang chờ lãnh đạo duyệt"
        return PathStep(p.at, "answered", label, agency, p.deadline)
    if p.kind == "answer-returned":
        label = f"Văn bản trả lời được trả lại để {_agency(agency)} bổ sung, làm rõ"
        return PathStep(p.at, "returned", label, agency, p.deadline)
    if p.kind == "answer-published":
        label = f"Công bố kết quả trả lời: {_document(p)} của {_agency(agency)}"
        return PathStep(p.at, "published", label, agency, None, p.answer)
    if p.kind == "answered-directly":
        return PathStep(
            p.at, "answered_directly", "Đã được trả lời trực tiếp tại hội nghị", None, None, p.answer
        )
    if p.kind == "answer-rated" and p.stars is not None:
        return PathStep(p.at, "rated", f"Người gửi đã đánh giá kết quả trả lời: {p.stars}/5", agency)
    return None


# Two events of the same instant keep the order of the process (a test clock, or one handler's batch).
_ORDER = {
    "received": 0, "acknowledged": 1, "reclassified": 1, "triage": 2, "assigned": 3, "reassigned": 3, "transferred": 3,
    "accepted": 4, "deadline_extended": 5, "overdue": 6, "answered": 7, "returned": 8, "published": 9,
    "answered_directly": 9, "rated": 10,
}  # fmt: skip


def path_of(opinion: Opinion, progress: Iterable[Progress], names: Mapping[str, str]) -> list[PathStep]:
    """The opinion's path, oldest first: its receipt, its reclassifications, then assignment's steps."""
    first = opinion.history[0].field if opinion.history else opinion.field
    if first == UNCLASSIFIED or first is None:
        received = "Tiếp nhận ý kiến, chờ phân loại lĩnh vực"
    else:
        received = f"Tiếp nhận ý kiến, lĩnh vực “{names.get(first, first)}”"
    steps = [PathStep(opinion.received_at, "received", received, deadline=opinion.acknowledgement_due)]
    for entry in opinion.history:
        if entry.action == "reclassified" and entry.field:
            label = f"Chuyển sang lĩnh vực “{names.get(entry.field, entry.field)}”"
            steps.append(PathStep(entry.at, "reclassified", label))
    steps += [step for step in map(_step, progress) if step is not None]
    steps.sort(key=lambda s: (s.at, _ORDER.get(s.step, 99)))
    # The acknowledgement may go out on several channels (e-mail and SMS): the first one tells it.
    acknowledged = [s for s in steps if s.step == "acknowledged"]
    return [s for s in steps if s.step != "acknowledged" or s is acknowledged[0]]


def current_sentence(opinion: Opinion, steps: list[PathStep], names: Mapping[str, str]) -> str:
    """One sentence for the citizen: the receipt and where the opinion stands now."""
    due = _date(opinion.acknowledgement_due)
    field_name = names.get(opinion.field, opinion.field)
    if opinion.field == UNCLASSIFIED:
        head = "Ý kiến đã được tiếp nhận và đang chờ phân loại"
    else:
        head = f"Ý kiến đã được tiếp nhận, thuộc lĩnh vực “{field_name}”"
    now = _standing(steps)
    if now is None:
        return f"{head}; hạn thông báo kết quả tiếp nhận: {due}."
    return f"{head}; {now}."


def _standing(steps: list[PathStep]) -> str | None:
    """Where the opinion stands after its last step that changes it (None: only received)."""
    for step in reversed(steps):
        agency = _agency(step.agency)
        if step.step in ("assigned", "reassigned", "accepted", "deadline_extended", "returned"):
            return f"hiện đang được {agency} giải quyết, hạn trả lời {_date(step.deadline)}"
        if step.step == "triage":
            return "hiện đang chờ phân công cơ quan trả lời"
        if step.step == "transferred":
            return f"đã được chuyển {step.agency or 'cấp có thẩm quyền'} giải quyết theo thẩm quyền"
        if step.step == "overdue":
            return f"đã quá hạn trả lời (hạn {_date(step.deadline)}), {agency} đã được nhắc"
        if step.step == "answered":
            return f"văn bản trả lời của {agency} đang chờ lãnh đạo duyệt"
        if step.step in ("published", "rated"):
            return f"đã có kết quả trả lời của {agency}"
        if step.step == "answered_directly":
            return "đã được trả lời trực tiếp tại hội nghị"
        if step.step == "acknowledged":
            return "đã gửi thông báo kết quả tiếp nhận, đang chờ phân công cơ quan trả lời"
    return None
