"""An opinion's case file as an official reads it: assignment's ``show`` reply made into a page.

Unlike the tracking page, the officials see the reasons (why an answer was returned) and who acted:
they are assignment's own record. Still no contact data: assignment's summary has none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from services.portal.domain.inbox import urgency
from services.portal.domain.timeline import vn_date, vn_time

STATUS = {
    "triage": "Chờ phân loại",
    "assigned": "Đã giao, chờ trả lời",
    "accepted": "Đã tiếp nhận, chờ trả lời",
    "answered": "Đã trả lời, chờ lãnh đạo duyệt",
    "returned": "Bị trả lại, cần trả lời lại",
    "published": "Đã công bố",
    "answered_directly": "Trả lời tại hội nghị",
    "transferred": "Chuyển cấp có thẩm quyền",
}
ACTIONS = {
    "route": "Giao tự động", "assign": "Giao", "reassign": "Giao lại", "accept": "Tiếp nhận",
    "request_reassignment": "Đề nghị giao lại", "submit_answer": "Gửi văn bản trả lời",
    "return_answer": "Trả lại câu trả lời", "reclassify": "Phân loại lại",
    "reroute": "Giao lại theo lĩnh vực mới", "publish": "Công bố", "answer_directly": "Trả lời tại hội nghị",
    "transfer": "Chuyển cấp có thẩm quyền", "request_extension": "Đề nghị gia hạn",
    "approve_extension": "Đồng ý gia hạn", "refuse_extension": "Không đồng ý gia hạn", "rate": "Đánh giá",
    "remind": "Nhắc hạn", "escalate": "Báo cáo quá hạn",
}  # fmt: skip
ANSWERABLE = {"assigned", "accepted", "returned"}
# The history entries whose reason an official reads (the public path never shows them).
WITH_REASON = {"return_answer", "refuse_extension", "request_extension", "request_reassignment"}


@dataclass(frozen=True)
class Entry:
    at: str
    at_iso: str
    action: str
    by: str
    reason: str


@dataclass(frozen=True)
class Pending:
    """A request waiting for the head: why, since when, and the deadline asked for (an extension)."""

    reason: str
    since: str
    asked: str = ""
    asked_iso: str = ""


def _pending(doc: Any) -> Pending | None:
    if not isinstance(doc, dict):
        return None
    since = vn_time(dt.datetime.fromisoformat(str(doc["requested_at"]))) if doc.get("requested_at") else ""
    asked = dt.date.fromisoformat(str(doc["new_deadline"])) if doc.get("new_deadline") else None
    return Pending(str(doc.get("reason") or ""), since, vn_date(asked) if asked else "",
                   asked.isoformat() if asked else "")  # fmt: skip


@dataclass(frozen=True)
class CaseFile:
    opinion_id: str
    code: str
    summary: str
    status: str
    status_name: str
    agency_code: str | None
    agency_name: str
    unit_code: str | None
    deadline: str
    urgency_text: str
    answer: dict[str, Any] | None
    history: list[Entry]
    deadline_iso: str = ""
    extension: Pending | None = None  # the agency's extension request waiting for the head
    reassignment: Pending | None = None  # the agency's transfer request waiting for the head

    @property
    def answerable(self) -> bool:
        return self.status in ANSWERABLE

    @property
    def may_ask_extension(self) -> bool:
        return self.status in ANSWERABLE and self.extension is None and bool(self.deadline_iso)

    @property
    def may_ask_reassignment(self) -> bool:
        return self.status in ANSWERABLE and self.reassignment is None

    @property
    def reviewable(self) -> bool:
        return self.status == "answered"


def _entry(h: dict[str, Any]) -> Entry:
    at = dt.datetime.fromisoformat(str(h["at"]))
    details = h.get("details") or {}
    reason = str(details.get("reason") or "") if h.get("action") in WITH_REASON else ""
    action = str(h.get("action", ""))
    return Entry(vn_time(at), at.isoformat(), ACTIONS.get(action, action), str(h.get("by") or ""), reason)


def case_file(data: dict[str, Any], today: dt.date, due_soon_days: int) -> CaseFile:
    """The page's view of assignment's ``show`` reply."""
    deadline = dt.date.fromisoformat(data["deadline"]) if data.get("deadline") else None
    status = str(data.get("status", ""))
    open_ = status in ANSWERABLE or status == "answered"
    answer = data.get("answer") or None
    if answer and answer.get("document_date"):
        answer = {
            **answer,
            "document_date": vn_date(dt.date.fromisoformat(str(answer["document_date"])[:10])),
        }
    return CaseFile(
        opinion_id=str(data["opinion_id"]),
        code=str(data.get("tracking_code") or data["opinion_id"]),
        summary=str(data.get("summary") or ""),
        status=status,
        status_name=STATUS.get(status, status),
        agency_code=data.get("agency_code"),
        agency_name=str(data.get("agency_name") or ""),
        unit_code=data.get("unit_code"),
        deadline=vn_date(deadline) if deadline else "",
        urgency_text=urgency(deadline, today, due_soon_days)[1] if open_ else "",
        answer=answer,
        history=[_entry(h) for h in data.get("history", [])],
        deadline_iso=deadline.isoformat() if deadline else "",
        extension=_pending(data.get("pending_extension")),
        reassignment=_pending(data.get("pending_reassignment")),
    )
