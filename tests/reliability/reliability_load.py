"""Load for fault tests: plan a conference, publish opinions as an external system would, then count
what each stage produced once the system is quiet.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import nats
from nats.aio.client import Client
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from reliability_harness import SmtpSink

from services.cli.demo_data import load_demo
from shared.subjects import Assignment, Intake, Scheduling, cmd

SOURCE = "demo-portal"
CONFERENCE_ID = "hn-2023-dong-du"
RAISED_AT = "2023-12-20T09:00:00+07:00"
# The afternoon session: submissions to two conferences give intake batches that hold a chain of
# several opinions of each conference (committed as one save group, see services/intake/adapters/
# topics_cache.py) beside another conference's, so a crash hits both kinds.
AFTERNOON_ID = "hn-2023-dong-du-chieu"
AFTERNOON_RAISED_AT = "2023-12-20T14:00:00+07:00"
CONFERENCES = (CONFERENCE_ID, AFTERNOON_ID)
T = TypeVar("T")
CONTENTS = [o.content for o in load_demo("dong_du").opinions]


async def connect(url: str) -> Client:
    """A client that keeps reconnecting while a node or the server is down."""
    return await nats.connect(
        url.split(","), max_reconnect_attempts=-1, reconnect_time_wait=0.2, connect_timeout=2
    )


async def command(nc: Client, subject: str, payload: dict[str, Any], attempts: int = 60) -> Any:
    """A request/reply command, retried while its service (re)starts; returns the reply's data."""
    for attempt in range(attempts):
        try:
            reply = await nc.request(subject, json.dumps(payload).encode(), timeout=5)
            answer = json.loads(reply.data)
            if answer.get("code") != "temporarily_unavailable":
                assert answer.get("ok"), answer
                return answer.get("data")
        except (nats.errors.NoRespondersError, nats.errors.TimeoutError):
            if attempt == attempts - 1:
                raise
        await asyncio.sleep(0.5)
    raise AssertionError(f"{subject} never answered")


async def plan_conference(nc: Client, conference_id: str = CONFERENCE_ID) -> None:
    """The Đồng Du dialogue, back-recorded with its real dates (as the demo does) and announced
    (``AFTERNOON_ID``: its afternoon session, in the same hall after the morning's)."""
    base = {"conference_id": conference_id}
    morning = conference_id == CONFERENCE_ID
    hours = ("08:00", "11:30") if morning else ("13:30", "17:00")
    await command(nc, cmd(Scheduling.CMD, "plan"), {
        **base, "command_id": f"rel-plan-{conference_id}", "effective_at": "2023-11-20T09:00:00+07:00",
        "title": "Hội nghị đối thoại tại xã Đồng Du" + ("" if morning else " (buổi chiều)"), "unit_code": "ha-nam",
        "starts_at": f"2023-12-20T{hours[0]}:00+07:00", "ends_at": f"2023-12-20T{hours[1]}:00+07:00",
        "chairs": [{"name": "Lê Thị Thủy", "title": "Bí thư Tỉnh ủy"}],
        "participant_groups": ["cadres_party_members", "citizens"], "venue": "Hội trường UBND xã Đồng Du",
    })  # fmt: skip
    await command(nc, cmd(Scheduling.CMD, "announce"), {
        **base, "command_id": f"rel-announce-{conference_id}", "effective_at": "2023-12-01T09:00:00+07:00"})  # fmt: skip


def submission(
    external_id: str, index: int, name: str = "Phạm Văn Nam", conference_id: str = CONFERENCE_ID
) -> dict[str, Any]:
    return {
        "external_id": external_id,
        "kind": "recommendation",
        "content": f"{CONTENTS[index % len(CONTENTS)]} (ý kiến số {external_id})",
        "submitter": {"name": name, "role": "citizen", "residence": "thôn Đô Quan, xã Đồng Du"},
        "channel": "conference",
        "conference_id": conference_id,
        # Raised at the 2023 conference: routed to the departments of that date, deadlines from then.
        "received_at": RAISED_AT if conference_id == CONFERENCE_ID else AFTERNOON_RAISED_AT,
    }


@dataclass
class Load:
    """Publishes submissions until each one has a PubAck (NATS may be down meanwhile)."""

    nc: Client
    published: list[str] = field(default_factory=list)
    publish_retries: int = 0

    async def publish(self, external_id: str, body: dict[str, Any], timeout: float = 120.0) -> None:
        js = self.nc.jetstream()
        data = json.dumps(body, ensure_ascii=False).encode()
        deadline = time.monotonic() + timeout
        while True:
            try:
                # The same Nats-Msg-Id on every attempt: a retry of a stored message is deduplicated.
                await js.publish(Intake.submit(SOURCE), data, headers={"Nats-Msg-Id": f"{SOURCE}:{external_id}"}, timeout=2)  # fmt: skip
                self.published.append(external_id)
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                self.publish_retries += 1
                await asyncio.sleep(0.2)

    async def run(self, prefix: str, count: int, per_second: float = 100.0) -> None:
        for index in range(count):
            external_id = f"{prefix}-{index:04d}"
            await self.publish(external_id, submission(external_id, index))
            await asyncio.sleep(1 / per_second)  # paced, so faults land in the middle of the load


