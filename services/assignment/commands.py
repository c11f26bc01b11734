"""Operator commands: one function per verb; each loads, calls the domain, commits, answers a view."""

from __future__ import annotations

from typing import Any

from services.assignment import requests as rq
from services.assignment.domain.assignment import Assignment
from services.assignment.domain.deadlines import deadline_for
from services.assignment.domain.state import Result
from services.assignment.service import Deps, execute, resolve_opinion
from services.assignment.views import outcome
from shared.timeutil import local_date

Reply = dict[str, Any]


async def _run(deps: Deps, opinion_id: str, apply: Any) -> Reply:
    now = deps.clock()
    opinion_id = await resolve_opinion(deps, opinion_id)
    assignment, result = await execute(deps, opinion_id, lambda a: apply(a, now))
    return outcome(assignment, result, now)


async def answer_directly(deps: Deps, body: Any) -> Reply:
    """Record the leader's answer at the conference; before the opinion arrives it waits for it."""
    cmd = rq.parse(rq.AnswerDirectly, body)
    opinion_id = await resolve_opinion(deps, cmd.opinion_id)
    if await deps.repo.get(opinion_id) is None:
        await deps.repo.put_direct_answer(
            {
                "_id": opinion_id,
                "text": cmd.answer,
                "answered_by": cmd.answered_by,
                "command_id": cmd.command_id,
            }
        )
        return {"opinion_id": opinion_id, "status": "pending", "duplicate": False, "events": []}
    return await _run(
        deps, opinion_id, lambda a, now: a.answer_directly(cmd.answer, cmd.answered_by, now, cmd.command_id)
    )


def _deadline(deps: Deps, a: Assignment, now: Any) -> Any:
    o = a.opinion
    return deadline_for(o.field, o.kind, local_date(now), deps.config.policy, deps.calendar)


async def assign(deps: Deps, body: Any) -> Reply:
    cmd = rq.parse(rq.Assign, body)
    agency = deps.config.table.agency(cmd.agency_code)

    def apply(a: Assignment, now: Any) -> Result:
        return a.assign(agency, _deadline(deps, a, now), now, cmd.command_id, cmd.by or "secretariat")

    return await _run(deps, cmd.opinion_id, apply)


async def reassign(deps: Deps, body: Any) -> Reply:
    cmd = rq.parse(rq.Assign, body)
    agency = deps.config.table.agency(cmd.agency_code)

    def apply(a: Assignment, now: Any) -> Result:
        deadline = _deadline(deps, a, now)
        return a.reassign(agency, deadline, now, cmd.command_id, cmd.by or "head", cmd.reason)

    return await _run(deps, cmd.opinion_id, apply)


async def accept(deps: Deps, body: Any) -> Reply:
    cmd = rq.parse(rq.AgencyAction, body)
    deps.config.table.agency(cmd.agency_code)
    return await _run(deps, cmd.opinion_id, lambda a, now: a.accept(cmd.agency_code, now, cmd.command_id))


async def request_reassignment(deps: Deps, body: Any) -> Reply:
    cmd = rq.parse(rq.AgencyAction, body)
    deps.config.table.agency(cmd.agency_code)
    return await _run(
        deps,
        cmd.opinion_id,
        lambda a, now: a.request_reassignment(cmd.agency_code, cmd.reason, now, cmd.command_id),
    )


async def answer(deps: Deps, body: Any) -> Reply:
    cmd = rq.parse(rq.SubmitAnswer, body)
    deps.config.table.agency(cmd.agency_code)

    def apply(a: Assignment, now: Any) -> Result:
        return a.submit_answer(
            cmd.agency_code, cmd.document_number, cmd.document_date, cmd.summary, now, cmd.command_id,
            cmd.attachment_ref,
        )  # fmt: skip

    return await _run(deps, cmd.opinion_id, apply)


async def return_answer(deps: Deps, body: Any) -> Reply:
    cmd = rq.parse(rq.HeadDecision, body)
    return await _run(
        deps,
        cmd.opinion_id,
        lambda a, now: a.return_answer(cmd.reason, now, cmd.command_id, cmd.by or "head"),
    )


async def publish(deps: Deps, body: Any) -> Reply:
    cmd = rq.parse(rq.Change, body)
    return await _run(deps, cmd.opinion_id, lambda a, now: a.publish(now, cmd.command_id, cmd.by or "head"))


async def request_extension(deps: Deps, body: Any) -> Reply:
    cmd = rq.parse(rq.RequestExtension, body)
    deps.config.table.agency(cmd.agency_code)

    def apply(a: Assignment, now: Any) -> Result:
        return a.request_extension(
            cmd.agency_code,
            cmd.new_deadline,
            cmd.reason,
            now,
            cmd.command_id,
            deps.calendar,
            deps.config.policy,
        )

    return await _run(deps, cmd.opinion_id, apply)


async def approve_extension(deps: Deps, body: Any) -> Reply:
    cmd = rq.parse(rq.Change, body)

    def apply(a: Assignment, now: Any) -> Result:
        return a.approve_extension(now, cmd.command_id, cmd.by or "head", deps.calendar, deps.config.policy)

    return await _run(deps, cmd.opinion_id, apply)


async def refuse_extension(deps: Deps, body: Any) -> Reply:
    cmd = rq.parse(rq.HeadDecision, body)
    return await _run(
        deps,
        cmd.opinion_id,
        lambda a, now: a.refuse_extension(cmd.reason, now, cmd.command_id, cmd.by or "head"),
    )


async def rate(deps: Deps, body: Any) -> Reply:
    cmd = rq.parse(rq.Rate, body)
    return await _run(
        deps, cmd.opinion_id, lambda a, now: a.rate(cmd.stars, cmd.comment, now, cmd.command_id)
    )


VERBS = {
    "answer-directly": answer_directly, "assign": assign, "reassign": reassign, "accept": accept,
    "request-reassignment": request_reassignment, "answer": answer, "return": return_answer,
    "publish": publish, "request-extension": request_extension, "approve-extension": approve_extension,
    "refuse-extension": refuse_extension, "rate": rate,
}  # fmt: skip
