"""The assignment aggregate: one opinion's path from routing to a published, rated answer.

State machine (agency answers in writing)::

    triage ─assign→ assigned ─accept→ accepted ─submit→ answered ─publish→ published ─rate
                       └──────────────submit────────────↗   │
                                       returned ←─return───┘   (Decision 31/2021, Art. 46)
                                       returned ─submit→ answered

``answered_directly`` is closed from the start, and so is ``transferred``: a body outside the
routing table (a ministry) was named. A transfer to a body in the table is an assignment to it
(``transfer`` records the hand-over) and follows the path above. A reclassification re-routes
every state before ``answered``. Every command takes a
``command_id``; applying the same id twice returns the first result and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.assignment.domain import events as ev
from services.assignment.domain import refusals
from services.assignment.domain.agencies import Agency, RoutingTable, TransferTarget
from services.assignment.domain.deadlines import DeadlinePolicy, DueAction, due_actions
from services.assignment.domain.effective import guard_in_force
from services.assignment.domain.extensions import ExtensionCommands
from services.assignment.domain.routing import Outcome, RoutingDecision
from services.assignment.domain.state import Result, text_or_refuse
from services.assignment.domain.values import (
    CLOSED_STATES,
    REROUTABLE_STATES,
    AgencyRef,
    Answer,
    OpinionRef,
    PendingRequest,
    Rating,
    Status,
)
from shared.timeutil import local_date
from shared.workdays import WorkCalendar

SYSTEM = "system"


class Assignment(ExtensionCommands):
    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Assignment:
        return cls(**cls._fields_from_doc(doc))

    @classmethod
    def open(
        cls, opinion: OpinionRef, decision: RoutingDecision, at: dt.datetime, command_id: str
    ) -> tuple[Assignment, Result]:
        """Create the aggregate from a routing decision (``command_id``: the classification event id)."""
        if decision.outcome is Outcome.ASSIGNED and decision.agency and decision.deadline:
            self = cls(opinion, Status.TRIAGE)
            return self, self._assign(decision.agency, decision.deadline, at, command_id, SYSTEM, "route")
        if decision.outcome is Outcome.ANSWERED_DIRECTLY and decision.direct_answer:
            answer = decision.direct_answer
            self = cls(opinion, Status.ANSWERED_DIRECTLY, answered_at=at, published_at=at)
            self.direct_answer = {"text": answer.text.strip(), "answered_by": answer.answered_by}
            event: ev.Event = self._event(
                ev.OpinionAnsweredDirectly, command_id, at, answer=answer.text, answered_by=answer.answered_by
            )
            return self, self._record(command_id, "answer_directly", at, answer.answered_by, {}, event)
        self = cls(opinion, Status.TRIAGE)
        if decision.outcome is Outcome.TRANSFERRED and decision.transfer:
            return self, self._transfer(decision, at, command_id, SYSTEM, "transfer")
        reason = str(decision.triage_reason or "unclassified")
        return self, self._queue_triage(reason, at, command_id, SYSTEM, "queue_triage")

    def _moved_from(self, previous: AgencyRef | None, reason: str) -> dict[str, Any]:
        """The fields that tell the agency losing the opinion (none when no agency held it)."""
        if previous is None or (self.agency is not None and self.agency.code == previous.code):
            return {}
        return {
            "reassigned_from": previous.code,
            "reassigned_from_name": previous.name,
            "reassigned_from_email": previous.email,
            "reassignment_reason": reason.strip() or None,
        }

    def _release(self) -> AgencyRef | None:
        """Take the opinion from its agency (and its deadline); the agency it had is returned."""
        previous = self.agency
        self.agency = None
        self.assigned_at = None
        self.deadline = self.original_deadline = None
        self.extensions = 0
        self.pending_extension = self.pending_reassignment = None
        self.reminder_sent_at = self.escalated_at = None
        return previous

    def _assign(
        self,
        agency: Agency,
        deadline: dt.date,
        at: dt.datetime,
        command_id: str,
        by: str,
        action: str,
        reason: str = "",
        transfer: TransferTarget | None = None,
        *before: ev.Event,
    ) -> Result:
        """Give the opinion to ``agency``; ``transfer`` when it is the competent level's body."""
        previous = self.agency
        self.status = Status.ASSIGNED
        self.agency = AgencyRef.of(agency)
        self.assigned_at = at
        self.deadline = self.original_deadline = deadline
        self.extensions = 0
        self.pending_extension = self.pending_reassignment = None
        self.reminder_sent_at = self.escalated_at = None
        self.triage_reason = None
        self.transfer = transfer
        moved = self._moved_from(previous, reason)
        event = self._event(
            ev.OpinionAssigned,
            command_id,
            at,
            transferred=transfer is not None,
            transfer_note=(transfer.note or None) if transfer else None,
            **moved,
        )
        details = {
            "agency": agency.code,
            "deadline": deadline.isoformat(),
            "from": moved.get("reassigned_from"),
        }
        if transfer is not None:
            details["transfer_level"] = transfer.level
        return self._record(command_id, action, at, by, details, *before, event)

    def _transfer(
        self,
        decision: RoutingDecision,
        at: dt.datetime,
        command_id: str,
        by: str,
        action: str,
        reason: str = "",
    ) -> Result:
        """Hand the opinion over to the competent level: its agency when the table has one.

        The agency receives it like any assignment (a deadline, ``OpinionAssigned``); the citizen is
        told through ``OpinionTransferred``. A body outside the table (a ministry) is only named.
        """
        target = decision.transfer
        assert target is not None
        if decision.agency is not None and decision.deadline is not None:
            previous = self.agency
            self.agency = AgencyRef.of(decision.agency)  # the transfer event names the receiving agency
            self.deadline, self.assigned_at = decision.deadline, at
            moved = self._moved_from(previous, reason)
            transferred = self._transferred_event(target, command_id, at, moved)
            self.agency = previous
            return self._assign(
                decision.agency, decision.deadline, at, command_id, by, action, reason, target, transferred
            )
        previous = self._release()
        self.status = Status.TRANSFERRED
        self.transfer = target
        self.triage_reason = None
        event = self._transferred_event(target, command_id, at, self._moved_from(previous, reason))
        return self._record(command_id, action, at, by, {"body": target.body}, event)

    def _transferred_event(
        self, target: TransferTarget, command_id: str, at: dt.datetime, moved: dict[str, Any]
    ) -> ev.Event:
        return self._event(
            ev.OpinionTransferred,
            command_id,
            at,
            target_level=target.level,
            target_body=target.body,
            target_unit=target.unit_code,
            target_agency=target.agency_code,
            **moved,
        )

    def _queue_triage(
        self, triage_reason: str, at: dt.datetime, command_id: str, by: str, action: str, reason: str = ""
    ) -> Result:
        previous = self._release()
        self.status = Status.TRIAGE
        self.transfer = None
        self.triage_reason = triage_reason
        moved = self._moved_from(previous, reason)
        event = self._event(ev.OpinionTriageQueued, command_id, at, reason=triage_reason, **moved)
        return self._record(command_id, action, at, by, {"reason": triage_reason}, event)

    def assign(self, agency: Agency, deadline: dt.date, at: dt.datetime, command_id: str, by: str) -> Result:
        """A person clears the triage queue by choosing the agency (one in force on the day of ``at``)."""
        if (replay := self.replay(command_id)) is not None:
            return replay
        if self.status is not Status.TRIAGE:
            raise refusals.not_in_triage(self.status.value)
        guard_in_force(agency, at)
        return self._assign(agency, deadline, at, command_id, by, "assign")

    def reassign(
        self, agency: Agency, deadline: dt.date, at: dt.datetime, command_id: str, by: str, reason: str = ""
    ) -> Result:
        """The head or secretariat moves the opinion to another agency in force, with a new deadline.

        A transfer to a body outside the table can be taken back and given to an agency. Moving a
        transferred opinion within the competent level keeps it a transfer; giving it back to an
        agency at the opinion's own level (the province found it was the unit's to answer) ends it.
        """
        if (replay := self.replay(command_id)) is not None:
            return replay
        if self.status is not Status.TRANSFERRED:
            self._guard_open("giao lại")
        if self.agency and self.agency.code == agency.code:
            raise refusals.same_agency(agency.code)
        guard_in_force(agency, at)
        transfer = None
        if self.transfer is not None and agency.level != self.opinion.level:
            transfer = TransferTarget(agency.level, agency.name, agency.unit, agency.code, self.transfer.note)
        return self._assign(agency, deadline, at, command_id, by, "reassign", reason, transfer)

    def reroute(
        self,
        opinion: OpinionRef,
        decision: RoutingDecision,
        at: dt.datetime,
        command_id: str,
        by: str,
        reason: str,
    ) -> Result:
        """Intake moved the opinion to another field: route it again unless it was already answered.

        ``decision`` is the routing of ``opinion`` (the new field) at ``at``. When the agency changes,
        it moves with a new deadline and the events name the agency that lost it; when the agency
        holding it stays competent, only the field changes.
        """
        if (replay := self.replay(command_id)) is not None:
            return replay
        details: dict[str, Any] = {"from": self.opinion.field, "to": opinion.field, "rerouted": False}
        self.opinion = opinion
        if self.status not in REROUTABLE_STATES:
            return self._record(command_id, "reclassify", at, by, details)
        target = decision.agency
        if target is not None and decision.deadline is not None:
            if self.status is not Status.TRIAGE and self.agency and self.agency.code == target.code:
                return self._record(command_id, "reclassify", at, by, details)
            if decision.outcome is Outcome.TRANSFERRED:
                return self._transfer(decision, at, command_id, by, "reroute", reason)
            return self._assign(target, decision.deadline, at, command_id, by, "reroute", reason)
        if decision.outcome is Outcome.TRANSFERRED and decision.transfer:
            if self.status is Status.TRANSFERRED and self.transfer == decision.transfer:
                return self._record(command_id, "reclassify", at, by, details)
            return self._transfer(decision, at, command_id, by, "reroute", reason)
        triage_reason = str(decision.triage_reason or "unclassified")
        if self.status is Status.TRIAGE:
            self.triage_reason = triage_reason
            return self._record(command_id, "reclassify", at, by, details)
        return self._queue_triage(triage_reason, at, command_id, by, "reroute", reason)

    def accept(self, agency_code: str, at: dt.datetime, command_id: str, by: str = "") -> Result:
        if (replay := self.replay(command_id)) is not None:
            return replay
        self._guard_open("tiếp nhận", agency_code)
        if self.status is not Status.ASSIGNED:
            raise refusals.wrong_status("tiếp nhận", self.status.value)
        self.status = Status.ACCEPTED
        event = self._event(ev.OpinionAccepted, command_id, at)
        return self._record(command_id, "accept", at, by or agency_code, {}, event)

    def request_reassignment(
        self, agency_code: str, reason: str, at: dt.datetime, command_id: str, by: str = ""
    ) -> Result:
        if (replay := self.replay(command_id)) is not None:
            return replay
        self._guard_open("đề nghị giao lại", agency_code)
        reason = text_or_refuse(reason, "lý do đề nghị giao lại")
        if self.pending_reassignment is not None:
            raise refusals.request_pending("giao lại")
        self.pending_reassignment = PendingRequest(reason, at)
        event = self._event(ev.ReassignmentRequested, command_id, at, reason=reason)
        return self._record(
            command_id, "request_reassignment", at, by or agency_code, {"reason": reason}, event
        )

    def submit_answer(
        self,
        agency_code: str,
        document_number: str,
        document_date: dt.date,
        summary: str,
        at: dt.datetime,
        command_id: str,
        attachment_ref: str | None = None,
        by: str = "",
    ) -> Result:
        if (replay := self.replay(command_id)) is not None:
            return replay
        self._guard_open("trả lời", agency_code)
        number = text_or_refuse(document_number, "số văn bản trả lời")
        text = text_or_refuse(summary, "nội dung tóm tắt câu trả lời")
        self.answer = Answer(number, document_date, text, at, attachment_ref)
        self.status = Status.ANSWERED
        self.answered_at = at
        self.pending_extension = self.pending_reassignment = None
        event = self._event(
            ev.AnswerSubmitted,
            command_id,
            at,
            document_number=number,
            document_date=document_date,
            answer_summary=text,
            attachment_ref=attachment_ref,
            on_time=bool(self.answered_on_time),
        )
        details = {"document_number": number}
        return self._record(command_id, "submit_answer", at, by or agency_code, details, event)

    def return_answer(self, reason: str, at: dt.datetime, command_id: str, by: str) -> Result:
        """The head sends back an answer that does not address the opinion (Decision 31/2021, Art. 46)."""
        if (replay := self.replay(command_id)) is not None:
            return replay
        if self.status is not Status.ANSWERED or self.answer is None:
            raise refusals.wrong_status("trả lại câu trả lời", self.status.value)
        reason = text_or_refuse(reason, "lý do trả lại câu trả lời")
        event = self._event(ev.AnswerReturned, command_id, at, reason=reason)
        self.returned_answers.append(Answer(**{**self.answer.__dict__, "returned_reason": reason}))
        self.answer = None
        self.answered_at = None
        self.status = Status.RETURNED
        return self._record(command_id, "return_answer", at, by, {"reason": reason}, event)

    def publish(self, at: dt.datetime, command_id: str, by: str) -> Result:
        if (replay := self.replay(command_id)) is not None:
            return replay
        if self.status is not Status.ANSWERED:
            raise refusals.wrong_status("công bố câu trả lời", self.status.value)
        assert self.answer is not None
        self.status = Status.PUBLISHED
        self.published_at = at
        answer = self.answer
        event = self._event(
            ev.AnswerPublished,
            command_id,
            at,
            on_time=bool(self.answered_on_time),
            document_number=answer.document_number,
            document_date=answer.document_date,
            answer_summary=answer.summary,
            attachment_ref=answer.attachment_ref,
        )
        return self._record(command_id, "publish", at, by, {}, event)

    def answer_directly(self, text: str, answered_by: str, at: dt.datetime, command_id: str) -> Result:
        """The leader answered at the conference an opinion already routed: it is closed."""
        if (replay := self.replay(command_id)) is not None:
            return replay
        if self.status in CLOSED_STATES:
            raise refusals.opinion_closed(self.status.value)
        if self.status is Status.ANSWERED:
            raise refusals.wrong_status("ghi nhận trả lời trực tiếp", self.status.value)
        text = text_or_refuse(text, "nội dung trả lời trực tiếp")
        by = text_or_refuse(answered_by, "người trả lời trực tiếp")
        self.status = Status.ANSWERED_DIRECTLY
        self.direct_answer = {"text": text, "answered_by": by}
        self.answered_at = self.published_at = at
        self.pending_extension = self.pending_reassignment = None
        event = self._event(ev.OpinionAnsweredDirectly, command_id, at, answer=text, answered_by=by)
        return self._record(command_id, "answer_directly", at, by, {}, event)

    def rate(self, stars: int, comment: str, at: dt.datetime, command_id: str) -> Result:
        """The citizen's satisfaction with the published answer."""
        if (replay := self.replay(command_id)) is not None:
            return replay
        if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
            raise refusals.rating_out_of_range(stars)
        if self.status is not Status.PUBLISHED:
            raise refusals.rating_before_publication()
        if self.rating is not None:
            raise refusals.already_rated()
        self.rating = Rating(stars, comment.strip(), at)
        event = self._event(ev.AnswerRated, command_id, at, stars=stars, comment=comment.strip())
        return self._record(command_id, "rate", at, "citizen", {"stars": stars}, event)

    def sweep(
        self, now: dt.datetime, calendar: WorkCalendar, policy: DeadlinePolicy, table: RoutingTable
    ) -> Result:
        """Record and return the reminder or escalation due at ``now``, each once per deadline.

        The command id derives from the deadline, so two replicas sweeping the same assignment
        produce the same event ids; the store's optimistic version check keeps one of the saves.
        An agency of the table no longer in force today (merged away, its unit abolished) gets
        neither: it no longer exists to be reminded, and its head no longer heads it. The opinion
        stays open and overdue in the lists until a person reassigns it to an agency in force.
        """
        held = table.find_agency(self.agency.code) if self.agency is not None else None
        if held is not None and not held.in_force(local_date(now)):
            return Result(())
        events: list[ev.Event] = []
        for action in due_actions(self, now, calendar, policy):
            assert self.deadline is not None
            assert self.agency is not None
            assigned = self.assigned_at.isoformat() if self.assigned_at else ""
            command_id = f"{action.value}:{self.opinion_id}:{self.agency.code}:{assigned}:{self.deadline}"
            if action is DueAction.REMINDER:
                self.reminder_sent_at = now
                left = calendar.working_days_between(local_date(now), self.deadline)
                event: ev.Event = self._event(ev.DeadlineApproaching, command_id, now, working_days_left=left)
            else:
                self.escalated_at = now
                event = self._event(
                    ev.OpinionOverdue, command_id, now, head_name=self.agency.head_name or None
                )
            events.extend(self._record(command_id, action.value, now, SYSTEM, {}, event).events)
        return Result(tuple(events))