async def retrying(call: Callable[[], Awaitable[T]], attempts: int = 40) -> T:
    """A JetStream API call, retried while a cluster elects a new leader or a server restarts."""
    for attempt in range(attempts):
        try:
            return await call()
        except (nats.errors.Error, TimeoutError):
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")


async def read_subject(nc: Client, subject: str) -> list[dict[str, Any]]:
    """Every message stored on ``subject`` (an ephemeral pull consumer read to the end)."""
    return await retrying(lambda: _read_subject(nc, subject))


async def _read_subject(nc: Client, subject: str) -> list[dict[str, Any]]:
    js = nc.jetstream()
    config = ConsumerConfig(
        deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE, inactive_threshold=30.0
    )
    sub = await js.pull_subscribe(subject, config=config)
    found: list[dict[str, Any]] = []
    try:
        while True:
            try:
                batch = await sub.fetch(500, timeout=1.0)
            except nats.errors.TimeoutError:
                return found
            found.extend(json.loads(m.data) for m in batch)
            if batch and batch[-1].metadata.num_pending == 0:
                return found
    finally:
        await sub.unsubscribe()


@dataclass
class Counts:
    """What the system did with the published submissions, counted at each stage."""

    published: int
    accepted: dict[str, dict[str, Any]]  # external id → outcome
    rejected: int
    assigned: Counter[str]  # opinion id → OpinionAssigned messages in the ASSIGNMENT stream
    listed: set[str]  # opinion ids listed by assignment.cmd.list
    emails: Counter[str]  # tracking code → opinion_assigned e-mails received
    distinct_emails: Counter[str]  # tracking code → distinct Message-IDs

    def summary(self) -> dict[str, int]:
        codes = {o["tracking_code"] for o in self.accepted.values()}
        ids = {o["opinion_id"] for o in self.accepted.values()}
        return {
            "published": self.published,
            "accepted": len(self.accepted),
            "rejected": self.rejected,
            "assigned": sum(1 for i in ids if self.assigned[i] >= 1),
            "assigned_duplicates": sum(max(0, n - 1) for n in self.assigned.values()),
            "emails": sum(self.emails[c] for c in codes),
            "email_duplicates_on_wire": sum(max(0, n - 1) for n in self.emails.values()),
            "email_duplicates_by_message_id": sum(max(0, n - 1) for n in self.distinct_emails.values()),
            "lost": len(ids - self.listed) + sum(1 for c in codes if self.emails[c] == 0),
        }


async def count(nc: Client, smtp: SmtpSink, published: list[str]) -> Counts:
    outcomes = await read_subject(nc, Intake.outcome(SOURCE))
    wanted = set(published)
    accepted = {o["external_id"]: o for o in outcomes if o["accepted"] and o["external_id"] in wanted}
    rejected = len({o["external_id"] for o in outcomes if not o["accepted"] and o["external_id"] in wanted})
    assigned = Counter(e["opinion_id"] for e in await read_subject(nc, Assignment.OPINION_ASSIGNED))
    rows = [
        row
        for conference_id in CONFERENCES
        for row in await command(
            nc, cmd(Assignment.CMD, "list"), {"conference_id": conference_id, "limit": 5000}
        )
    ]
    emails = smtp.assigned()
    return Counts(
        published=len(wanted), accepted=accepted, rejected=rejected, assigned=assigned,
        listed={r["opinion_id"] for r in rows}, emails=Counter(code for code, _ in emails),
        distinct_emails=Counter(code for code, _ in set(emails)),
    )  # fmt: skip


async def wait_quiet(
    nc: Client, smtp: SmtpSink, published: list[str], timeout: float = 90.0, quiet: float = 5.0
) -> Counts:
    """Count again and again until every accepted opinion has its e-mail and nothing changed for
    ``quiet`` seconds (longer than the notification sending grace, so a late resend shows up)."""
    deadline = time.monotonic() + timeout
    last: dict[str, int] | None = None
    since = time.monotonic()
    while True:
        counts = await count(nc, smtp, published)
        summary = counts.summary()
        if summary != last:
            last, since = summary, time.monotonic()
        complete = summary["accepted"] + summary["rejected"] == summary["published"] and summary["lost"] == 0
        if complete and time.monotonic() - since >= quiet:
            return counts
        if time.monotonic() > deadline:
            return counts
        await asyncio.sleep(0.5)


def assert_exactly_once(counts: Counts, *, wire_duplicates_allowed: bool = False) -> None:
    """Every accepted submission assigned once and e-mailed once; nothing accepted lost."""
    summary = counts.summary()
    assert summary["published"] > 0
    assert summary["accepted"] == summary["published"], summary
    ids = {o["opinion_id"] for o in counts.accepted.values()}
    codes = {o["tracking_code"] for o in counts.accepted.values()}
    assert {i: n for i, n in counts.assigned.items() if i in ids and n != 1} == {}, summary
    assert ids <= set(counts.assigned), summary
    assert ids <= counts.listed, summary
    assert {c for c in codes if counts.distinct_emails[c] != 1} == set(), summary
    assert set(counts.emails) <= codes, "an e-mail names an opinion that was never accepted"
    if not wire_duplicates_allowed:
        assert {c: n for c, n in counts.emails.items() if n != 1} == {}, summary


async def wait_for(predicate: Callable[[], Any], timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(predicate):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)
