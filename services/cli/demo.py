"""The demo: the Đồng Du conference from the seed, then today's conference of xã Bình Lục.

The provincial heads' dialogue with the cadres, Party members and citizens of Đồng Du commune (late
2023) is back-recorded with the dates it really had: scheduling's ``effective_at``, the opinions'
``received_at`` (raised during the conference), the answers' ``effective_at`` in January 2024. Its 16
opinions are published by a stand-in for the provincial feedback portal through the external intake
path; assignment routes them to the departments of 2023, with deadlines counted from the conference;
the heads' direct answers and a few written answers are recorded; the conclusion notice is rendered
into the data directory. The current scenario is in ``demo_current``. Notices land in the log channel.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nats.aio.client import Client

from services.cli import demo_current
from services.cli.client import connect, request
from services.cli.demo_current import CurrentSummary
from services.cli.demo_data import load_demo
from services.cli.demo_steps import submit_opinions, wait_for_assignments, wait_for_notices
from shared.contracts import assignment_commands as ac
from shared.contracts import intake_commands as ic
from shared.contracts import scheduling_commands as sc
from shared.settings import ServiceSettings
from shared.subjects import Assignment, Intake, Scheduling, cmd
from shared.timeutil import VN_TZ

CONFERENCE_ID = "hn-2023-dong-du"
HEADS = [
    {"name": "Lê Thị Thủy", "title": "Bí thư Tỉnh ủy"},
    {"name": "Trương Quốc Huy", "title": "Chủ tịch UBND tỉnh"},
]
SECRETARIAT = "Văn phòng UBND tỉnh Hà Nam"  # who plans, announces and records the conference
CONCLUDED_BY = "Trương Quốc Huy (Chủ tịch UBND tỉnh)"
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
# The conference's own dates (Vietnam time): opinions raised during it, answered in early 2024.
VN = VN_TZ
RAISED_FROM = dt.datetime(2023, 12, 20, 8, 30, tzinfo=VN)
ANSWERED_ON_THE_SPOT = dt.datetime(2023, 12, 20, 11, 0, tzinfo=VN)
ACCEPTED = dt.datetime(2024, 1, 2, 8, 30, tzinfo=VN)
ANSWERED = dt.datetime(2024, 1, 8, 15, 0, tzinfo=VN)
PUBLISHED = dt.datetime(2024, 1, 9, 9, 0, tzinfo=VN)
RATED = dt.datetime(2024, 1, 15, 20, 0, tzinfo=VN)


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


@dataclass
class DemoRun:
    """Both scenarios: the seed's back-recorded 2023 conference and a current commune's."""

    seed: DemoSummary
    current: CurrentSummary


def _scheduling(verb: str) -> tuple[str, dict[str, str]]:
    """The subject of a scheduling verb and the fields of the demo's command (the same every replay)."""
    return cmd(Scheduling.CMD, verb), {"conference_id": CONFERENCE_ID, "command_id": f"demo-{verb}-dong-du"}


