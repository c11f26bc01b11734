"""The public search of published answers, by field and by unit, one page at a time.

Only answers a head has published are listed (never a draft waiting for review), and nothing
personal: no submitter (not even the masked name), the opinion's text with contacts hidden. The
filters are checked against the known fields and units, so a typed value is either understood or
refused with a sentence, never passed to the store as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.portal.domain.opinion import Doc, steps_of
from services.portal.domain.privacy import public_text
from services.portal.domain.timeline import vn_date
from shared.contracts.fields import field_name
from shared.errors import DomainError
from shared.timeutil import local_date

PAGE_SIZE = 20
MAX_PAGE = 50  # 1,000 answers deep; past that a narrower filter is the way


@dataclass(frozen=True)
class Search:
    field: str | None = None
    unit: str | None = None
    page: int = 1

    def where(self) -> dict[str, Any]:
        """The store filter: published answers, of the field and unit asked."""
        where: dict[str, Any] = {"published": True}
        if self.field:
            where["field"] = self.field
        if self.unit:
            where["unit_code"] = self.unit
        return where

    def query(self, page: int | None = None) -> str:
        """The page's address query (for the links to the previous and the next page)."""
        parts = [f"linh-vuc={self.field}"] if self.field else []
        parts += [f"don-vi={self.unit}"] if self.unit else []
        parts += [f"trang={page or self.page}"]
        return "&".join(parts)


def parse(params: dict[str, str], fields: set[str], units: set[str]) -> Search:
    """``?linh-vuc=&don-vi=&trang=`` as a ``Search``, or the refusal (code and sentence)."""
    chosen_field = params.get("linh-vuc", "").strip() or None
    chosen_unit = params.get("don-vi", "").strip() or None
    if chosen_field and chosen_field not in fields:
        raise DomainError("unknown_field", "Lĩnh vực đã chọn không có; vui lòng chọn lại trong danh sách.")
    if chosen_unit and chosen_unit not in units:
        raise DomainError("unknown_unit", "Đơn vị đã chọn không có; vui lòng chọn lại trong danh sách.")
    typed = params.get("trang", "1").strip() or "1"
    if not typed.isdigit() or not 1 <= int(typed) <= MAX_PAGE:
        raise DomainError("invalid_page", f"Số trang phải từ 1 đến {MAX_PAGE}; vui lòng chọn lại.")
    return Search(chosen_field, chosen_unit, int(typed))


@dataclass(frozen=True)
class AnswerItem:
    code: str
    field: str
    unit: str
    agency: str
    opinion: str
    answer: str
    document: str
    published_on: str
    on_time: bool | None


@dataclass(frozen=True)
class AnswerPage:
    search: Search
    total: int
    items: list[AnswerItem] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // PAGE_SIZE)))

    @property
    def previous(self) -> int | None:
        return self.search.page - 1 if self.search.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.search.page + 1 if self.search.page < self.pages else None


def item(doc: Doc, unit_names: dict[str, str]) -> AnswerItem | None:
    """One published answer as the search lists it (None if the record has none yet)."""
    published = next((s for s in reversed(steps_of(doc)) if s.kind == "published"), None)
    if published is None or not doc.get("tracking_code"):
        return None
    number = f"Văn bản số {published.document_number}" if published.document_number else "Văn bản trả lời"
    day = f" ngày {vn_date(published.document_date)}" if published.document_date else ""
    unit = str(doc.get("unit_code") or "")
    return AnswerItem(
        code=str(doc["tracking_code"]),
        field=field_name(doc.get("field")) or "Chưa phân loại",
        unit=unit_names.get(unit, unit),
        agency=str(published.agency or doc.get("agency_name") or ""),
        opinion=public_text(doc.get("facts", {}).get("content") or doc.get("facts", {}).get("summary")),
        answer=public_text(published.answer),
        document=number + day,
        published_on=vn_date(local_date(published.at)),
        on_time=published.on_time,
    )


def page_of(search: Search, docs: list[Doc], total: int, unit_names: dict[str, str]) -> AnswerPage:
    """The page asked of ``docs`` (the newest first, as many as the pages up to it)."""
    start = (search.page - 1) * PAGE_SIZE
    items = [i for i in (item(d, unit_names) for d in docs[start : start + PAGE_SIZE]) if i is not None]
    return AnswerPage(search, total, items)
