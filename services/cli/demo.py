"""The Đồng Du conference from the seed, replayed through the running services.

The provincial heads' dialogue with the cadres, Party members and citizens of Đồng Du commune (late
2023) is back-recorded in scheduling with the dates it really had; its 16 opinions are published by a
stand-in for the provincial feedback portal through the external intake path; assignment routes them
to the provincial departments; the heads' direct answers and a few written answers are recorded; the
conclusion notice is rendered into the data directory; the notices land in the log channel.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nats.aio.client import Client

from services.cli.client import connect, request
from services.cli.demo_data import load_demo
from shared.contracts import assignment_commands as ac
from shared.contracts import intake_commands as ic
from shared.contracts import notification_commands as notices_cmd
from shared.contracts import scheduling_commands as sc
from shared.contracts.intake import SubmitOpinion, Submitter
from shared.ids import new_id
from shared.settings import ServiceSettings
from shared.subjects import Assignment, Intake, Notification, Scheduling, cmd

SOURCE = "demo-portal"
CONFERENCE_ID = "hn-2023-dong-du"
HEADS = [
    {"name": "Lê Thị Thủy", "title": "Bí thư Tỉnh ủy"},
    {"name": "Trương Quốc Huy", "title": "Chủ tịch UBND tỉnh"},
]
# Topics the heads answered on the spot, each with its own answer; the rest went to the departments.
ANSWERED_AT_CONFERENCE = {
    "village_cultural_house": "Tỉnh đã ban hành cơ chế hỗ trợ xây dựng nhà văn hóa thôn sau sáp nhập; "
    "Sở Văn hóa, Thể thao và Du lịch nghiên cứu nâng mức hỗ trợ trong năm 2024.",
    "relic_restoration": "Tỉnh bố trí kinh phí tu bổ, tôn tạo các di tích cấp tỉnh đã xuống cấp theo thứ tự "
    "ưu tiên; Sở Văn hóa, Thể thao và Du lịch lập danh mục trình Ủy ban nhân dân tỉnh trong quý I năm 2024.",
}
# The bodies the notice goes to besides the departments given opinions (2023: before the district level ended).
CONCLUSION_RECIPIENTS = ("Huyện ủy, UBND huyện Bình Lục", "Đảng ủy, UBND xã Đồng Du")
WRITTEN_ANSWERS = 3
THIS_CONFERENCE = ac.ListAssignments(conference_id=CONFERENCE_ID)


@dataclass
class DemoSummary:
    conference_id: str
    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    topics_sentence: str = ""
    assignments: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    conclusion_docx: Path | None = None
    conclusion_markdown: Path | None = None
    conference_state: str = ""


def _scheduling(verb: str) -> tuple[str, dict[str, str]]:
    """The subject of a scheduling verb and the fields of the demo's command (the same every replay)."""
    return cmd(Scheduling.CMD, verb), {"conference_id": CONFERENCE_ID, "command_id": f"demo-{verb}-dong-du"}


async def run_demo(
    nats_url: str,
    data_dir: Path,
    timeout: float = 120.0,
    *,
    operator: ServiceSettings | None = None,
    source: ServiceSettings | None = None,
) -> DemoSummary:
    """Replay the scenario: commands as ``operator``, submissions as the external system ``source``.

    Both default to an anonymous connection to ``nats_url`` (the embedded stack has no users); a
    deployment passes the ``operator`` user for commands and the ``external`` user (rights on
    ``intake.submit.>`` and ``intake.outcome.>``) for the portal's submissions.
    """
    operator = operator or ServiceSettings(service="operator", nats_url=nats_url)
    nc = await connect(operator)
    portal = nc if source is None else await connect(source, inbox_prefix="_INBOX")
    try:
        return await _scenario(nc, portal, data_dir, time.monotonic() + timeout)
    finally:
        if portal is not nc:
            await portal.drain()
        await nc.drain()


