"""Routing by field and level, transfers beyond authority, triage, and the routing file's checks."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from assignment_support import OpinionFactory, vn

from services.assignment.adapters.routing_file import RoutingConfig, default_path, parse_routing
from services.assignment.domain.assignment import Assignment
from services.assignment.domain.deadlines import deadline_for
from services.assignment.domain.events import OpinionAssigned, OpinionTransferred, OpinionTriageQueued
from services.assignment.domain.fields import Field
from services.assignment.domain.routing import DirectAnswer, Outcome, TriageReason, route
from services.assignment.domain.values import Status
from shared.errors import DomainError, NotFound
from shared.timeutil import local_date
from shared.workdays import WorkCalendar

pytestmark = pytest.mark.unit

AT = vn(2027, 2, 1)
SEED = vn(2023, 12, 20)  # the seed's conference: Hà Nam, its district Bình Lục, commune Đồng Du


def test_a_land_opinion_at_a_provincial_conference_goes_to_the_provincial_department(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    opinion = make_opinion(field="agriculture", kind="proposal")
    decision = route(opinion, config.table, config.policy, calendar, AT)
    assert decision.outcome is Outcome.ASSIGNED
    assert decision.agency is not None
    assert decision.agency.name == "Sở Nông nghiệp và Môi trường tỉnh Ninh Bình"
    assert decision.deadline == dt.date(2027, 3, 1)


def test_the_same_field_at_a_commune_conference_goes_to_the_commune_office(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    opinion = make_opinion(field="agriculture", unit="binh-luc-xa", level="commune")
    decision = route(opinion, config.table, config.policy, calendar, AT)
    assert decision.agency is not None
    assert decision.agency.code == "bl-pkt"


@pytest.mark.parametrize(
    ("field", "unit", "level", "at", "agency"),
    [
        ("party_building", "ha-nam", "province", SEED, "hn-btc-tu"),
        ("organisation_staff", "ha-nam", "province", SEED, "hn-snv"),
        ("education", "ha-nam", "province", SEED, "hn-sgddt"),
        ("culture_relics", "ha-nam", "province", SEED, "hn-svhttdl"),
        ("cyber_security", "duy-tien", "district", SEED, "dt-ca"),
        ("youth_military", "duy-tien", "district", SEED, "dt-bchqs"),
        ("culture_relics", "dong-du", "commune", SEED, "dd-pvhxh"),
        ("education", "ninh-binh", "province", AT, "nb-sgddt"),
        ("culture_relics", "ninh-binh", "province", AT, "nb-svhtt"),
        ("cyber_security", "binh-my", "commune", AT, "bm-ca"),
    ],
)
def test_each_field_is_routed_to_the_agency_of_the_conference_unit(
    config: RoutingConfig,
    calendar: WorkCalendar,
    make_opinion: OpinionFactory,
    field: str,
    unit: str,
    level: str,
    at: dt.datetime,
    agency: str,
) -> None:
    decision = route(
        make_opinion(field=field, unit=unit, level=level), config.table, config.policy, calendar, at
    )
    assert decision.agency is not None
    assert decision.agency.code == agency


def test_a_planning_opinion_at_a_commune_is_transferred_to_the_provincial_department(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    opinion = make_opinion(field="planning", unit="dong-du", level="commune", received_at=SEED)
    decision = route(opinion, config.table, config.policy, calendar, SEED)
    assert decision.outcome is Outcome.TRANSFERRED
    assert decision.transfer is not None
    assert (decision.transfer.level, decision.transfer.unit_code) == ("province", "ha-nam")
    assert decision.transfer.body == "Sở Xây dựng tỉnh Hà Nam"

    # A real hand-over: the provincial department holds it, with a deadline, and is told like any
    # assignment; the citizen learns the competent body from the transfer event.
    assert decision.agency is not None
    assert decision.agency.code == "hn-sxd"
    assert decision.deadline == deadline_for(
        "planning", "recommendation", local_date(SEED), config.policy, calendar
    )
    assignment, result = Assignment.open(opinion, decision, SEED, "cmd-transfer")
    assert assignment.status is Status.ASSIGNED
    assert assignment.is_open
    assert assignment.agency is not None
    assert (assignment.agency.code, assignment.deadline) == ("hn-sxd", decision.deadline)
    transferred, assigned = result.events
    assert isinstance(transferred, OpinionTransferred)
    assert transferred.target_body == "Sở Xây dựng tỉnh Hà Nam"
    assert (transferred.target_agency, transferred.agency_code) == ("hn-sxd", "hn-sxd")
    assert isinstance(assigned, OpinionAssigned)
    assert (assigned.agency_code, assigned.transferred, assigned.reassigned_from) == ("hn-sxd", True, None)
    assert (
        assigned.transfer_note == "Điều chỉnh quy hoạch cho phù hợp quy hoạch tỉnh thuộc thẩm quyền cấp tỉnh."
    )


def test_a_national_policy_proposal_at_a_provincial_conference_goes_to_the_central_body(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    opinion = make_opinion(field="health_insurance", kind="proposal")
    decision = route(opinion, config.table, config.policy, calendar, AT)
    assert decision.transfer is not None
    assert decision.transfer.level == "national"
    assert decision.transfer.body == "Bộ Y tế và Bảo hiểm xã hội Việt Nam"
    assert decision.transfer.unit_code is None


def test_a_health_insurance_recommendation_stays_with_the_provincial_agency(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    decision = route(make_opinion(field="health_insurance"), config.table, config.policy, calendar, AT)
    assert decision.agency is not None
    assert decision.agency.code == "nb-bhxh"


def test_an_unclassified_opinion_waits_in_triage_until_a_person_assigns_it(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    opinion = make_opinion(field=Field.UNCLASSIFIED)
    decision = route(opinion, config.table, config.policy, calendar, AT)
    assert decision.triage_reason is TriageReason.UNCLASSIFIED
    assignment, result = Assignment.open(opinion, decision, AT, "cmd-triage")
    assert isinstance(result.events[0], OpinionTriageQueued)
    assert assignment.deadline is None

    youth = config.table.agency("nb-tinhdoan")
    later = vn(2027, 2, 2)
    result = assignment.assign(youth, dt.date(2027, 3, 2), later, "cmd-assign", by="văn thư")
    assert assignment.status is Status.ASSIGNED
    assert isinstance(result.events[0], OpinionAssigned)
    assert result.events[0].agency_email == "tinhdoan@ninhbinh.example"
    assert result.events[0].assigned_at == later


def test_a_field_no_agency_of_the_unit_handles_goes_to_triage(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    opinion = make_opinion(field="transport", unit="duy-tien", level="district")
    decision = route(opinion, config.table, config.policy, calendar, SEED)
    assert decision.triage_reason is TriageReason.NO_AGENCY


def test_an_answer_given_at_the_conference_closes_the_opinion(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    opinion = make_opinion(field="culture_relics")
    direct = DirectAnswer("Tỉnh đã có cơ chế hỗ trợ xây dựng nhà văn hóa thôn.", "Chủ tịch UBND tỉnh")
    decision = route(opinion, config.table, config.policy, calendar, AT, direct)
    assignment, result = Assignment.open(opinion, decision, AT, "cmd-direct")
    assert assignment.status is Status.ANSWERED_DIRECTLY
    assert assignment.published_at == AT
    assert result.events[0].type == "OpinionAnsweredDirectly"


def test_an_unknown_agency_code_is_refused_with_a_vietnamese_sentence(config: RoutingConfig) -> None:
    with pytest.raises(NotFound) as caught:
        config.table.agency("so-khong-co")
    assert caught.value.code == "unknown_agency"
    assert "Không tìm thấy cơ quan" in caught.value.message


def _raw() -> dict[str, object]:
    with default_path().open("rb") as handle:
        return tomllib.load(handle)


def test_a_routing_file_with_a_misspelt_field_is_refused_at_start_up() -> None:
    raw = _raw()
    raw["agencies"][0]["fields"] = ["landd"]  # type: ignore[index]
    with pytest.raises(DomainError) as caught:
        parse_routing(raw)
    assert caught.value.code == "invalid_routing_file"
    assert "landd" in caught.value.message


def test_a_routing_file_with_an_agency_of_an_unknown_unit_is_refused() -> None:
    raw = _raw()
    raw["agencies"][0]["unit"] = "ha-tay"  # type: ignore[index]
    with pytest.raises(DomainError, match="ha-tay"):
        parse_routing(raw)


@pytest.mark.parametrize(
    ("unit", "day"),
    [
        ("ha-nam", dt.date(2023, 12, 20)),  # before the mergers of departments
        ("ha-nam", dt.date(2025, 4, 1)),  # after them, before the province merged
        ("ninh-binh", dt.date(2025, 7, 1)),
        ("ninh-binh", dt.date(2027, 2, 1)),
    ],
)
def test_every_field_except_unclassified_has_a_provincial_agency_in_force(
    config: RoutingConfig, unit: str, day: dt.date
) -> None:
    handled = {f for a in config.table.agencies_of(unit, day) for f in a.fields}
    assert handled == {f.value for f in Field} - {Field.UNCLASSIFIED}


def test_a_commune_of_the_merged_province_transfers_health_insurance_to_ninh_binh(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    opinion = make_opinion(field="health_insurance", unit="binh-luc-xa", level="commune")
    decision = route(opinion, config.table, config.policy, calendar, AT)
    assert decision.transfer is not None
    assert (decision.transfer.unit_code, decision.transfer.agency_code) == ("ninh-binh", "nb-bhxh")


def test_a_historical_commune_transfers_through_its_district_to_the_province(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    opinion = make_opinion(field="organisation_staff", unit="dong-du", level="commune")
    decision = route(opinion, config.table, config.policy, calendar, SEED)
    assert decision.transfer is not None
    assert (decision.transfer.unit_code, decision.transfer.body) == ("ha-nam", "Sở Nội vụ tỉnh Hà Nam")
    assert [u.code for u in config.table.ancestors("dong-du")] == ["binh-luc", "ha-nam"]


def test_a_transfer_whose_competent_unit_has_no_agency_for_the_field_goes_to_triage(
    calendar: WorkCalendar, make_opinion: OpinionFactory
) -> None:
    raw = tomllib.loads(default_path().read_text(encoding="utf-8"))
    # Without its Sở Xây dựng, Ninh Bình has nobody to receive a commune's planning question.
    raw["agencies"] = [a for a in raw["agencies"] if a["code"] != "nb-sxd"]
    config = parse_routing(raw)
    opinion = make_opinion(field="planning", unit="binh-luc-xa", level="commune")
    decision = route(opinion, config.table, config.policy, calendar, AT)
    assert (decision.outcome, decision.triage_reason) == (Outcome.TRIAGE, TriageReason.NO_COMPETENT_AGENCY)
    assignment, result = Assignment.open(opinion, decision, AT, "cmd-no-competent")
    assert (assignment.status, assignment.agency) == (Status.TRIAGE, None)
    (event,) = result.events
    assert isinstance(event, OpinionTriageQueued)
    assert event.reason == "no_competent_agency"
