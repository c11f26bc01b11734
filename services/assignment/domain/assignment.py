"""The assignment aggregate: one opinion's path from routing to a published, rated answer.

State machine (agency answers in writing)::

    triage ─assign→ assigned ─accept→ accepted ─submit→ answered ─publish→ published ─rate
                       └──────────────submit────────────↗   │
                                       returned ←─return───┘   (Decision 31/2021, Art. 46)
                                       returned ─submit→ answered

``answered_directly`` and ``transferred`` are closed from the start. Every command takes a
``command_id``; applying the same id twice returns the first result and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.assignment.domain import events as ev
from services.assignment.domain import refusals
from services.assignment.domain.agencies import Agency
from services.assignment.domain.deadlines import DeadlinePolicy, DueAction, due_actions
from services.assignment.domain.extensions import ExtensionCommands
from services.assignment.domain.routing import Outcome, RoutingDecision
from services.assignment.domain.state import Result, text_or_refuse
from services.assignment.domain.values import (
    CLOSED_STATES,
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
        if decision.outcome is Outcome.TRANSFERRED and decision.transfer:
            target = decision.transfer
            self = cls(opinion, Status.TRANSFERRED, transfer=target)
            event = self._event(
                ev.OpinionTransferred,
                command_id,
                at,
                target_level=target.level,
                target_body=target.body,
                target_unit=target.unit_code,
                target_agency=target.agency_code,
            )
            return self, self._record(command_id, "transfer", at, SYSTEM, {"body": target.body}, event)
        reason = str(decision.triage_reason or "unclassified")
        self = cls(opinion, Status.TRIAGE, triage_reason=reason)
        event = self._event(ev.OpinionTriageQueued, command_id, at, reason=reason)
        return self, self._record(command_id, "queue_triage", at, SYSTEM, {"reason": reason}, event)

    def _assign(
        self, agency: Agency, deadline: dt.date, at: dt.datetime, command_id: str, by: str, action: str
    ) -> Result:
        previous = self.agency.code if self.agency else None
        self.status = Status.ASSIGNED
        self.agency = AgencyRef.of(agency)
        self.assigned_at = at
        self.deadline = self.original_deadline = deadline
        self.extensions = 0
        self.pending_extension = self.pending_reassignment = None
        self.reminder_sent_at = self.escalated_at = None
        self.triage_reason = None
        event = self._event(ev.OpinionAssigned, command_id, at, reassigned_from=previous)
        details = {"agency": agency.code, "deadline": deadline.isoformat(), "from": previous}
        return self._record(command_id, action, at, by, details, event)

    def assign(self, agency: Agency, deadline: dt.date, at: dt.datetime, command_id: str, by: str) -> Result:
        """A person clears the triage queue by choosing the agency."""
        if (replay := self.replay(command_id)) is not None:
            return replay
        if self.status is not Status.TRIAGE:
            raise refusals.not_in_triage(self.status.value)
        return self._assign(agency, deadline, at, command_id, by, "assign")

    def reassign(
        self, agency: Agency, deadline: dt.date, at: dt.datetime, command_id: str, by: str, reason: str = ""
    ) -> Result:
        """The head or secretariat moves the opinion to another agency with a new deadline."""
        if (replay := self.replay(command_id)) is not None:
            return replay
        self._guard_open("giao lại")
        if self.agency and self.agency.code == agency.code:
            raise refusals.same_agency(agency.code)
        return self._assign(agency, deadline, at, command_id, by, "reassign")

    def accept(self, agency_code: str, at: dt.datetime, command_id: str) -> Result:
        if (replay := self.replay(command_id)) is not None:
            return replay
        self._guard_open("tiếp nhận", agency_code)
        if self.status is not Status.ASSIGNED:
            raise refusals.wrong_status("tiếp nhận", self.status.value)
        self.status = Status.ACCEPTED
        event = self._event(ev.OpinionAccepted, command_id, at)
        return self._record(command_id, "accept", at, agency_code, {}, event)

    def request_reassignment(self, agency_code: str, reason: str, at: dt.datetime, command_id: str) -> Result:
        if (replay := self.replay(command_id)) is not None:
            return replay
        self._guard_open("đề nghị giao lại", agency_code)
        reason = text_or_refuse(reason, "lý do đề nghị giao lại")
        if self.pending_reassignment is not None:
            raise refusals.request_pending("giao lại")
        self.pending_reassignment = PendingRequest(reason, at)
        event = self._event(ev.ReassignmentRequested, command_id, at, reason=reason)
        return self._record(command_id, "request_reassignment", at, agency_code, {"reason": reason}, event)

    def submit_answer(
        self,
        agency_code: str,
        document_number: str,
        document_date: dt.date,
        summary: str,
        at: dt.datetime,
        command_id: str,
        attachment_ref: str | None = None,
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
        return self._record(command_id, "submit_answer", at, agency_code, {"document_number": number}, event)

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

    def sweep(self, now: dt.datetime, calendar: WorkCalendar, policy: DeadlinePolicy) -> Result:
        """Record and return the reminder or escalation due at ``now``, each once per deadline.

        The command id derives from the deadline, so two replicas sweeping the same assignment
        produce the same event ids; the store's optimistic version check keeps one of the saves.
        """
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
