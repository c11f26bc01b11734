"""Deadline extensions: the agency asks, the head approves or refuses, within the province's limits."""

from __future__ import annotations

import datetime as dt

from services.assignment.domain import events as ev
from services.assignment.domain import refusals
from services.assignment.domain.deadlines import DeadlinePolicy, latest_extension
from services.assignment.domain.state import AssignmentState, Result, text_or_refuse
from services.assignment.domain.values import PendingRequest, Status
from shared.workdays import WorkCalendar


class ExtensionCommands(AssignmentState):
    def request_extension(
        self,
        agency_code: str,
        new_deadline: dt.date,
        reason: str,
        at: dt.datetime,
        command_id: str,
        calendar: WorkCalendar,
        policy: DeadlinePolicy,
        by: str = "",
    ) -> Result:
        if (replay := self.replay(command_id)) is not None:
            return replay
        self._guard_open("gia hạn", agency_code)
        reason = text_or_refuse(reason, "lý do đề nghị gia hạn")
        if self.pending_extension is not None:
            raise refusals.request_pending("gia hạn")
        self._check_extension(new_deadline, calendar, policy)
        self.pending_extension = PendingRequest(reason, at, new_deadline)
        event = self._event(
            ev.ExtensionRequested, command_id, at, requested_deadline=new_deadline, reason=reason
        )
        details = {"new_deadline": new_deadline.isoformat(), "reason": reason}
        return self._record(command_id, "request_extension", at, by or agency_code, details, event)

    def _check_extension(self, new_deadline: dt.date, calendar: WorkCalendar, policy: DeadlinePolicy) -> None:
        assert self.deadline is not None
        assert self.original_deadline is not None
        if self.extensions >= policy.max_extensions:
            raise refusals.too_many_extensions(policy.max_extensions)
        if new_deadline <= self.deadline:
            raise refusals.extension_not_later(new_deadline, self.deadline)
        latest = latest_extension(self.original_deadline, policy, calendar)
        if new_deadline > latest:
            raise refusals.extension_too_long(new_deadline, latest, policy.max_extension_days)

    def approve_extension(
        self, at: dt.datetime, command_id: str, by: str, calendar: WorkCalendar, policy: DeadlinePolicy
    ) -> Result:
        if (replay := self.replay(command_id)) is not None:
            return replay
        self._guard_open("gia hạn")
        request = self.pending_extension
        if request is None or request.new_deadline is None:
            raise refusals.no_pending_request("gia hạn")
        self._check_extension(request.new_deadline, calendar, policy)
        previous = self.deadline
        assert previous is not None
        self.deadline = request.new_deadline
        self.extensions += 1
        self.pending_extension = None
        # A new deadline earns its own reminder and escalation.
        self.reminder_sent_at = self.escalated_at = None
        if self.status is Status.ASSIGNED:
            self.status = Status.ACCEPTED
        event = self._event(
            ev.DeadlineExtended, command_id, at, previous_deadline=previous, reason=request.reason
        )
        return self._record(
            command_id, "approve_extension", at, by, {"deadline": self.deadline.isoformat()}, event
        )

    def refuse_extension(self, reason: str, at: dt.datetime, command_id: str, by: str) -> Result:
        if (replay := self.replay(command_id)) is not None:
            return replay
        request = self.pending_extension
        if request is None or request.new_deadline is None:
            raise refusals.no_pending_request("gia hạn")
        reason = text_or_refuse(reason, "lý do từ chối gia hạn")
        self.pending_extension = None
        event = self._event(
            ev.ExtensionRefused, command_id, at, requested_deadline=request.new_deadline, reason=reason
        )
        return self._record(command_id, "refuse_extension", at, by, {"reason": reason}, event)
