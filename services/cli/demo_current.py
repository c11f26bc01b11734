"""Today's conference of xã Bình Lục (Ninh Bình), replayed through the running services.

Planned and announced on the day the demo runs for ten days later, then moved two days on; four
opinions sent in advance through the portal path: one beyond the commune's authority goes to the
province's Sở Nội vụ (a transfer with its own deadline), one is reclassified by the secretariat and
moves from the Phòng Kinh tế to the Phòng Văn hóa - Xã hội, which is told, as is the office losing it.
Everything uses the units, agencies and rules in force today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from nats.aio.client import Client

from services.cli.client import request
from services.cli.demo_data import load_demo
from services.cli.demo_steps import submit_opinions, wait_for_assignments, wait_for_notices
from shared.contracts import intake_commands as ic
from shared.contracts import scheduling_commands as sc
from shared.subjects import Intake, Scheduling, cmd

UNIT = "binh-luc-xa"
CHAIRS = [
    {"name": "Đinh Văn Hưng", "title": "Bí thư Đảng ủy xã"},
    {"name": "Vũ Thị Lan", "title": "Chủ tịch UBND xã"},
]
SECRETARIAT = "Văn phòng HĐND và UBND xã Bình Lục"
NOTICE_DAYS = 10  # announced ten days ahead: more than the 7 days Law 72/2025 Art. 43 asks
MOVED_BY_DAYS = 2


@dataclass
class CurrentSummary:
    conference_id: str
    starts_at: dt.datetime
    moved_to: dt.datetime
    conference_state: str = ""
    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    reclassified: list[str] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)


def _dates(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The first and the moved start: 08:00 ten days on, then 14:00 two days later (Vietnam time)."""
    first = dt.datetime.combine(now.date() + dt.timedelta(days=NOTICE_DAYS), dt.time(8, 0), now.tzinfo)
    return first, dt.datetime.combine(
        first.date() + dt.timedelta(days=MOVED_BY_DAYS), dt.time(14, 0), now.tzinfo
    )


async def scenario(nc: Client, portal: Client, now: dt.datetime, deadline: float) -> CurrentSummary:
    """Plan, announce and move the conference; take the opinions; reclassify one; wait for the notices."""
    demo = load_demo("binh_luc")
    first, moved = _dates(now)
    conference_id = f"bl-{first.year}-doi-thoai"
    summary = CurrentSummary(conference_id, first, moved)
    ids = {"conference_id": conference_id}

    async def scheduling(verb: str, command: Any) -> Any:
        return await request(nc, cmd(Scheduling.CMD, verb), command)

    await scheduling(
        "plan",
        sc.PlanConference(
            **ids,
            command_id=f"demo-plan-{conference_id}",
            by=SECRETARIAT,
            title=demo.name,
            unit_code=UNIT,
            starts_at=first,
            ends_at=first + dt.timedelta(hours=3, minutes=30),
            chairs=CHAIRS,
            participant_groups=["cadres_party_members", "citizens"],
            venue="Hội trường UBND xã Bình Lục",
            co_organisers=["Ủy ban MTTQ Việt Nam xã Bình Lục"],
            expected_attendance=150,
        ),
    )
    await scheduling(
        "announce", sc.AnnounceConference(**ids, command_id=f"demo-announce-{conference_id}", by=SECRETARIAT)
    )
    await scheduling(
        "reschedule",
        sc.RescheduleConference(
            **ids,
            command_id=f"demo-reschedule-{conference_id}",
            by=SECRETARIAT,
            starts_at=moved,
            ends_at=moved + dt.timedelta(hours=3),
        ),
    )
    sent = await submit_opinions(portal, demo.opinions, conference_id, deadline, channel="external_system")
    summary.accepted, summary.rejected = sent.accepted, sent.rejected
    routed = len(sent.accepted)
    await wait_for_assignments(nc, conference_id, deadline, lambda rows: len(rows) >= routed)
    moves = {o.external_id: o for o in demo.opinions if o.reclassify_to}
    new_field = {sent.code_of(external_id): o.reclassify_to for external_id, o in moves.items()}
    for external_id, o in moves.items():
        code = sent.code_of(external_id)
        reclassify = ic.ReclassifyOpinion(
            tracking_code=code,
            field=o.reclassify_to,
            by=SECRETARIAT,
            reason=o.reclassify_reason,
            command_id=f"demo-reclassify-{conference_id}-{external_id}",
        )
        await request(nc, cmd(Intake.CMD, "reclassify"), reclassify)
        summary.reclassified.append(code)

    def rerouted(rows: list[dict[str, Any]]) -> bool:
        return all(
            r["field"] == new_field[r["tracking_code"]] for r in rows if r["tracking_code"] in new_field
        )

    summary.assignments = await wait_for_assignments(nc, conference_id, deadline, rerouted)
    shown = await scheduling("show", sc.ShowConference(conference_id=conference_id))
    summary.conference_state = str(shown.get("state", ""))
    expected = {
        "conference_announced": 1,
        "conference_rescheduled": 1,
        "opinion_acknowledged": routed,
        "opinion_assigned": routed + len(moves),
        "opinion_withdrawn": len(moves),
    }
    summary.notifications = await wait_for_notices(nc, conference_id, expected, deadline)
    return summary
