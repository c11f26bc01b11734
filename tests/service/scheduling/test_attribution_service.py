"""Who planned and who announced a conference, as the events on the SCHEDULING stream say (issue 15):
sent over NATS, and by the operator's CLI."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable

import pytest
from nats.aio.client import Client
from scheduling_support import Ask, plan_payload, stream_events

from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Scheduling

pytestmark = pytest.mark.service

SECRETARY = "Trần Thị Bình (vp-binh-luc)"


async def test_the_planned_event_says_who_planned_the_conference(
    host: ServiceHost, ask: Ask, nats_client: Client
) -> None:
    planned = await ask("plan", plan_payload("c-by-1", "p-by-1", by=SECRETARY))
    assert planned["ok"], planned
    announced = await ask("announce", {"command_id": "a-by-1", "conference_id": "c-by-1", "by": SECRETARY})
    assert announced["ok"], announced
    events = await stream_events(nats_client)  # type: ignore[arg-type]
    assert [(s, e["by"]) for s, e in events] == [
        (Scheduling.CONFERENCE_PLANNED, SECRETARY),
        (Scheduling.CONFERENCE_ANNOUNCED, SECRETARY),
    ]


async def test_a_plan_from_a_sender_without_by_is_accepted_and_attributed_to_the_secretariat(
    host: ServiceHost, ask: Ask, nats_client: Client
) -> None:
    planned = await ask("plan", plan_payload("c-by-2", "p-by-2"))
    assert planned["ok"], planned
    [(subject, event)] = await stream_events(nats_client)  # type: ignore[arg-type]
    assert (subject, event["by"]) == (Scheduling.CONFERENCE_PLANNED, "secretariat")


async def dialogue(nats_url: str, *args: str) -> tuple[int, str]:
    """The operator's CLI as a subprocess against the test's server."""
    env = {**os.environ, "DIALOGUE_NATS_URL": nats_url, "COLUMNS": "200"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.cli.main", *args, env=env, start_new_session=True,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, " ".join(out.decode().split())


async def test_the_cli_sends_the_operator_named_by_by_and_the_events_say_it(
    host: ServiceHost, nats_client: Client, settings_for: Callable[[str], ServiceSettings]
) -> None:
    url = settings_for("operator").nats_url
    plan = ["conference", "plan", "--id", "c-by-3", "--title", "Hội nghị đối thoại với nhân dân xã Bình Lục",
            "--unit", "binh-luc-xa", "--start", "2026-12-12 08:00", "--end", "2026-12-12 11:00",
            "--chair", "Nguyễn Văn An|Bí thư Đảng ủy xã", "--group", "citizens",
            "--venue", "Hội trường UBND xã Bình Lục", "--by", "Lê Văn Nam"]  # fmt: skip
    planned = await dialogue(url, *plan)
    announced = await dialogue(url, "conference", "announce", "c-by-3")
    assert (planned[0], announced[0]) == (0, 0), (planned, announced)
    events = await stream_events(nats_client)  # type: ignore[arg-type]
    assert [(s, e["by"]) for s, e in events] == [
        (Scheduling.CONFERENCE_PLANNED, "Lê Văn Nam"),
        (Scheduling.CONFERENCE_ANNOUNCED, "secretariat"),  # an operator who gives no --by
    ]
