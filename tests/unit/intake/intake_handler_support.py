"""A handler context over the in-memory store, with a hand-written conference lookup."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from services.intake.adapters.repository import OpinionRepository
from services.intake.adapters.rules_file import load_rules
from services.intake.handlers import IntakeContext
from shared.errors import TransientError
from shared.workdays import default_calendar
from tests.fakes import InMemoryStore

NOW = dt.datetime(2023, 12, 20, 2, 0, tzinfo=dt.UTC)
CONFERENCE = "hn-2023-dong-du"


class Conferences:
    """Known conferences; ``down`` simulates scheduling not answering."""

    def __init__(self) -> None:
        self.known: dict[str, dict[str, Any]] = {
            CONFERENCE: {"level": "commune", "unit_code": "xa-dong-du", "title": "Hội nghị Đồng Du"}
        }
        self.down = False

    async def __call__(self, conference_id: str) -> dict[str, Any] | None:
        if self.down:
            raise TransientError("scheduling did not answer")
        return self.known.get(conference_id)


def make_context(store: InMemoryStore | None = None, conferences: Conferences | None = None) -> IntakeContext:
    return IntakeContext(
        repo=OpinionRepository(store or InMemoryStore()),
        rules=load_rules(),
        calendar=default_calendar(),
        known_sources=frozenset({"demo-portal", "hotline"}),
        conferences=conferences or Conferences(),
    )


def payload(external_id: str = "dd-01", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": external_id,
        "kind": "recommendation",
        "content": "Đề nghị sớm có văn bản hướng dẫn quy trình đấu giá đất nông nghiệp sử dụng vào mục đích công ích.",
        "submitter": {"name": "Trần Thị Hoa", "role": "citizen", "residence": "thôn Đồng Du, xã Đồng Du"},
        "channel": "conference",
        "conference_id": CONFERENCE,
    }
    body.update(changes)
    return body


def raw(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()
