"""Payloads and a handler context over the in-memory store, shared by the handler tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.scheduling import handlers
from services.scheduling.adapters.repository import ConferenceRepository
from services.scheduling.adapters.units_file import load_units
from services.scheduling.domain import DEFAULT_RULES
from tests.fakes import InMemoryStore

NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # 09:00 on 02/11/2026 in Hà Nội


def context(store: InMemoryStore | None = None) -> handlers.Scheduling:
    return handlers.Scheduling(ConferenceRepository(store or InMemoryStore()), load_units(), DEFAULT_RULES)


def plan_payload(conference_id: str = "c-1", **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "command_id": f"{conference_id}/plan",
        "conference_id": conference_id,
        "title": "Hội nghị đối thoại với nhân dân xã Bình Lục",
        "unit_code": "binh-luc-xa",
        "starts_at": "2026-12-05T08:00:00+07:00",
        "ends_at": "2026-12-05T11:00:00+07:00",
        "chairs": [{"name": "Nguyễn Văn An", "title": "Bí thư Đảng ủy xã"}],
        "participant_groups": ["cadres_party_members", "citizens"],
        "venue": "Hội trường UBND xã Bình Lục",
    }
    payload.update(overrides)
    return payload


def cmd(conference_id: str, command_id: str, **fields: Any) -> dict[str, Any]:
    return {"command_id": command_id, "conference_id": conference_id, **fields}