async def _scenario(nc: Client, portal: Client, data_dir: Path, deadline: float) -> DemoSummary:
    summary = DemoSummary(CONFERENCE_ID)
    demo = load_demo("dong_du")
    subject, ids = _scheduling("plan")
    plan = sc.PlanConference(
        **ids,
        effective_at="2023-11-20T09:00:00+07:00",
        title=demo.name,
        unit_code="ha-nam",
        starts_at="2023-12-20T08:00:00+07:00",
        ends_at="2023-12-20T11:30:00+07:00",
        chairs=HEADS,
        participant_groups=["cadres_party_members", "citizens"],
        venue="Hội trường UBND xã Đồng Du, huyện Bình Lục",
        co_organisers=["Ủy ban MTTQ Việt Nam tỉnh Hà Nam"],
        expected_attendance=200,
    )
    await request(nc, subject, plan)
    subject, ids = _scheduling("announce")
    await request(nc, subject, sc.AnnounceConference(**ids, effective_at="2023-12-01T09:00:00+07:00"))
    await _submit_opinions(portal, demo.opinions, summary, deadline)
    subject, ids = _scheduling("hold")
    held = sc.HoldConference(
        **ids, attendee_count=200, opinion_count=len(demo.opinions), effective_at="2023-12-20T11:30:00+07:00"
    )
    await request(nc, subject, held)
    report = await request(nc, cmd(Intake.CMD, "report"), ic.ReportOpinions(conference_id=CONFERENCE_ID))
    summary.topics_sentence = str(report.get("sentence", ""))
    rows = await _wait_for_assignments(nc, len(summary.accepted), deadline)
    topics = {o.external_id: o.topic for o in demo.opinions}
    topic_of = {str(a["tracking_code"]): topics.get(str(a.get("external_id")), "") for a in summary.accepted}
    await _answer(nc, rows, topic_of)
    subject, ids = _scheduling("conclude")
    concluded = sc.ConcludeConference(
        **ids,
        summary="Giao các sở, ngành trả lời bằng văn bản theo từng lĩnh vực; "
        "chuyển cấp có thẩm quyền các nội dung vượt thẩm quyền.",
        document=f"Thông báo kết luận, {data_dir / 'ket-luan-hn-2023-dong-du.docx'}",
        effective_at="2023-12-28T09:00:00+07:00",
    )
    await request(nc, subject, concluded)
    shown = await request(nc, cmd(Scheduling.CMD, "show"), sc.ShowConference(conference_id=CONFERENCE_ID))
    summary.conference_state = str(shown.get("state", ""))
    summary.assignments = await request(nc, cmd(Assignment.CMD, "list"), THIS_CONFERENCE)
    summary.conclusion_docx, summary.conclusion_markdown = await _render_conclusion(nc, data_dir)
    summary.notifications = await _wait_for_notifications(nc, len(summary.assignments), deadline)
    return summary


