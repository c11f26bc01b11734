"""What the portal sends: the owning services' commands, and submissions to intake with their outcome.

Everything goes over the host's own NATS connection, so it uses the portal user's rights only:
request/reply commands to ``assignment.cmd.<verb>`` (the rating and the officials' actions),
``scheduling.cmd.<verb>`` (the calendar, the secretariat's plan, announce and hold) and
``intake.cmd.submit`` (the secretariat's desk); ``intake.submit.<source>`` (JetStream, ``Nats-Msg-Id``)
and ``intake.outcome.<source>`` (the outcome intake publishes for every submission) for Open311. One
subscription to the outcomes is opened at the first submission and matched by (source, external id).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from pydantic import BaseModel

from shared.contracts.assignment_commands import RateAnswer
from shared.contracts.base import CommandResult
from shared.contracts.intake import SubmitOpinion
from shared.ids import new_id
from shared.nats_sync import settle
from shared.subjects import Assignment, Intake, Scheduling, cmd

log = logging.getLogger(__name__)
UNAVAILABLE = "Hệ thống tạm thời chưa nhận được yêu cầu; vui lòng thử lại sau ít phút."


class Unavailable(Exception):
    """The owning service did not answer in time (or is not running)."""


class Bus:
    def __init__(self, connection: Callable[[], Client], timeout: float) -> None:
        self.connection = connection
        self.timeout = timeout
        self._waiting: dict[tuple[str, str], list[asyncio.Future[dict[str, Any]]]] = {}
        self._subscribed = asyncio.Lock()
        self._sub: Any = None

    async def rate(self, command: RateAnswer) -> CommandResult:
        """Send ``assignment.cmd.rate`` and answer assignment's result (its sentence when refused)."""
        return await self.assignment("rate", command)

    async def command(self, subject: str, command: BaseModel) -> CommandResult:
        """Send a command to its owning service (request/reply) and answer its result."""
        payload = command.model_dump_json(exclude_none=True).encode()
        try:
            reply = await self.connection().request(subject, payload, timeout=self.timeout)
        except (NoRespondersError, NatsTimeout) as exc:
            raise Unavailable(str(exc)) from exc
        return CommandResult.model_validate_json(reply.data)

    async def assignment(self, verb: str, command: BaseModel) -> CommandResult:
        """``assignment.cmd.<verb>``: the officials' show, answer, return, publish, requests, report."""
        return await self.command(cmd(Assignment.CMD, verb), command)

    async def scheduling(self, verb: str, command: BaseModel) -> CommandResult:
        """``scheduling.cmd.<verb>``: the calendar's list and checks, the secretariat's plan, announce, hold."""
        return await self.command(cmd(Scheduling.CMD, verb), command)

    async def intake(self, verb: str, command: BaseModel) -> CommandResult:
        """``intake.cmd.<verb>``: the secretariat's desk submissions."""
        return await self.command(cmd(Intake.CMD, verb), command)

    async def _on_outcome(self, msg: Msg) -> None:
        try:
            outcome = json.loads(msg.data)
        except ValueError:
            return
        key = (str(outcome.get("source")), str(outcome.get("external_id")))
        for future in self._waiting.pop(key, []):
            if not future.done():
                future.set_result(outcome)

    async def _listen(self) -> None:
        async with self._subscribed:
            if self._sub is None:
                nc = self.connection()
                self._sub = await nc.subscribe(Intake.OUTCOME_ALL, cb=self._on_outcome)
                await settle(nc)  # the subscription reached the server before anything is sent

    async def submit(self, source: str, command: SubmitOpinion) -> dict[str, Any]:
        """Publish on ``intake.submit.<source>`` and answer intake's ``SubmissionOutcome`` (as JSON)."""
        await self._listen()
        key = (source, command.external_id)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(key, []).append(future)
        # One id per attempt, not per request: a client's retry must reach intake (JetStream would
        # drop a repeated id for two minutes, and no outcome would come); intake itself answers a
        # repeated (source, external id) with the opinion it already recorded.
        msg_id = new_id()
        try:
            await (
                self.connection()
                .jetstream()
                .publish(
                    Intake.submit(source),
                    command.model_dump_json(exclude_none=True).encode(),
                    headers={"Nats-Msg-Id": msg_id},
                    timeout=self.timeout,
                )
            )
            return await asyncio.wait_for(future, self.timeout)
        except (NoRespondersError, NatsTimeout, TimeoutError) as exc:
            raise Unavailable(str(exc)) from exc
        finally:
            waiting = self._waiting.get(key, [])
            if future in waiting:
                waiting.remove(future)
            if not waiting:
                self._waiting.pop(key, None)

    async def close(self) -> None:
        if self._sub is not None:
            try:
                await self._sub.unsubscribe()
            except Exception as exc:  # the connection may already be closed at shutdown
                log.debug("outcome subscription not closed: %s", exc)
            self._sub = None
