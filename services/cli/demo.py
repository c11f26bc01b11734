"""The Đồng Du scenario from the seed, replayed through the running services."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import nats
from nats.aio.client import Client

from services.cli.client import request
from shared.subjects import Intake, Notification, Scheduling, cmd

SOURCE = "demo-portal"
CONFERENCE_ID = "hn-2023-dong-du"

OPINIONS = [
    ("dd-01", "Nguyễn Văn Được", "thôn An Bài 1, xã Đồng Du",
     "Đề nghị tỉnh nâng mức hỗ trợ xây dựng, sửa chữa nhà văn hóa thôn sau sáp nhập để giảm phần đóng góp của nhân dân."),
    ("dd-02", "Trần Thị Hoa", "thôn Đồng Du, xã Đồng Du",
     "Đề nghị sớm có văn bản hướng dẫn quy trình đấu giá đất nông nghiệp sử dụng vào mục đích công ích."),
    ("dd-03", "Phạm Văn Nam", "thôn Đô Quan, xã Đồng Du",
     "Đề nghị có chính sách đào tạo nghề, giải quyết việc làm cho lao động nông thôn."),
]  # fmt: skip


@dataclass
class DemoSummary:
    conference_id: str
    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)


async def run_demo(nats_url: str, timeout: float = 60.0) -> DemoSummary:
    nc = await nats.connect(nats_url)
    try:
        return await _scenario(nc, timeout)
    finally:
        await nc.drain()


async def _scenario(nc: Client, timeout: float) -> DemoSummary:
    summary = DemoSummary(CONFERENCE_ID)
    await request(nc, cmd(Scheduling.CMD, "plan"), {
        "command_id": "demo-plan-dong-du",
        "conference_id": CONFERENCE_ID,
        "title": "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền tỉnh với CBĐV, nhân dân xã Đồng Du",
        "unit_code": "xa-dong-du", "unit_name": "xã Đồng Du", "level": "commune",
        "starts_at": "2023-12-20T08:00:00+07:00", "ends_at": "2023-12-20T11:30:00+07:00",
        "chairs": [{"name": "Lê Thị Thủy", "title": "Bí thư Tỉnh ủy"},
                   {"name": "Trương Quốc Huy", "title": "Chủ tịch UBND tỉnh"}],
        "participant_groups": ["cadres_party_members", "citizens"], "venue": "Hội trường UBND xã Đồng Du",
    })  # fmt: skip
    outcomes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def on_outcome(msg: Any) -> None:
        await outcomes.put(json.loads(msg.data))

    sub = await nc.subscribe(Intake.outcome(SOURCE), cb=on_outcome)
    js = nc.jetstream()
    for external_id, name, residence, content in OPINIONS:
        payload = {
            "external_id": external_id, "kind": "recommendation", "content": content,
            "submitter": {"name": name, "role": "citizen", "residence": residence},
            "channel": "conference", "conference_id": CONFERENCE_ID,
        }  # fmt: skip
        await js.publish(Intake.submit(SOURCE), json.dumps(payload, ensure_ascii=False).encode(),
                         headers={"Nats-Msg-Id": f"{SOURCE}:{external_id}"})  # fmt: skip
    deadline = time.monotonic() + timeout
    seen: set[str] = set()
    while len(seen) < len(OPINIONS) and time.monotonic() < deadline:
        try:
            outcome = await asyncio.wait_for(outcomes.get(), timeout=max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            break
        if outcome.get("external_id") in seen:
            continue
        seen.add(outcome.get("external_id", ""))
        (summary.accepted if outcome.get("accepted") else summary.rejected).append(outcome)
    await sub.unsubscribe()
    while time.monotonic() < deadline:
        summary.notifications = await request(nc, cmd(Notification.CMD, "list"), {})
        if len(summary.notifications) >= len(summary.accepted):
            break
        await asyncio.sleep(0.2)
    return summary