async def _submit_opinions(nc: Client, opinions: Any, summary: DemoSummary, deadline: float) -> None:
    outcomes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def on_outcome(msg: Any) -> None:
        await outcomes.put(json.loads(msg.data))

    # Subscribed before publishing on the same connection: the server registers the SUB before it
    # receives the submissions, so no outcome can be produced before it.
    sub = await nc.subscribe(Intake.outcome(SOURCE), cb=on_outcome)
    js = nc.jetstream()
    # A replay of the demo on kept data must reach intake again (JetStream would drop a repeated
    # Nats-Msg-Id within its window): intake itself recognises (source, external id) and answers with
    # the tracking codes it gave the first time.
    run = new_id()[:8]
    for o in opinions:
        submitter = Submitter(
            name=o.name,
            role=o.role,
            residence=o.residence,
            consent_to_contact=True,
            email=f"{o.external_id}@nguoidan.example",
        )
        submission = SubmitOpinion(
            external_id=o.external_id,
            kind=o.kind,
            content=o.content,
            channel="conference",
            submitter=submitter,
            conference_id=CONFERENCE_ID,
        )
        msg_id = f"{SOURCE}:{o.external_id}:{run}"
        await js.publish(Intake.submit(SOURCE), submission.to_json(), headers={"Nats-Msg-Id": msg_id})
    seen: set[str] = set()
    while len(seen) < len(opinions) and time.monotonic() < deadline:
        try:
            outcome = await asyncio.wait_for(outcomes.get(), timeout=max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            break
        if outcome.get("external_id") in seen:
            continue
        seen.add(str(outcome.get("external_id")))
        (summary.accepted if outcome.get("accepted") else summary.rejected).append(outcome)
    await sub.unsubscribe()


async def _wait_for_assignments(nc: Client, expected: int, deadline: float) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        rows = await request(nc, cmd(Assignment.CMD, "list"), THIS_CONFERENCE)
        if len(rows) >= expected:
            break
        await asyncio.sleep(0.2)
    return rows


async def _answer(nc: Client, rows: list[dict[str, Any]], topic_of: dict[str, str]) -> None:
    """The heads' direct answers (by topic), then written answers from the departments, published."""
    written = 0
    for row in sorted(rows, key=lambda r: str(r["tracking_code"])):
        opinion, agency = row["opinion_id"], row.get("agency_code")
        topic = topic_of.get(str(row["tracking_code"]), "")
        if topic in ANSWERED_AT_CONFERENCE:
            direct = ac.AnswerDirectly(
                command_id=f"demo-direct-{opinion}",
                opinion_id=opinion,
                answer=ANSWERED_AT_CONFERENCE[topic],
                answered_by=HEADS[1]["name"],
            )
            await request(nc, cmd(Assignment.CMD, "answer-directly"), direct)
        elif agency and row["status"] != "transferred" and written < WRITTEN_ANSWERS:
            # The same opinions every replay: their command ids make a repeated answer a no-op.
            written += 1
            accept = ac.AcceptOpinion(
                command_id=f"demo-accept-{opinion}", opinion_id=opinion, agency_code=agency
            )
            await request(nc, cmd(Assignment.CMD, "accept"), accept)
            answer = ac.SubmitAnswer(
                command_id=f"demo-answer-{opinion}",
                opinion_id=opinion,
                agency_code=agency,
                document_number=f"{100 + written}/{agency}",
                document_date=dt.date.today(),
                summary="Cơ quan đã nghiên cứu và trả lời cụ thể nội dung kiến nghị, nêu rõ lộ trình thực hiện.",
            )
            await request(nc, cmd(Assignment.CMD, "answer"), answer)
            published = ac.PublishAnswer(
                command_id=f"demo-publish-{opinion}", opinion_id=opinion, by=HEADS[1]["name"]
            )
            await request(nc, cmd(Assignment.CMD, "publish"), published)
            if written == 1:
                rating = ac.RateAnswer(
                    command_id=f"demo-rate-{opinion}",
                    opinion_id=opinion,
                    stars=4,
                    comment="Trả lời rõ ràng, mong sớm thực hiện.",
                )
                await request(nc, cmd(Assignment.CMD, "rate"), rating)


async def _render_conclusion(nc: Client, data_dir: Path) -> tuple[Path, Path]:
    """The Tỉnh ủy's notice of the Secretary's conclusions, in the Party's format, dated as in 2023."""
    from services.cli.conclusion import command

    options = command.Options(
        number="125-TB/TU", issued_on=dt.date(2023, 12, 28), recipients=CONCLUSION_RECIPIENTS
    )
    info, items = await command.gather(nc, CONFERENCE_ID, options)
    docx, markdown = data_dir / "ket-luan-hn-2023-dong-du.docx", data_dir / "ket-luan-hn-2023-dong-du.md"
    await asyncio.to_thread(command.write, info, items, docx, markdown)
    return docx, markdown


async def _wait_for_notifications(nc: Client, expected: int, deadline: float) -> list[dict[str, Any]]:
    notices: list[dict[str, Any]] = await request(
        nc, cmd(Notification.CMD, "list"), notices_cmd.ListDeliveries()
    )
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        latest = await request(nc, cmd(Notification.CMD, "list"), notices_cmd.ListDeliveries())
        if len(latest) != len(notices):
            notices, stable_since = latest, time.monotonic()
        elif len(notices) >= expected and time.monotonic() - stable_since > 1.0:
            break
        await asyncio.sleep(0.2)
    return notices
