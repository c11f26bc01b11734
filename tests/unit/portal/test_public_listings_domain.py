"""The citizens' listings as pure functions: the calendar, the answers search, a conference's results."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.portal.domain import answers, calendar
from services.portal.domain.conclusion_text import conclusion_text
from services.portal.domain.conference import conference_view, document_parts, merge_results
from shared.errors import DomainError

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


def snapshot(cid: str, unit: str, state: str, days: float, level: str = "commune") -> dict[str, Any]:
    starts = NOW + dt.timedelta(days=days)
    return {
        "conference_id": cid, "title": f"Hội nghị {cid}", "unit_code": unit, "unit_name": f"xã {unit}",
        "level": level, "state": state, "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=3)).isoformat(), "venue": "Nhà văn hóa", "format": "hybrid",
    }  # fmt: skip


SNAPSHOTS = [
    snapshot("c1", "b", "announced", 9),
    snapshot("c2", "b", "announced", 2),
    snapshot("c3", "b", "planned", 5),
    snapshot("c4", "b", "held", -20),
    snapshot("c5", "a", "postponed", 4),
    snapshot("c6", "tinh", "cancelled", 4, level="province"),
]


def test_the_unit_index_counts_public_and_upcoming_conferences_province_first() -> None:
    rows = calendar.units(SNAPSHOTS, NOW)
    assert [(r.code, r.level, r.upcoming, r.public) for r in rows] == [
        ("tinh", "Cấp tỉnh", 0, 1),
        ("a", "Cấp xã", 1, 1),
        ("b", "Cấp xã", 2, 3),
    ]


def test_a_unit_s_upcoming_conferences_come_soonest_first_and_a_postponed_one_says_so() -> None:
    assert [r.conference_id for r in calendar.upcoming(SNAPSHOTS, "b", NOW)] == ["c2", "c1"]
    [postponed] = calendar.upcoming(SNAPSHOTS, "a", NOW)
    assert postponed.postponed
    assert postponed.state == "Tạm hoãn"
    assert postponed.when == "10:00 ngày 05/12/2026"  # Vietnam time
    assert postponed.format == "Trực tiếp kết hợp trực tuyến"


def test_a_conference_under_way_is_still_coming_up_until_it_ends() -> None:
    started = snapshot("c7", "b", "announced", -0.05)
    assert calendar.is_upcoming(started, NOW)
    assert not calendar.is_upcoming(snapshot("c8", "b", "announced", -0.2), NOW)


def test_the_search_understands_known_filters_only() -> None:
    found = answers.parse({"linh-vuc": "land", "don-vi": "b", "trang": "3"}, {"land"}, {"b"})
    assert found.where() == {"published": True, "field": "land", "unit_code": "b"}
    assert found.query(4) == "linh-vuc=land&don-vi=b&trang=4"
    assert answers.parse({}, {"land"}, {"b"}).where() == {"published": True}
    for params, reason in (
        ({"linh-vuc": "khong-co"}, "unknown_field"),
        ({"don-vi": "x"}, "unknown_unit"),
        ({"trang": "0"}, "invalid_page"),
        ({"trang": "abc"}, "invalid_page"),
        ({"trang": str(answers.MAX_PAGE + 1)}, "invalid_page"),
    ):
        with pytest.raises(DomainError) as refused:
            answers.parse(params, {"land"}, {"b"})
        assert refused.value.code == reason


def published_doc(n: int) -> dict[str, Any]:
    at = (NOW - dt.timedelta(hours=n)).isoformat()
    step = {"event_id": f"e{n}", "kind": "published", "at": at, "agency": "Sở Xây dựng",
            "document_number": f"{n}/SXD", "document_date": "2026-11-30", "answer": "Gọi 0912345678 để hỏi.",
            "on_time": n % 2 == 0}  # fmt: skip
    return {"tracking_code": f"DT-{n}", "field": "transport", "unit_code": "b", "published": True,
            "facts": {"content": f"Đường số {n}", "submitter": "Nguyễn V. T."}, "steps": [step]}  # fmt: skip


def test_a_page_holds_twenty_answers_without_a_name_or_a_phone_number() -> None:
    docs = [published_doc(n) for n in range(45)]
    page = answers.page_of(answers.Search(page=3), docs, 45, {"b": "xã Bình Lục"})
    assert [i.code for i in page.items] == [f"DT-{n}" for n in range(40, 45)]
    assert (page.pages, page.previous, page.next) == (3, 2, None)
    first = page.items[0]
    assert first.unit == "xã Bình Lục"
    assert first.field == "Giao thông"
    assert first.document == "Văn bản số 40/SXD ngày 30/11/2026"
    assert "0912345678" not in first.answer
    assert "Nguyễn" not in repr(page)


def test_results_keep_the_newest_value_of_each_fact_and_a_replay_changes_nothing() -> None:
    held = merge_results(None, "c4", 3, {"attendee_count": 120, "opinion_count": 12})
    assert held is not None
    concluded = merge_results(held, "c4", 4, {"conclusion_summary": "Giao các sở.", "late": False})
    assert concluded is not None
    assert merge_results(concluded, "c4", 4, {"conclusion_summary": "Giao các sở."}) is None
    assert merge_results(concluded, "c4", 2, {"attendee_count": 90}) is None  # older, arriving late
    assert concluded["facts"] == {
        "attendee_count": 120, "opinion_count": 12, "conclusion_summary": "Giao các sở.", "late": False,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thông báo kết luận, /home/vt/var/ket-luan.docx", ("Thông báo kết luận", None)),
        ("Số 125-TB/TU", ("Số 125-TB/TU", None)),
        ("15/TB-UBND, https://ninhbinh.gov.vn/kl.pdf", ("15/TB-UBND", "https://ninhbinh.gov.vn/kl.pdf")),
        ("C:\\van-thu\\ket-luan.docx", ("Văn bản kết luận", None)),
        ("javascript:alert(1)", ("javascript:alert(1)", None)),  # shown as text, never a link
    ],
)
def test_the_conclusion_document_is_named_without_a_local_path(text: str, expected: tuple[str, Any]) -> None:
    assert document_parts(text) == expected


def test_the_download_holds_the_conclusion_and_the_answers_by_field() -> None:
    held = snapshot("c4", "b", "concluded", -20)
    doc = {**published_doc(2), "conference_id": "c4", "status": "closed", "on_time": True}
    results = {"facts": {"conclusion_summary": "Giao Sở Xây dựng sửa đường.", "conclusion_document": "Số 9/TB",
                         "concluded_at": "2026-11-20T02:00:00+00:00", "attendee_count": 80}}  # fmt: skip
    view = conference_view(held, [doc], NOW.date(), results)
    assert view.attendees == 80
    assert view.conclusion is not None
    assert view.conclusion.issued_on == "20/11/2026"
    text = conclusion_text(view)
    assert "KẾT LUẬN (Số 9/TB ngày 20/11/2026)\nGiao Sở Xây dựng sửa đường." in text
    assert "GIAO THÔNG\n1. Ý kiến DT-2: Đường số 2" in text
    assert "Tỉ lệ trả lời đúng hạn: 100%" in text
    announced = conference_view(snapshot("c1", "b", "announced", 9), [], NOW.date(), results)
    assert announced.conclusion is None  # results are shown once it is held
