"""Agencies have validity dates: routing, transfers, manual assignment and the sweep use those in force."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from assignment_support import OpenFactory, OpinionFactory, vn

from services.assignment.adapters.routing_file import RoutingConfig, default_path, parse_routing
from services.assignment.domain.routing import Outcome, TriageReason, route
from shared.errors import DomainError
from shared.workdays import WorkCalendar

pytestmark = pytest.mark.unit

D = dt.date


@pytest.mark.parametrize(
    ("field", "at", "agency"),
    [
        # Before 1 March 2025 the departments that were merged away answer in their own time...
        ("labour_jobs", vn(2024, 6, 3), "hn-sldtbxh"),
        ("social_policy", vn(2024, 6, 3), "hn-sldtbxh"),
        ("agriculture", vn(2024, 6, 3), "hn-snnptnt"),
        ("land", vn(2024, 6, 3), "hn-stnmt"),
        ("environment", vn(2024, 6, 3), "hn-stnmt"),
        ("transport", vn(2024, 6, 3), "hn-sgtvt"),
        ("labour_jobs", vn(2025, 2, 28, 16), "hn-sldtbxh"),  # its last day
        # ...and from that day the departments they merged into.
        ("labour_jobs", vn(2025, 3, 3), "hn-snv"),
        ("labour_jobs", vn(2025, 4, 15), "hn-snv"),
        ("social_policy", vn(2025, 4, 15), "hn-syt"),
        ("agriculture", vn(2025, 4, 15), "hn-snnmt"),
        ("land", vn(2025, 4, 15), "hn-snnmt"),
        ("transport", vn(2025, 4, 15), "hn-sxd"),
        ("education", vn(2025, 6, 30, 16), "hn-sgddt"),  # the province's last day
    ],
)
def test_a_hanam_opinion_goes_to_the_department_in_force_on_its_date(
    config: RoutingConfig,
    calendar: WorkCalendar,
    make_opinion: OpinionFactory,
    field: str,
    at: dt.datetime,
    agency: str,
) -> None:
    opinion = make_opinion(field=field, unit="ha-nam", received_at=at)
    decision = route(opinion, config.table, config.policy, calendar, at)
    assert decision.outcome is Outcome.ASSIGNED
    assert decision.agency is not None
    assert decision.agency.code == agency


def test_after_the_province_merged_no_hanam_agency_is_chosen_and_the_opinion_waits_in_triage(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    at = vn(2025, 7, 1)
    decision = route(
        make_opinion(field="education", unit="ha-nam"), config.table, config.policy, calendar, at
    )
    assert (decision.outcome, decision.triage_reason) == (Outcome.TRIAGE, TriageReason.NO_AGENCY)


def test_a_transfer_goes_to_the_competent_department_in_force_on_the_opinions_date(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    # A commune of Bình Lục asks about staffing in 2023: Sở Nội vụ of Hà Nam, then in force.
    opinion = make_opinion(field="organisation_staff", unit="dong-du", level="commune")
    decision = route(opinion, config.table, config.policy, calendar, vn(2023, 12, 20))
    assert decision.transfer is not None
    assert (decision.transfer.agency_code, decision.transfer.body) == ("hn-snv", "Sở Nội vụ tỉnh Hà Nam")
    # The same question of a commune of the merged province in 2026 goes to Ninh Bình's department.
    opinion = make_opinion(field="organisation_staff", unit="binh-luc-xa", level="commune")
    decision = route(opinion, config.table, config.policy, calendar, vn(2026, 11, 20))
    assert decision.transfer is not None
    assert decision.transfer.agency_code == "nb-snv"


def test_a_transfer_whose_competent_department_is_no_longer_in_force_goes_to_triage(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    # Đồng Du's own offices are gone too; the province above it holds no agency in force in 2026.
    opinion = make_opinion(field="organisation_staff", unit="dong-du", level="commune")
    decision = route(opinion, config.table, config.policy, calendar, vn(2026, 11, 20))
    assert (decision.outcome, decision.triage_reason) == (Outcome.TRIAGE, TriageReason.NO_COMPETENT_AGENCY)


def test_validity_dates_are_inclusive_and_an_open_end_is_in_force(config: RoutingConfig) -> None:
    stnmt, snnmt, nb = (config.table.agency(c) for c in ("hn-stnmt", "hn-snnmt", "nb-snnmt"))
    assert (stnmt.valid_to, snnmt.valid_from, snnmt.valid_to) == (
        D(2025, 2, 28),
        D(2025, 3, 1),
        D(2025, 6, 30),
    )
    days = (D(2025, 2, 28), D(2025, 3, 1), D(2025, 6, 30), D(2025, 7, 1), D(2099, 1, 1))
    assert [stnmt.in_force(d) for d in days] == [True, False, False, False, False]
    assert [snnmt.in_force(d) for d in days] == [False, True, True, False, False]
    assert (nb.valid_from, nb.valid_to) == (D(2025, 7, 1), None)
    assert [nb.in_force(d) for d in days] == [False, False, False, True, True]


def _raw() -> dict[str, object]:
    return tomllib.loads(default_path().read_text(encoding="utf-8"))


def test_an_agency_that_ends_before_it_starts_is_refused_at_start_up_by_its_code() -> None:
    raw = _raw()
    raw["agencies"][0].update(valid_from=D(2025, 7, 1), valid_to=D(2025, 6, 30))  # type: ignore[index]
    with pytest.raises(DomainError) as caught:
        parse_routing(raw)
    assert caught.value.code == "invalid_routing_file"
    assert "«hn-btc-tu» có valid_from 2025-07-01 sau valid_to 2025-06-30" in caught.value.message
    assert caught.value.message.endswith("hãy sửa tệp rồi khởi động lại.")


def test_a_validity_date_written_as_text_is_refused_with_the_form_to_type() -> None:
    raw = _raw()
    raw["agencies"][0]["valid_to"] = "30/06/2025"  # type: ignore[index]
    with pytest.raises(DomainError) as caught:
        parse_routing(raw)
    assert "valid_to «30/06/2025» của cơ quan «hn-btc-tu» phải là một ngày dạng 2025-07-01" in (
        caught.value.message
    )


def test_a_person_cannot_assign_or_reassign_an_opinion_to_an_agency_no_longer_in_force(
    open_assignment: OpenFactory, config: RoutingConfig
) -> None:
    a = open_assignment("unclassified", at=vn(2026, 11, 20))
    before = a.to_doc()
    with pytest.raises(DomainError) as assigned:
        a.assign(config.table.agency("hn-stnmt"), D(2026, 12, 21), vn(2026, 11, 23), "assign", "văn thư")
    assert assigned.value.code == "agency_not_in_force"
    assert assigned.value.message == (
        "Cơ quan «Sở Tài nguyên và Môi trường tỉnh Hà Nam» (hn-stnmt) chỉ hoạt động đến ngày 28/02/2025, "
        "không nhận được ý kiến ngày 23/11/2026; hãy chọn một cơ quan đang hoạt động vào ngày đó "
        "trong bảng phân công (routing.toml)."
    )
    assert a.to_doc() == before
    a.assign(config.table.agency("nb-snnmt"), D(2026, 12, 21), vn(2026, 11, 23), "assign-nb", "văn thư")
    with pytest.raises(DomainError) as reassigned:
        a.reassign(config.table.agency("hn-snnmt"), D(2026, 12, 22), vn(2026, 11, 24), "move", "Chủ tịch")
    assert reassigned.value.code == "agency_not_in_force"
    assert "chỉ hoạt động đến ngày 30/06/2025" in reassigned.value.message


def test_an_agency_not_yet_created_on_the_commands_date_is_refused_naming_its_first_day(
    open_assignment: OpenFactory, config: RoutingConfig
) -> None:
    a = open_assignment("unclassified", unit="ha-nam", at=vn(2024, 6, 3), received_at=vn(2024, 6, 3))
    with pytest.raises(DomainError) as caught:
        a.assign(config.table.agency("hn-snnmt"), D(2024, 6, 24), vn(2024, 6, 4), "assign", "văn thư")
    assert caught.value.code == "agency_not_in_force"
    assert "chỉ hoạt động từ ngày 01/03/2025, không nhận được ý kiến ngày 04/06/2024" in caught.value.message
    a.assign(config.table.agency("hn-stnmt"), D(2024, 6, 24), vn(2024, 6, 4), "assign-ok", "văn thư")
    assert a.agency is not None
    assert a.agency.code == "hn-stnmt"


def test_the_sweep_leaves_an_agency_no_longer_in_force_alone_but_escalates_one_in_force(
    open_assignment: OpenFactory, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    gone = open_assignment("education", unit="ha-nam", at=vn(2025, 6, 2), received_at=vn(2025, 6, 2))
    alive = open_assignment("education", at=vn(2025, 7, 1))
    assert (gone.agency and gone.agency.code, gone.deadline) == ("hn-sgddt", D(2025, 6, 23))
    assert alive.agency is not None
    assert alive.agency.code == "nb-sgddt"
    # While Sở Giáo dục và Đào tạo tỉnh Hà Nam exists, its overdue opinion is escalated as usual...
    late_june = vn(2025, 6, 27)
    assert [e.type for e in gone.sweep(late_june, calendar, config.policy, config.table).events] == [
        "OpinionOverdue"
    ]
    fresh = open_assignment("education", unit="ha-nam", at=vn(2025, 6, 2), received_at=vn(2025, 6, 2))
    # ...but from 1 July 2025 it no longer exists: nothing is sent, nothing is recorded.
    now = vn(2026, 3, 2)
    before = fresh.to_doc()
    assert fresh.sweep(now, calendar, config.policy, config.table).events == ()
    assert fresh.to_doc() == before
    assert fresh.is_open
    (overdue,) = alive.sweep(now, calendar, config.policy, config.table).events
    assert overdue.type == "OpinionOverdue"
    assert overdue.agency_code == "nb-sgddt"
