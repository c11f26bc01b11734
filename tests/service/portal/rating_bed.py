"""An opinion taken to publication by the real assignment service, for the rating and browser tests."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from nats.aio.client import Client

from services.assignment.app import build as build_assignment
from services.assignment.settings import AssignmentSettings
from shared.contracts.intake import OpinionClassified, OpinionKind
from shared.contracts.scheduling import ConferencePlanned
from shared.settings import ServiceSettings
from shared.subjects import Assignment
from tests.service.portal.support import Running, eventually, received

CONFERENCE = "conf-portal-rating"
# Before 1 July 2025: Hà Nam and its departments (the routing table's hn-sgddt) still existed.
WHEN = dt.datetime(2025, 3, 10, 2, 0, tzinfo=dt.UTC)


async def command(nc: Client, verb: str, payload: dict[str, Any]) -> dict[str, Any]:
    reply = await nc.request(f"{Assignment.CMD}.{verb}", json.dumps(payload).encode(), timeout=10)
    answer: dict[str, Any] = json.loads(reply.data)
    return answer


def classified(opinion_id: str, code: str) -> OpinionClassified:
    return OpinionClassified(
        event_id=f"{opinion_id}-classified", correlation_id=opinion_id, opinion_id=opinion_id, tracking_code=code,
        field="education", kind=OpinionKind.RECOMMENDATION, conference_id=CONFERENCE, level="province",
        unit_code="ha-nam", summary="Đề nghị sửa trường học.", received_at=WHEN,
    )  # fmt: skip


def assignment(settings_for: Callable[[str], ServiceSettings]) -> Any:
    settings = AssignmentSettings(**settings_for("assignment").model_dump())
    return build_assignment(settings, clock=lambda: WHEN + dt.timedelta(hours=1))


async def opinion_at(run: Running, nc: Client, opinion_id: str, code: str, *, publish: bool) -> None:
    """An opinion recorded by intake (its events) and routed by assignment; answered and published."""
    await run.hosts["scheduling"].publish(
        [
            ConferencePlanned(
                event_id=f"{CONFERENCE}-planned", conference_id=CONFERENCE, title="Hội nghị đối thoại tỉnh",
                unit_code="ha-nam", unit_name="tỉnh Hà Nam", level="province", starts_at=WHEN, ends_at=WHEN,
            )
        ]
    )  # fmt: skip
    await run.hosts["intake"].publish(
        [received(opinion_id, code, conference_id=CONFERENCE, received_at=WHEN)]
    )
    await run.hosts["intake"].publish([classified(opinion_id, code)])

    async def assigned() -> bool:
        page = await run.http.get(f"/tra-cuu/{code}")
        return page.status_code == 200 and "step assigned" in page.text

    await eventually(assigned)
    await eventually(lambda: run.portal.store.get("conferences", CONFERENCE))  # the page names it
    if not publish:
        return
    answer = {"opinion_id": opinion_id, "agency_code": "hn-sgddt", "document_date": "2025-03-12",
              "summary": "Sở sẽ sửa trường trong quý I.", "command_id": f"{code}-a", "document_number": "1/SGD"}  # fmt: skip
    assert (await command(nc, "answer", answer))["ok"]
    assert (await command(nc, "publish", {"command_id": f"{code}-p", "opinion_id": opinion_id}))["ok"]

    async def published() -> bool:
        page = await run.http.get(f"/tra-cuu/{code}")
        return "step published" in page.text

    await eventually(published)
