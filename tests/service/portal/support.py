"""The portal against a real nats-server and store, with the owners of the streams it reads."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from services.portal.app import PortalHost, build
from services.portal.settings import PortalSettings
from shared import rating_links, tracking_codes
from shared.contracts import assignment as a
from shared.contracts.intake import Channel, OpinionClassified, OpinionKind, OpinionReceived
from shared.contracts.scheduling import Chair, ConferenceAnnounced, ConferenceHeld
from shared.host import ServiceHost
from shared.ports import free_port
from shared.settings import ServiceSettings

SECRET = b"test-rating-link-secret-0123456789"
API_KEY = "key-cong-thong-tin-tinh-0001"
SOURCE = "cong-thong-tin-tinh"
CONFERENCE = "hn-portal-dong-du"
T0 = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
PHONE = "0912345678"
EMAIL = "nguyen.thanh@example.vn"
ID_NUMBER = "001203004567"
FULL_NAME = "Nguyễn Văn Thành"
AGENCY = "Phòng Kinh tế xã Đồng Du"


def code_for(seed: str) -> str:
    """A well-formed tracking code of its own for each test (the format intake issues)."""
    return tracking_codes.for_opinion(seed)


def portal_settings(settings_for: Callable[[str], ServiceSettings], **changes: Any) -> PortalSettings:
    base = settings_for("portal").model_dump()
    values: dict[str, Any] = {
        **base,
        "portal_web_port": free_port(),
        "rating_link_secret": SECRET.decode(),
        "portal_open311_keys": f"{SOURCE}={API_KEY}",
        "portal_command_timeout_seconds": 10.0,
    }
    return PortalSettings(**{**values, **changes})


def owners(
    settings_for: Callable[[str], ServiceSettings], skip: Sequence[str] = ()
) -> dict[str, ServiceHost]:
    """Stand-ins that own the streams the portal reads (those in ``skip`` run as real services)."""
    streams = {
        "scheduling": "SCHEDULING",
        "intake": "INTAKE",
        "assignment": "ASSIGNMENT",
        "notification": "NOTIFICATION",
    }
    return {
        name: ServiceHost(settings_for(name), owned_streams=[stream])
        for name, stream in streams.items()
        if name not in skip
    }


@dataclass
class Running:
    portal: PortalHost
    hosts: dict[str, ServiceHost]
    http: httpx.AsyncClient

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.portal.web_server.port}"


@asynccontextmanager
async def running_portal(
    settings_for: Callable[[str], ServiceSettings],
    *,
    services: dict[str, ServiceHost] | None = None,
    **changes: Any,
) -> AsyncIterator[Running]:
    """Owners (stand-ins or the real ``services`` given) started, then the portal; all stopped after."""
    hosts = {**owners(settings_for, skip=list(services or {})), **(services or {})}
    portal = build(portal_settings(settings_for, **changes))
    started: list[ServiceHost] = []
    try:
        for name, host in hosts.items():  # the stand-ins first: real services wait for their streams
            if name not in (services or {}):
                await host.start()
                started.append(host)
        real = list((services or {}).values())
        started += real
        await asyncio.gather(*(host.start() for host in real))
        await portal.start()
        started.append(portal)
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{portal.web_server.port}", timeout=20, follow_redirects=False
        ) as http:
            yield Running(portal, hosts, http)
    finally:
        for host in reversed(started):
            await host.stop()


async def eventually(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Call ``check`` (sync or async) until it answers something truthy."""
    async with asyncio.timeout(timeout):
        while True:
            result = check()
            if asyncio.iscoroutine(result):
                result = await result
            if result:
                return result
            await asyncio.sleep(0.05)


def received(opinion_id: str, code: str, **changes: Any) -> OpinionReceived:
    values: dict[str, Any] = {
        "event_id": f"{opinion_id}-received",
        "correlation_id": opinion_id,
        "opinion_id": opinion_id,
        "tracking_code": code,
        "kind": OpinionKind.RECOMMENDATION,
        "channel": Channel.EXTERNAL_SYSTEM,
        "conference_id": CONFERENCE,
        "content": f"Đề nghị mở lớp đào tạo nghề; liên hệ {PHONE}, {EMAIL}, CCCD {ID_NUMBER}.",
        "received_at": T0,
        "unit_code": "xa-dong-du",
        "source": SOURCE,
        "submitter_name": FULL_NAME,
        "residence": "số 12 thôn An Bài 1, xã Đồng Du",
    }
    return OpinionReceived(**{**values, **changes})