async def run_demo(
    nats_url: str,
    data_dir: Path,
    timeout: float = 180.0,
    *,
    operator: ServiceSettings | None = None,
    source: ServiceSettings | None = None,
) -> DemoRun:
    """Replay both scenarios: commands as ``operator``, submissions as the external system ``source``.

    Both default to an anonymous connection to ``nats_url`` (the embedded stack has no users); a
    deployment passes the ``operator`` user for commands and the ``external`` user (rights on
    ``intake.submit.>`` and ``intake.outcome.>``) for the portal's submissions.
    """
    operator = operator or ServiceSettings(service="operator", nats_url=nats_url)
    nc = await connect(operator)
    portal = nc if source is None else await connect(source, inbox_prefix="_INBOX")
    try:
        # Each scenario has the whole time: a slow first one must not starve the second.
        seed = await _scenario(nc, portal, data_dir, time.monotonic() + timeout)
        current = await demo_current.scenario(nc, portal, dt.datetime.now(VN), time.monotonic() + timeout)
        return DemoRun(seed, current)
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
        by=SECRETARIAT,
    )
    await request(nc, subject, plan)
    subject, ids = _scheduling("announce")
    await request(
        nc, subject, sc.AnnounceConference(**ids, effective_at="2023-12-01T09:00:00+07:00", by=SECRETARIAT)
    )
    # Raised during the conference, five minutes apart: deadlines count from then, not from today.
    raised = await submit_opinions(
        portal,
        demo.opinions,
        CONFERENCE_ID,
        deadline,
        received_at=lambda i: RAISED_FROM + dt.timedelta(minutes=5 * i),
    )
    summary.accepted, summary.rejected = raised.accepted, raised.rejected
    subject, ids = _scheduling("hold")
    held = sc.HoldConference(
        **ids,
        attendee_count=200,
        opinion_count=len(demo.opinions),
        effective_at="2023-12-20T11:30:00+07:00",
        by=SECRETARIAT,
    )
    await request(nc, subject, held)
    report = await request(nc, cmd(Intake.CMD, "report"), ic.ReportOpinions(conference_id=CONFERENCE_ID))
    summary.topics_sentence = str(report.get("sentence", ""))
    routed = len(summary.accepted)
    rows = await wait_for_assignments(nc, CONFERENCE_ID, deadline, lambda rows: len(rows) >= routed)
    topics = {o.external_id: o.topic for o in demo.opinions}
    topic_of = {str(a["tracking_code"]): topics.get(str(a.get("external_id")), "") for a in summary.accepted}
    written = await _answer(nc, rows, topic_of)
    subject, ids = _scheduling("conclude")
    concluded = sc.ConcludeConference(
        **ids,
        summary="Giao các sở, ngành trả lời bằng văn bản theo từng lĩnh vực; "
        "chuyển cấp có thẩm quyền các nội dung vượt thẩm quyền.",
        document=f"Thông báo kết luận, {data_dir / 'ket-luan-hn-2023-dong-du.docx'}",
        effective_at="2023-12-28T09:00:00+07:00",
        by=CONCLUDED_BY,
    )
    await request(nc, subject, concluded)
    shown = await request(nc, cmd(Scheduling.CMD, "show"), sc.ShowConference(conference_id=CONFERENCE_ID))
    summary.conference_state = str(shown.get("state", ""))
    this_conference = ac.ListAssignments(conference_id=CONFERENCE_ID)
    summary.assignments = await request(nc, cmd(Assignment.CMD, "list"), this_conference)
    summary.conclusion_docx, summary.conclusion_markdown = await _render_conclusion(nc, data_dir)
    expected = {"opinion_acknowledged": routed, "answer_published": written, "satisfaction_survey": written}
    summary.notifications = await wait_for_notices(nc, CONFERENCE_ID, expected, deadline)
    return summary


async def _answer(nc: Client, rows: list[dict[str, Any]], topic_of: dict[str, str]) -> int:
    """The heads' direct answers (by topic), then written answers from the departments, published.

    Everything is back-recorded on the days it happened (``effective_at``), so the answers of early
    January 2024 are on time against the deadlines counted from the conference. Answers how many
    written answers were published.
    """
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
                effective_at=ANSWERED_ON_THE_SPOT,
            )
            await request(nc, cmd(Assignment.CMD, "answer-directly"), direct)
        elif agency and row["status"] != "transferred" and written < WRITTEN_ANSWERS:
            # The same opinions every replay: their command ids make a repeated answer a no-op.
            written += 1
            accept = ac.AcceptOpinion(
                command_id=f"demo-accept-{opinion}",
                opinion_id=opinion,
                agency_code=agency,
                effective_at=ACCEPTED,
            )
            await request(nc, cmd(Assignment.CMD, "accept"), accept)
            answer = ac.SubmitAnswer(
                command_id=f"demo-answer-{opinion}",
                opinion_id=opinion,
                agency_code=agency,
                document_number=f"{100 + written}/{agency}",
                document_date=ANSWERED.date(),
                summary="Cơ quan đã nghiên cứu và trả lời cụ thể nội dung kiến nghị, nêu rõ lộ trình thực hiện.",
                effective_at=ANSWERED,
            )
            await request(nc, cmd(Assignment.CMD, "answer"), answer)
            published = ac.PublishAnswer(
                command_id=f"demo-publish-{opinion}",
                opinion_id=opinion,
                by=HEADS[1]["name"],
                effective_at=PUBLISHED,
            )
            await request(nc, cmd(Assignment.CMD, "publish"), published)
            if written == 1:
                rating = ac.RateAnswer(
                    command_id=f"demo-rate-{opinion}",
                    opinion_id=opinion,
                    stars=4,
                    comment="Trả lời rõ ràng, mong sớm thực hiện.",
                    effective_at=RATED,
                )
                await request(nc, cmd(Assignment.CMD, "rate"), rating)
    return written


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
