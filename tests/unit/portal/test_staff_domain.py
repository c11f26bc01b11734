"""The staff pages' pure pieces: pending requests in the read model, the unit's agencies, the dashboard."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from services.portal import handlers
from services.portal.adapters import events
from services.portal.deps import Deps
from services.portal.domain.agencies import learned, names
from services.portal.domain.casefile import case_file
from services.portal.domain.dashboard import dashboard, days_text, periods
from services.portal.domain.inbox import agency_name, inbox
from services.portal.domain.opinion import Recorded, record
from services.portal.domain.requests import mark, pending, request_queue, with_mark
from tests.fakes import InMemoryStore

pytestmark = pytest.mark.unit
T0 = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 1)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def event(token: str, minutes: int, asked: dt.date | None = None) -> Recorded:
    subject = f"assignment.opinion.{token}"
    facts = {"tracking_code": "DT-ABC", "unit_code": "ninh-binh", "agency_code": "nb-sgddt"}
    return Recorded(
        f"{token}-{minutes}",
        at(minutes),
        facts,
        None,
        mark(subject, f"{token}-{minutes}", at(minutes), asked),
    )


def apply_all(events: list[Recorded]) -> dict[str, Any]:
    doc: dict[str, Any] | None = None
    for e in events:
        doc = record("op-1", doc, e) or doc
    assert doc is not None
    return doc


def test_an_extension_request_is_pending_until_the_head_decides_in_whatever_order_the_events_arrive() -> None:
    asked = dt.date(2026, 12, 20)
    path = [event("assigned", 0), event("extension-requested", 5, asked), event("deadline-extended", 9)]
    results = {
        (d["pending_extension"], d["pending_reassignment"]) for order in itertools.permutations(path)
        if (d := apply_all(list(order)))
    }  # fmt: skip
    waiting = apply_all(path[:2])

    assert results == {(None, False)}
    assert waiting["pending_extension"] == "2026-12-20"
    assert waiting["pending_since"] == at(5).isoformat()


def test_a_refusal_an_answer_or_a_reassignment_ends_the_requests_it_concerns() -> None:
    asked = dt.date(2026, 12, 20)
    both = [event("extension-requested", 1, asked), event("reassignment-requested", 2)]

    refused = apply_all([*both, event("extension-refused", 3)])
    answered = apply_all([*both, event("answer-submitted", 3)])
    reassigned = apply_all([*both, event("assigned", 3)])
    accepted = apply_all([*both, event("accepted", 3)])

    assert (refused["pending_extension"], refused["pending_reassignment"]) == (None, True)
    assert (answered["pending_extension"], answered["pending_reassignment"]) == (None, False)
    assert (reassigned["pending_extension"], reassigned["pending_reassignment"]) == (None, False)
    assert (accepted["pending_extension"], accepted["pending_reassignment"]) == ("2026-12-20", True)
    assert accepted["pending_since"] == at(1).isoformat()


def test_a_redelivered_request_changes_nothing_and_a_tie_is_decided_for_the_decision() -> None:
    requested = event("extension-requested", 5, dt.date(2026, 12, 20))
    doc = apply_all([requested])

    assert record("op-1", doc, requested) is None
    same_instant = with_mark([], mark("assignment.opinion.deadline-extended", "x", at(5)))
    same_instant = with_mark([m.to_doc() for m in same_instant], requested.request)
    assert pending(same_instant)["pending_extension"] is None
    assert mark("assignment.opinion.deadline-approaching", "y", at(1)) is None


def test_the_head_s_list_has_one_row_per_open_request_of_its_unit_oldest_first() -> None:
    def doc(code: str, unit: str, since: str, **pending_fields: Any) -> dict[str, Any]:
        return {"_id": code, "tracking_code": code, "unit_code": unit, "status": "open", "deadline": "2026-12-03",
                "agency_name": "Sở Giáo dục và Đào tạo", "pending_since": since,
                "facts": {"content": f"Ý kiến {code}"}, **pending_fields}  # fmt: skip

    docs = [
        doc("B", "ninh-binh", "2026-11-21", pending_extension="2026-12-20", pending_reassignment=True),
        doc("A", "ninh-binh", "2026-11-22", pending_reassignment=True),
        doc("C", "xa-khac", "2026-11-01", pending_reassignment=True),
        {**doc("D", "ninh-binh", "2026-11-01", pending_reassignment=True), "status": "closed"},
    ]

    rows = request_queue(docs, "ninh-binh", TODAY, 3)

    assert [(r.code, r.kind) for r in rows] == [
        ("B", "extension"),
        ("B", "reassignment"),
        ("A", "reassignment"),
    ]
    assert rows[0].asked == dt.date(2026, 12, 20)
    assert rows[0].kind_name == "Đề nghị gia hạn"
    assert rows[0].urgency_text == "Sắp đến hạn (còn 2 ngày)"


def test_the_inbox_names_its_agency_from_the_latest_event_about_it() -> None:
    docs = [
        {
            "agency_code": "hn-sgddt",
            "agency_name": "Sở Giáo dục và Đào tạo tỉnh Hà Nam",
            "updated_at": "2025-03-01",
        },
        {"agency_code": "hn-sgddt", "agency_name": "Sở GD&ĐT (tên mới)", "updated_at": "2025-04-01"},
        {"agency_code": "hn-syt", "agency_name": "Sở Y tế", "updated_at": "2025-05-01"},
    ]

    assert agency_name(docs, "hn-sgddt") == "Sở GD&ĐT (tên mới)"
    assert agency_name([], "nb-sgddt") == "nb-sgddt"


def test_a_unit_learns_each_agency_once_and_keeps_the_newest_name() -> None:
    first = learned(None, "ninh-binh", "nb-sgddt", "Sở Giáo dục", at(0))
    assert first is not None
    second = learned({**first, "version": 1}, "ninh-binh", "nb-syt", "Sở Y tế", at(1))
    assert second is not None
    renamed = learned({**second, "version": 2}, "ninh-binh", "nb-sgddt", "Sở Giáo dục và Đào tạo", at(2))
    assert renamed is not None

    assert learned(first, "ninh-binh", "nb-sgddt", "Sở Giáo dục", at(5)) is None  # nothing new
    assert learned(renamed, "ninh-binh", "nb-sgddt", "Tên cũ", at(1)) is None  # an older event, late
    assert "version" not in renamed
    assert names(renamed) == {"nb-sgddt": "Sở Giáo dục và Đào tạo", "nb-syt": "Sở Y tế"}
    assert names(None) == {}


async def test_the_assignment_handler_records_the_unit_s_agency_but_not_a_transfer_nor_a_replay() -> None:
    deps = Deps(store=InMemoryStore(), clock=lambda: T0)
    base = {"opinion_id": "op-1", "tracking_code": "DT-ABC", "unit_code": "xa-binh-luc", "agency_code": "bl-kt",
            "agency_name": "Phòng Kinh tế xã Bình Lục", "occurred_at": T0}  # fmt: skip
    assigned = events.AssignmentStep(event_id="e-1", **base)
    transferred = events.AssignmentStep(**{**base, "event_id": "e-2", "agency_code": "nb-snnmt",
                                           "agency_name": "Sở Nông nghiệp và Môi trường", "transferred": True})  # fmt: skip

    first = await handlers.on_assignment(deps, "assignment.opinion.assigned", assigned)
    for change in first.changes:
        await deps.store.save(change.collection, {**change.doc, "version": 1})
    replayed = await handlers.on_assignment(deps, "assignment.opinion.assigned", assigned)
    moved = await handlers.on_assignment(deps, "assignment.opinion.assigned", transferred)

    assert [c.collection for c in first.changes] == ["opinions", "unit_agencies"]
    assert first.changes[1].doc["agencies"]["bl-kt"]["name"] == "Phòng Kinh tế xã Bình Lục"
    assert list(replayed.changes) == []
    assert [c.collection for c in moved.changes] == ["opinions"]


def test_the_case_file_shows_the_pending_extension_with_the_date_asked_and_the_reason() -> None:
    data = {"opinion_id": "op-1", "tracking_code": "DT-ABC", "status": "accepted", "deadline": "2026-12-10",
            "pending_extension": {"reason": "Cần khảo sát", "requested_at": T0.isoformat(), "new_deadline": "2026-12-20"},
            "pending_reassignment": None, "history": []}  # fmt: skip

    found = case_file(data, TODAY, 3)

    assert found.extension is not None
    assert (found.extension.asked, found.extension.asked_iso, found.extension.reason) == (
        "20/12/2026", "2026-12-20", "Cần khảo sát")  # fmt: skip
    assert found.reassignment is None
    assert not found.may_ask_extension
    assert found.may_ask_reassignment
    assert found.deadline_iso == "2026-12-10"


REPORT = {
    "period": "2026", "start": "2026-01-01", "end": "2026-12-31", "as_of": "2026-12-01",
    "rows": [
        {"agency_code": "nb-sgddt", "agency_name": "Sở Giáo dục và Đào tạo", "assigned": 4, "answered_on_time": 2,
         "answered_late": 1, "open_overdue": 1, "median_working_days": 6.5, "p90_working_days": 12.2,
         "max_working_days": 14.0, "on_time_rate_text": "50.0%",
         "ratings": 2, "average_rating_text": "4.5/5 (2 lượt)"},
        {"agency_code": "nb-syt", "agency_name": "Sở Y tế", "assigned": 1, "answered_on_time": 1, "answered_late": 0,
         "open_overdue": 0, "median_working_days": 3.0, "on_time_rate_text": "100.0%", "ratings": 0,
         "average_rating_text": "—"},
        {"agency_code": "xa-khac", "agency_name": "Phòng Kinh tế xã khác", "assigned": 9, "answered_on_time": 0,
         "answered_late": 0, "open_overdue": 9, "median_working_days": None, "on_time_rate_text": "0.0%",
         "ratings": 0, "average_rating_text": "—"},
    ],
    # assignment's total of the two rows the portal asked for (agency_codes): pooled answers' percentiles
    "total": {"agency_code": "", "agency_name": "", "assigned": 5, "answered_on_time": 3, "answered_late": 1,
              "open_overdue": 1, "median_working_days": 5.0, "p90_working_days": 11.4, "max_working_days": 14.0,
              "on_time_rate_text": "60.0%", "ratings": 2, "average_rating_text": "4.5/5 (2 lượt)"},
}  # fmt: skip


def test_the_dashboard_keeps_assignment_s_numbers_for_the_scope_only_and_takes_the_total_from_assignment() -> (
    None
):
    board = dashboard(REPORT, ["nb-sgddt", "nb-syt"], {"nb-sgddt": 3})
    alone = dashboard(REPORT, ["nb-sgddt"])

    assert [x.code for x in board.lines] == ["nb-sgddt", "nb-syt"]
    first = board.lines[0]
    assert (first.on_time, first.late, first.open_overdue, first.rate_text, first.median_text) == (
        2, 1, 1, "50.0%", "6,5")  # fmt: skip
    assert first.open_now == 3
    assert board.lines[1].open_now is None
    assert (first.p90_text, first.max_text) == ("12,2", "14")
    assert (board.lines[1].p90_text, board.lines[1].max_text) == ("—", "—")  # an older reply without them
    total = board.total
    assert total is not None
    assert (total.name, total.assigned, total.on_time, total.open_overdue, total.rate_text) == (
        "Cả đơn vị", 5, 3, 1, "60.0%")  # fmt: skip
    assert (total.median_text, total.p90_text, total.max_text) == (
        "5",
        "11,4",
        "14",
    )  # assignment's, as given
    assert total.open_now == 3  # the portal's own count, added up
    assert alone.total is None
    assert days_text(None) == "—"
    assert board.as_of == dt.date(2026, 12, 1)


def test_the_dashboard_offers_this_month_quarter_and_year_in_the_report_s_period_codes() -> None:
    offered = dict(periods(dt.date(2026, 11, 5)))

    assert offered["2026-11"] == "Tháng 11/2026"
    assert offered["2026-Q4"] == "Quý IV/2026"
    assert offered["2026"] == "Năm 2026"
    assert "2025" in offered
    assert dict(periods(dt.date(2026, 11, 5), "2025-Q3"))["2025-Q3"] == "Kỳ 2025-Q3"
    assert len(periods(dt.date(2026, 11, 5), "2026")) == len(offered)


def test_the_inbox_says_which_request_of_the_agency_waits_for_the_head() -> None:
    doc = {"tracking_code": "DT-ABC", "agency_code": "nb-sgddt", "status": "open", "stage": "assigned",
           "deadline": "2026-12-10", "facts": {"content": "Đề nghị sửa trường."}}  # fmt: skip

    both = inbox(
        [{**doc, "pending_extension": "2026-12-20", "pending_reassignment": True}], "nb-sgddt", TODAY, 3
    )
    none = inbox([doc], "nb-sgddt", TODAY, 3)

    assert both[0].request_text == (
        "Đã đề nghị gia hạn đến 20/12/2026 và đề nghị giao cơ quan khác, chờ lãnh đạo quyết định"
    )
    assert none[0].request_text == ""
