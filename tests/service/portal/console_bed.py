"""Officials against the portal: accounts made by the portal's own command, logins over real HTTP.

The real assignment service runs on a clock that ticks a second per reading, so the answer, the
return, the second answer and the publication each have their own instant (as they would in life).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable
from typing import Any

import httpx
from nats.aio.client import Client

from services.assignment.app import build as build_assignment
from services.assignment.settings import AssignmentSettings
from shared.contracts import assignment as a
from shared.contracts.portal_commands import PORTAL_CMD
from shared.settings import ServiceSettings
from tests.service.portal.rating_bed import CONFERENCE, WHEN
from tests.service.portal.support import T0, Running

AGENCY = "hn-sgddt"  # the real assignment routes the rating bed's education opinion to it
UNIT = "ha-nam"
OTHER_AGENCY = "xa-dong-du-kinh-te"
PASSWORD = "mat-khau-du-dai-2026"
OFFICER = {"username": "lan.sgddt", "display_name": "Trần Thị Lan", "role": "agency_officer", "scope": AGENCY}
HEAD = {"username": "hung.ubnd", "display_name": "Phạm Văn Hùng", "role": "head", "scope": UNIT}
OTHER_OFFICER = {"username": "minh.kinhte", "display_name": "Lê Văn Minh", "role": "agency_officer",
                 "scope": OTHER_AGENCY}  # fmt: skip


def ticking_assignment(settings_for: Callable[[str], ServiceSettings]) -> Any:
    ticks = itertools.count()
    settings = AssignmentSettings(**settings_for("assignment").model_dump())
    return build_assignment(settings, clock=lambda: WHEN + dt.timedelta(hours=1, seconds=next(ticks)))


async def portal_command(nc: Client, verb: str, payload: dict[str, Any]) -> dict[str, Any]:
    reply = await nc.request(f"{PORTAL_CMD}.{verb}", json.dumps(payload).encode(), timeout=10)
    answer: dict[str, Any] = json.loads(reply.data)
    return answer


async def add_user(nc: Client, account: dict[str, str], password: str = PASSWORD) -> dict[str, Any]:
    answer = await portal_command(nc, "user-add", {**account, "password": password})
    assert answer["ok"], answer
    return answer


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def browser(run: Running) -> httpx.AsyncClient:
    """Another browser: a client with its own cookies."""
    return httpx.AsyncClient(base_url=run.url, timeout=20, follow_redirects=False)


async def login(http: httpx.AsyncClient, username: str, password: str = PASSWORD) -> httpx.Response:
    form = await http.get("/dang-nhap")
    return await http.post(
        "/dang-nhap", data={"csrf": csrf(form.text), "ten": username, "mat-khau": password}
    )


async def another_opinion_held_by(
    nc: Client,
    agency_code: str,
    opinion_id: str,
    code: str,
    *,
    deadline: dt.date = dt.date(2026, 12, 18),
    summary: str = "Đề nghị mở lớp đào tạo nghề.",
    agency_name: str = "Phòng Kinh tế xã Đồng Du",
) -> None:
    """An assignment event of an opinion held by ``agency_code`` (straight onto the stream)."""
    event = a.OpinionAssigned(
        event_id=f"{code}-assigned", opinion_id=opinion_id, tracking_code=code, correlation_id=opinion_id,
        field="labour_jobs", summary=summary, received_at=T0, conference_id=CONFERENCE,
        unit_code="xa-dong-du", agency_code=agency_code, agency_name=agency_name,
        deadline=deadline, assigned_at=T0, occurred_at=T0,
    )  # fmt: skip
    await nc.jetstream().publish(
        event.routing_subject(), event.model_dump_json().encode(), headers={"Nats-Msg-Id": event.event_id}
    )
