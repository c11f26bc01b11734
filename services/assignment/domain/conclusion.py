"""One opinion's line in the conference's conclusion notice (thông báo kết luận), as data.

The ``conclusion`` query answers these items with the conference snapshot; the operator CLI lays
out and renders the notice itself (Decree 30/2020/NĐ-CP).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.assignment.domain.assignment import Assignment
from services.assignment.domain.routing import Outcome
from services.assignment.domain.values import Status


@dataclass(frozen=True)
class ConclusionItem:
    tracking_code: str
    summary: str
    submitter: str
    field: str
    outcome: Outcome
    direct_answer: str = ""
    agency_name: str = ""
    deadline: dt.date | None = None
    transfer_body: str = ""


_OUTCOME_OF_STATUS = {
    Status.ANSWERED_DIRECTLY: Outcome.ANSWERED_DIRECTLY,
    Status.TRANSFERRED: Outcome.TRANSFERRED,
    Status.TRIAGE: Outcome.TRIAGE,
}


def item_from_assignment(assignment: Assignment) -> ConclusionItem:
    """The conclusion line of an assignment, whatever state it reached since."""
    opinion = assignment.opinion
    outcome = _OUTCOME_OF_STATUS.get(assignment.status, Outcome.ASSIGNED)
    if outcome is Outcome.ASSIGNED and assignment.transfer is not None:
        # Handed over to the competent level's agency, which answers it there by its deadline.
        outcome = Outcome.TRANSFERRED
    return ConclusionItem(
        tracking_code=opinion.tracking_code,
        summary=opinion.summary,
        submitter=opinion.submitter,
        field=opinion.field,
        outcome=outcome,
        direct_answer=(assignment.direct_answer or {}).get("text", ""),
        agency_name=assignment.agency.name if assignment.agency else "",
        deadline=assignment.deadline,
        transfer_body=assignment.transfer.body if assignment.transfer else "",
    )
