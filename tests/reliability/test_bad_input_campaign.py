"""Hostile input against the external intake subject and every command subject: each message ends
accepted or rejected with a reason, accepted + rejected = sent, and no service stops.

Set ``DIALOGUE_CAMPAIGN_SUMMARY=<file>`` to keep the counts as JSON (``campaign_report.py`` does).
"""

from __future__ import annotations

import asyncio
import json
import os
from email.message import EmailMessage
from pathlib import Path

import pytest
from reliability_campaign import SOURCE, Case, cases, markdown, run
from reliability_harness import ASSIGNED_SUBJECT, SmtpSink, Stack
from reliability_load import CONFERENCE_ID, RAISED_AT, Load, connect, plan_conference, wait_for

from shared.ports import free_port
from shared.settings import STREAM_OWNERS as SERVICES  # the four the harness runs by itself

PORTAL = "portal"

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(240)]

PER_COMMAND = int(os.environ.get("DIALOGUE_CAMPAIGN_PER_COMMAND", "8"))
SUBMISSIONS = int(os.environ.get("DIALOGUE_CAMPAIGN_SUBMISSIONS", "150"))
SEED = int(os.environ.get("DIALOGUE_CAMPAIGN_SEED", "8"))
INJECTED = "{{ 7*7 }} {% for x in range(3) %}x{% endfor %} <script>alert(1)</script>"


def parts(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    return (text.get_content() if text else ""), (html.get_content() if html else "")


async def started(make_stack) -> Stack:
    stack = make_stack()
    stack.extra_env["DIALOGUE_INTAKE_SOURCES"] = f"demo-portal,{SOURCE}"
    await stack.start_all()
    # The campaign sends to every command subject of docs/asyncapi, the portal's included: the portal
    # runs beside the four (its web port free, its rating-link secret given).
    stack.extra_env["DIALOGUE_PORTAL_WEB_PORT"] = str(free_port())
    stack.extra_env["DIALOGUE_RATING_LINK_SECRET"] = "campaign-rating-link-secret-" + "x" * 32
    stack.start(PORTAL)
    await stack.wait_ready((PORTAL,))
    return stack


def assert_everything_answered_and_running(tally, stack: Stack, sent: list[Case]) -> None:
    assert tally.problems == []
    for subject, row in tally.as_dict().items():
        assert row["accepted"] + row["rejected"] == row["sent"], (subject, row)
    assert sum(tally.sent.values()) == len(sent)
    for name in (*SERVICES, PORTAL):
        assert stack.alive(name), stack.log_tail(name)
        assert stack.is_ready(name), f"{name} is not ready after the campaign"


async def test_every_hostile_message_ends_accepted_or_rejected_and_no_service_stops(
    make_stack, smtp, tmp_path: Path
) -> None:
    sink: SmtpSink = smtp[0]
    stack = await started(make_stack)
    nc = await connect(stack.nats_url)
    try:
        await plan_conference(nc)

        # A template-injection name and content reach the agency's e-mail as text, never evaluated.
        body = {"external_id": "injection-1", "kind": "recommendation", "channel": "conference",
                "content": f"Đề nghị đầu tư đường giao thông nông thôn {INJECTED}", "conference_id": CONFERENCE_ID,
                "received_at": RAISED_AT,
                "submitter": {"name": "{{ 7*7 }}<script>alert(1)</script>", "role": "citizen"}}  # fmt: skip
        await Load(nc).publish("injection-1", body)
        await wait_for(lambda: len(sink.assigned()) >= 1, what="the e-mail of the injected opinion")
        text, html = parts(next(m for m in sink.snapshot() if str(m["Subject"]).startswith(ASSIGNED_SUBJECT)))
        assert "{{ 7*7 }}" in text, text
        assert "{% for x in range(3) %}x{% endfor %}" in text, text
        assert "<script>" not in html, html
        assert "&lt;script&gt;" in html, html

        sent = cases(PER_COMMAND, SUBMISSIONS, SEED)
        tally = await run(nc, sent)
        summary = {"seed": SEED, "per_subject": tally.as_dict(), "categories": dict(tally.categories),
                   "problems": tally.problems}  # fmt: skip
        path = os.environ.get("DIALOGUE_CAMPAIGN_SUMMARY") or str(tmp_path / "campaign.json")
        await asyncio.to_thread(
            Path(path).write_text, json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        print(markdown(tally))
        assert_everything_answered_and_running(tally, stack, sent)
    finally:
        await nc.close()
