"""The portal benchmark's data: a held conference and opinions with their whole published path.

The events are the contracts the real services publish, put on the real streams by stand-ins that own
them (as the portal's service tests do), so the portal builds its read model by its own consumers.
The stand-ins stop before the load: during it, nothing but the portal and nats-server runs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from shared import tracking_codes
from shared.contracts import assignment as a
from shared.contracts.intake import Channel, OpinionClassified, OpinionKind, OpinionReceived
from shared.contracts.scheduling import Chair, ConferenceAnnounced, ConferenceHeld
from shared.host import ServiceHost
from shared.ports import free_port
from shared.settings import ServiceSettings

CONFERENCE = "hn-bench-binh-luc"
T0 = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
AGENCY = "Phòng Văn hóa - Xã hội xã Bình Lục"
STREAMS = {
    "scheduling": "SCHEDULING",
    "intake": "INTAKE",
    "assignment": "ASSIGNMENT",
    "notification": "NOTIFICATION",
}


def code(n: int) -> str:
    return tracking_codes.for_opinion(f"bench-portal-{n}")


def conference() -> list[Any]:
    common: dict[str, Any] = {
        "conference_id": CONFERENCE, "correlation_id": CONFERENCE, "unit_code": "xa-binh-luc",
        "title": "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền xã Bình Lục với Nhân dân",
        "unit_name": "xã Bình Lục", "level": "commune", "starts_at": T0 - dt.timedelta(days=1),
        "ends_at": T0 - dt.timedelta(days=1, hours=-3), "venue": "Nhà văn hóa xã Bình Lục",
        "chairs": [Chair(name="Trần Văn Minh", title="Bí thư Đảng ủy xã")], "participant_groups": ["citizens"],
    }  # fmt: skip
    return [
        ConferenceAnnounced(event_id=f"{CONFERENCE}-a", state="announced", conference_version=2,
                            announced_at=T0 - dt.timedelta(days=9), **common),
        ConferenceHeld(event_id=f"{CONFERENCE}-h", state="held", conference_version=3, held_at=T0,
                       conclusion_due=dt.date(2026, 11, 30), attendee_count=150, opinion_count=40, **common),
    ]  # fmt: skip


def opinion(n: int) -> tuple[list[Any], list[Any]]:
    """Intake's and assignment's events of opinion ``n``: received, classified, assigned, answered, published."""
    oid, tc = f"op-bench-portal-{n}", code(n)
    text = (
        "Đề nghị xã sớm sửa chữa nhà văn hóa thôn sau khi sáp nhập, bổ sung trang thiết bị và bố trí kinh "
        "phí duy tu hằng năm để nhân dân có nơi sinh hoạt cộng đồng."
    )
    intake = [
        OpinionReceived(
            event_id=f"{oid}-r", correlation_id=oid, opinion_id=oid, tracking_code=tc,
            kind=OpinionKind.RECOMMENDATION, channel=Channel.CONFERENCE, conference_id=CONFERENCE,
            content=text, received_at=T0, unit_code="xa-binh-luc", source="desk",
            submitter_name="Nguyễn Thị Hoa", residence="thôn Đồng Quê, xã Bình Lục",
        ),
        OpinionClassified(
            event_id=f"{oid}-c", correlation_id=oid, opinion_id=oid, tracking_code=tc, field="culture_relics",
            kind=OpinionKind.RECOMMENDATION, conference_id=CONFERENCE, level="commune", unit_code="xa-binh-luc",
            summary=text, received_at=T0,
        ),
    ]  # fmt: skip
    common: dict[str, Any] = {
        "opinion_id": oid, "tracking_code": tc, "correlation_id": oid, "field": "culture_relics",
        "summary": text, "received_at": T0, "conference_id": CONFERENCE, "unit_code": "xa-binh-luc",
        "agency_code": "xa-binh-luc-vhxh", "agency_name": AGENCY, "deadline": dt.date(2026, 12, 18),
    }  # fmt: skip
    doc = {"document_number": f"{100 + n}/VHXH", "document_date": dt.date(2026, 12, 1)}
    answer = "Ủy ban nhân dân xã bố trí kinh phí sửa chữa nhà văn hóa thôn trong quý I năm 2027."
    at = [T0 + dt.timedelta(hours=h) for h in range(1, 5)]
    assignment = [
        a.OpinionAssigned(event_id=f"{tc}-as", occurred_at=at[0], assigned_at=at[0], **common),
        a.AnswerSubmitted(event_id=f"{tc}-su", occurred_at=at[1], on_time=True, answer_summary=answer, **doc,
                          **common),
        a.AnswerPublished(event_id=f"{tc}-pu", occurred_at=at[2], on_time=True, answer_summary=answer, **doc,
                          **common),
    ]  # fmt: skip
    return intake, assignment


async def seed(nats_url: str, data_dir: Path, opinions: int) -> list[str]:
    """Put the conference and ``opinions`` opinions on the streams; the tracking codes, in order."""
    hosts = {
        name: ServiceHost(
            ServiceSettings(
                service=name, nats_url=nats_url, http_port=free_port(), data_dir=data_dir,
                store_url=f"sqlite:///{data_dir}/stand-in-{name}.db",
            ),
            owned_streams=[stream],
        )
        for name, stream in STREAMS.items()
    }  # fmt: skip
    for host in hosts.values():
        await host.start()
    try:
        await hosts["scheduling"].publish(conference())
        for n in range(opinions):
            intake, assignment = opinion(n)
            await hosts["intake"].publish(intake)
            await hosts["assignment"].publish(assignment)
    finally:
        for host in hosts.values():
            await host.stop()
    return [code(n) for n in range(opinions)]
