"""Events stored before the portal's consumers existed, or while it was stopped, still reach its lists.

The portal's durable consumers are created with ``DeliverPolicy.ALL`` (``shared.streams``): the first
time they exist they read each stream from its first stored message, so an opinion assigned, and a
request made, before the portal was ever started are in the inbox and the head's queue at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from nats.aio.client import Client
from nats.js.api import DeliverPolicy

from services.portal.adapters.repository import OPINIONS
from services.portal.app import build
from shared.contracts import assignment as a
from shared.settings import ServiceSettings
from tests.service.portal.console_bed import HEAD, add_user, login
from tests.service.portal.support import T0, code_for, eventually, owners, portal_settings

pytestmark = [pytest.mark.service, pytest.mark.timeout(180)]
ASKED = dt.date(2026, 12, 30)


def common(opinion_id: str, code: str) -> dict[str, Any]:
    return {
        "opinion_id": opinion_id, "tracking_code": code, "correlation_id": opinion_id, "field": "education",
        "summary": "Đề nghị sửa mái trường tiểu học.", "received_at": T0, "unit_code": "ha-nam",
        "agency_code": "hn-sgddt", "agency_name": "Sở Giáo dục và Đào tạo tỉnh Hà Nam", "deadline": dt.date(2026, 12, 18),
    }  # fmt: skip


def history(opinion_id: str, code: str) -> list[a.AssignmentEvent]:
    hour = dt.timedelta(hours=1)
    fields = common(opinion_id, code)
    return [
        a.OpinionAssigned(event_id=f"{code}-assigned", occurred_at=T0, assigned_at=T0, **fields),
        a.ExtensionRequested(event_id=f"{code}-ext", occurred_at=T0 + hour, requested_deadline=ASKED,
                             reason="Cần khảo sát.", **fields),
        a.ReassignmentRequested(event_id=f"{code}-move", occurred_at=T0 + 2 * hour, reason="Thuộc Sở Xây dựng.",
                                **fields),
    ]  # fmt: skip


async def test_requests_made_before_the_portal_existed_and_decisions_made_while_it_was_stopped_reach_the_queue(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code, opinion = code_for("staff-history"), "op-staff-history"
    stand_ins = owners(settings_for)
    for host in stand_ins.values():
        await host.start()
    settings = portal_settings(settings_for)
    try:
        await stand_ins["assignment"].publish(history(opinion, code))  # no portal consumer exists yet
        portal = build(settings)
        await portal.start()
        try:
            await eventually(lambda: _pending(portal, opinion, ("2026-12-30", True)))
            policies = {
                durable: (await nats_client.jetstream().consumer_info(stream, durable)).config.deliver_policy
                for stream, durable in portal.lag_consumers
            }
            await add_user(nats_client, HEAD)
            async with browser_for(portal) as head:
                await login(head, HEAD["username"])
                queue = (await head.get("/lanh-dao/duyet")).text
        finally:
            await portal.stop()
        decided = a.DeadlineExtended(
            **{**common(opinion, code), "deadline": ASKED}, event_id=f"{code}-extended",
            occurred_at=T0 + dt.timedelta(hours=3), previous_deadline=dt.date(2026, 12, 18), reason="Cần khảo sát.",
        )  # fmt: skip
        await stand_ins["assignment"].publish([decided])  # while the portal is stopped
        restarted = build(settings)
        await restarted.start()
        try:
            await eventually(lambda: _pending(restarted, opinion, (None, True)))
            after = await restarted.store.get(OPINIONS, opinion)
        finally:
            await restarted.stop()
    finally:
        for host in reversed(list(stand_ins.values())):
            await host.stop()

    assert set(policies.values()) == {DeliverPolicy.ALL}
    assert "portal-assignment-progress" in policies
    assert f"Đề nghị gia hạn đến {ASKED.strftime('%d/%m/%Y')}" in queue
    assert "Đề nghị giao cơ quan khác" in queue
    assert code in queue
    assert after is not None
    assert after["deadline"] == ASKED.isoformat()


async def _pending(portal: Any, opinion_id: str, wanted: tuple[str | None, bool]) -> bool:
    doc = await portal.store.get(OPINIONS, opinion_id)
    return doc is not None and (doc.get("pending_extension"), doc.get("pending_reassignment")) == wanted


def browser_for(portal: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=f"http://127.0.0.1:{portal.web_server.port}", timeout=20)