def classified(opinion_id: str, code: str, field: str = "labour_jobs") -> OpinionClassified:
    return OpinionClassified(
        event_id=f"{opinion_id}-classified", correlation_id=opinion_id, opinion_id=opinion_id,
        tracking_code=code, field=field, kind=OpinionKind.RECOMMENDATION, conference_id=CONFERENCE,
        level="commune", unit_code="xa-dong-du", summary="Đề nghị mở lớp đào tạo nghề.", received_at=T0,
    )  # fmt: skip


def path(opinion_id: str, code: str) -> list[a.AssignmentEvent]:
    """Assigned, answered, returned, answered again, published: the whole written-answer path."""
    common: dict[str, Any] = {
        "opinion_id": opinion_id, "tracking_code": code, "correlation_id": opinion_id, "field": "labour_jobs",
        "summary": "Đề nghị mở lớp đào tạo nghề.", "received_at": T0, "conference_id": CONFERENCE,
        "agency_code": "xa-dong-du-kinh-te", "agency_name": AGENCY, "agency_email": "kinhte@dongdu.example.vn",
        "deadline": dt.date(2026, 12, 18),
    }  # fmt: skip
    at = [T0 + dt.timedelta(hours=h) for h in range(1, 7)]
    doc = {"document_number": "12/PKT", "document_date": dt.date(2026, 12, 1)}
    return [
        a.OpinionAssigned(event_id=f"{code}-assigned", occurred_at=at[0], assigned_at=at[0], **common),
        a.AnswerSubmitted(event_id=f"{code}-submitted-1", occurred_at=at[1], on_time=True,
                          answer_summary="Bản nháp.", **doc, **common),
        a.AnswerReturned(event_id=f"{code}-returned", occurred_at=at[2], reason="Ông Trần Văn B. chưa ký.",
                         **common),
        a.AnswerSubmitted(event_id=f"{code}-submitted-2", occurred_at=at[3], on_time=True,
                          answer_summary="Lớp nghề mở tháng 3/2027.", **doc, **common),
        a.AnswerPublished(event_id=f"{code}-published", occurred_at=at[4], on_time=True,
                          answer_summary="Lớp đào tạo nghề mở vào tháng 3/2027 tại nhà văn hóa xã.",
                          **doc, **common),
    ]  # fmt: skip


def conference_events(state: str = "held") -> list[ConferenceAnnounced | ConferenceHeld]:
    common: dict[str, Any] = {
        "conference_id": CONFERENCE, "correlation_id": CONFERENCE, "title": "Hội nghị đối thoại xã Đồng Du",
        "unit_code": "xa-dong-du", "unit_name": "xã Đồng Du", "level": "commune",
        "starts_at": T0 - dt.timedelta(days=1), "ends_at": T0 - dt.timedelta(days=1) + dt.timedelta(hours=3),
        "chairs": [Chair(name="Lê Thị Thủy", title="Bí thư Đảng ủy xã")], "venue": "Nhà văn hóa xã Đồng Du",
        "participant_groups": ["citizens"],
    }  # fmt: skip
    announced = ConferenceAnnounced(
        event_id=f"{CONFERENCE}-announced", state="announced", conference_version=2, announced_at=T0, **common
    )
    if state == "announced":
        return [announced]
    held = ConferenceHeld(
        event_id=f"{CONFERENCE}-held", state="held", conference_version=3, held_at=T0,
        conclusion_due=dt.date(2026, 11, 30), attendee_count=120, opinion_count=12, **common,
    )  # fmt: skip
    return [announced, held]


def rating_link(code: str, expires_at: dt.datetime | None = None, secret: bytes = SECRET) -> str:
    expires = expires_at or dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    return f"/danh-gia/{code}?{rating_links.signed_query(code, expires, secret)}"
