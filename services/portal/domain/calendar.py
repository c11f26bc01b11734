"""The public calendar: the units that hold conferences, and each unit's conferences coming up.

Read from the conference snapshots the portal keeps (``shared.conference_snapshot``): a conference
appears once it is announced (a planned one is not public yet), and stays "coming up" until it ends.
A postponed conference is still listed, said to be postponed, so no one comes on the old day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from services.portal.domain.conference import FORMATS, STATES, is_public
from services.portal.domain.timeline import vn_time
from shared.timeutil import to_local

UPCOMING_STATES = {"announced", "postponed"}
LEVELS = {"province": "Cấp tỉnh", "district": "Cấp huyện", "commune": "Cấp xã"}
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    level: str
    upcoming: int
    public: int


@dataclass(frozen=True)
class UpcomingRow:
    conference_id: str
    title: str
    when: str
    starts_iso: str
    venue: str
    format: str
    state: str
    postponed: bool


def unit_name(snapshot: dict[str, Any]) -> str:
    return str(snapshot.get("unit_name") or snapshot.get("unit_code") or "")


def is_upcoming(snapshot: dict[str, Any], now: dt.datetime) -> bool:
    """Announced (or postponed) and not yet over at ``now``."""
    if str(snapshot.get("state")) not in UPCOMING_STATES:
        return False
    return dt.datetime.fromisoformat(str(snapshot["ends_at"])) >= now


def units(snapshots: list[dict[str, Any]], now: dt.datetime) -> list[UnitRow]:
    """Every unit with a public conference: province first, then by name."""
    found: dict[str, dict[str, Any]] = {}
    for snapshot in snapshots:
        if not is_public(snapshot):
            continue
        code = str(snapshot.get("unit_code") or "")
        if not code:
            continue
        row = found.setdefault(
            code, {"name": unit_name(snapshot), "level": str(snapshot.get("level", "")), "up": 0, "all": 0}
        )
        row["all"] += 1
        row["up"] += 1 if is_upcoming(snapshot, now) else 0
    rows = [
        UnitRow(code, v["name"], LEVELS.get(v["level"], v["level"]), v["up"], v["all"])
        for code, v in found.items()
    ]
    order = {code: LEVEL_ORDER.get(v["level"], 9) for code, v in found.items()}
    return sorted(rows, key=lambda r: (order[r.code], r.name, r.code))


def upcoming(snapshots: list[dict[str, Any]], unit_code: str, now: dt.datetime) -> list[UpcomingRow]:
    """The unit's conferences coming up, soonest first."""
    rows = []
    for snapshot in snapshots:
        if snapshot.get("unit_code") != unit_code or not is_upcoming(snapshot, now):
            continue
        starts = dt.datetime.fromisoformat(str(snapshot["starts_at"]))
        state = str(snapshot.get("state"))
        rows.append(
            UpcomingRow(
                conference_id=str(snapshot["conference_id"]),
                title=str(snapshot.get("title", "")),
                when=vn_time(starts),
                starts_iso=to_local(starts).isoformat(),
                venue=str(snapshot.get("venue") or ""),
                format=FORMATS.get(str(snapshot.get("format")), str(snapshot.get("format", ""))),
                state=STATES.get(state, state),
                postponed=state == "postponed",
            )
        )
    return sorted(rows, key=lambda r: (r.starts_iso, r.conference_id))


def unknown_unit(unit_code: str) -> tuple[str, str]:
    """The reason code and the sentence for a unit with no public conference."""
    return (
        "unknown_unit",
        f"Chưa có hội nghị đối thoại nào được thông báo công khai của đơn vị {unit_code[:80]}; "
        "vui lòng chọn đơn vị trong danh sách.",
    )
