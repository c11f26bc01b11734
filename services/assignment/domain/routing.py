"""Routing a classified opinion: answered at the conference, assigned, transferred, or triaged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from services.assignment.domain.agencies import Agency, RoutingTable, TransferTarget
from services.assignment.domain.deadlines import DeadlinePolicy, deadline_for
from services.assignment.domain.fields import Field
from services.assignment.domain.values import OpinionRef
from shared.timeutil import local_date
from shared.workdays import WorkCalendar


class Outcome(StrEnum):
    ANSWERED_DIRECTLY = "answered_directly"
    ASSIGNED = "assigned"
    TRANSFERRED = "transferred"
    TRIAGE = "triage"


class TriageReason(StrEnum):
    UNCLASSIFIED = "unclassified"
    NO_AGENCY = "no_agency_for_field"
    UNKNOWN_UNIT = "unknown_unit"
    NO_COMPETENT_AGENCY = "no_competent_agency"


@dataclass(frozen=True)
class DirectAnswer:
    """The leader's answer given at the conference."""

    text: str
    answered_by: str


@dataclass(frozen=True)
class RoutingDecision:
    """Where the opinion goes; a transfer to a body in the table also names its agency and deadline."""

    outcome: Outcome
    agency: Agency | None = None
    deadline: dt.date | None = None
    transfer: TransferTarget | None = None
    triage_reason: TriageReason | None = None
    direct_answer: DirectAnswer | None = None


def route(
    opinion: OpinionRef,
    table: RoutingTable,
    policy: DeadlinePolicy,
    calendar: WorkCalendar,
    at: dt.datetime,
    direct_answer: DirectAnswer | None = None,
) -> RoutingDecision:
    """Decide where ``opinion`` goes; ``at`` is the routing instant.

    Its date starts the deadline and names the agency: only one in force that day receives it, so a
    back-recorded opinion goes to the agency of its own date (none in force: triage).
    """
    if direct_answer is not None and direct_answer.text.strip():
        return RoutingDecision(Outcome.ANSWERED_DIRECTLY, direct_answer=direct_answer)
    if opinion.field == Field.UNCLASSIFIED:
        return RoutingDecision(Outcome.TRIAGE, triage_reason=TriageReason.UNCLASSIFIED)
    if not table.has_unit(opinion.unit_code):
        # A unit missing from the routing file is a data gap a person must see, not a crash.
        return RoutingDecision(Outcome.TRIAGE, triage_reason=TriageReason.UNKNOWN_UNIT)
    # The day of ``at`` starts the deadline and chooses the agencies: those in force on that day.
    day = local_date(at)
    deadline = deadline_for(opinion.field, opinion.kind, day, policy, calendar)
    rule = table.transfer_rule(opinion.level, opinion.field, opinion.kind)
    if rule is not None:
        target = table.transfer_target(rule, opinion.unit_code, opinion.field, day)
        if target.agency_code is not None:
            # The competent body is in the table: it receives the opinion and owes the answer.
            competent = table.agency(target.agency_code)
            return RoutingDecision(Outcome.TRANSFERRED, agency=competent, deadline=deadline, transfer=target)
        if target.unit_code is not None:
            # The competent unit is known but none of its agencies handles the field: a person chooses.
            return RoutingDecision(Outcome.TRIAGE, triage_reason=TriageReason.NO_COMPETENT_AGENCY)
        # A body outside the tree (a ministry) is named to the citizen; the platform cannot reach it.
        return RoutingDecision(Outcome.TRANSFERRED, transfer=target)
    agency = table.handler_for(opinion.unit_code, opinion.field, day)
    if agency is None:
        # A person decides rather than the system guessing an agency of another unit.
        return RoutingDecision(Outcome.TRIAGE, triage_reason=TriageReason.NO_AGENCY)
    return RoutingDecision(Outcome.ASSIGNED, agency=agency, deadline=deadline)
