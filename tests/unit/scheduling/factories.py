"""Builders for scheduling tests: the seed's Đồng Du conference, and conferences in every state."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from functools import cache
from typing import Any

from services.scheduling.adapters.units_file import load_units
from services.scheduling.domain import (
    Chair,
    Conference,
    ConferenceDetails,
    ConferenceFormat,
    ConferenceState,
    ParticipantGroup,
    UnitTree,
)
from shared.timeutil import VN_TZ

# The reference conference starts on Sunday 14/04/2024 at 08:00 in Vietnam (the seed's Duy Tiên date).
START = dt.datetime(2024, 4, 14, 8, 0, tzinfo=VN_TZ)
PLANNED_AT = START - dt.timedelta(days=30)
ANNOUNCED_AT = START - dt.timedelta(days=20)
POSTPONED_AT = START - dt.timedelta(days=19)
HELD_AT = START + dt.timedelta(hours=4)
CONCLUDED_AT = START + dt.timedelta(days=3)
CLOSED_AT = START + dt.timedelta(days=5)


def vn(year: int, month: int, day: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    """An instant given in Vietnam time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


@cache
def units() -> UnitTree:
    return load_units()


def details(**overrides: Any) -> ConferenceDetails:
    """The seed's provincial dialogue at Đồng Du, moved to START."""
    base = ConferenceDetails(
        title="Đối thoại giữa người đứng đầu cấp ủy, chính quyền tỉnh với CBĐV, nhân dân xã Đồng Du",
        unit_code="dong-du",
        chairs=(Chair("Lê Thị Thủy", "Bí thư Tỉnh ủy"), Chair("Trương Quốc Huy", "Chủ tịch UBND tỉnh")),
        start=START,
        end=START + dt.timedelta(hours=3, minutes=30),
        format=ConferenceFormat.IN_PERSON,
        venue="Hội trường UBND xã Đồng Du",
        participant_groups=(ParticipantGroup.CADRES_PARTY_MEMBERS, ParticipantGroup.CITIZENS),
        co_organisers=("Ủy ban MTTQ Việt Nam tỉnh",),
        agenda_topics=("Nhà văn hóa thôn sau sáp nhập", "Đấu giá đất nông nghiệp công ích"),
        expected_attendance=200,
    )
    return replace(base, **overrides)


def planned(conference_id: str = "c-dong-du", **overrides: Any) -> Conference:
    conference, _ = Conference.plan(
        conference_id, details(**overrides), units=units(), command_id=f"{conference_id}/plan", now=PLANNED_AT
    )
    return conference


def in_state(state: ConferenceState, conference_id: str = "c-dong-du", **overrides: Any) -> Conference:
    """A conference brought to ``state`` through the real commands, postponed from announced."""
    c = planned(conference_id, **overrides)
    if state is ConferenceState.PLANNED:
        return c
    if state is ConferenceState.CANCELLED:
        return c.cancel("Bão số 3", command_id=f"{conference_id}/cancel", now=POSTPONED_AT)[0]
    c = c.announce(command_id=f"{conference_id}/announce", now=ANNOUNCED_AT)[0]
    if state is ConferenceState.ANNOUNCED:
        return c
    if state is ConferenceState.POSTPONED:
        return c.postpone("Trùng lịch họp Tỉnh ủy", command_id=f"{conference_id}/postpone", now=POSTPONED_AT)[
            0
        ]
    c = c.hold(attendee_count=180, opinion_count=16, command_id=f"{conference_id}/hold", now=HELD_AT)[0]
    if state is ConferenceState.HELD:
        return c
    c = c.conclude(
        summary="Chỉ đạo các sở, ngành trả lời bằng văn bản theo từng lĩnh vực.",
        document="Thông báo kết luận số 123-TB/TU",
        command_id=f"{conference_id}/conclude",
        now=CONCLUDED_AT,
    )[0]
    if state is ConferenceState.CONCLUDED:
        return c
    return c.close(command_id=f"{conference_id}/close", now=CLOSED_AT)[0]


def run_lifecycle(
    conference_id: str, unit_code: str, start: dt.datetime, final: ConferenceState
) -> Conference:
    """A conference of ``unit_code`` starting at ``start`` and taken through its life to ``final``."""
    d = details(
        unit_code=unit_code,
        title=f"Hội nghị đối thoại {conference_id}",
        chairs=(Chair(f"Chủ trì {conference_id}", "Bí thư"),),
        venue=f"Hội trường {conference_id}",
        start=start,
        end=start + dt.timedelta(hours=3),
    )
    c, _ = Conference.plan(
        conference_id, d, units=units(), command_id=f"{conference_id}/p", now=start - dt.timedelta(days=15)
    )
    if final is ConferenceState.CANCELLED:
        return c.cancel("Thời tiết xấu", command_id=f"{conference_id}/x", now=start - dt.timedelta(days=2))[0]
    c = c.announce(command_id=f"{conference_id}/a", now=start - dt.timedelta(days=10))[0]
    c = c.hold(attendee_count=100, opinion_count=10, command_id=f"{conference_id}/h", now=start)[0]
    if final is ConferenceState.HELD:
        return c
    c = c.conclude(
        summary="Kết luận", document="KL-1", command_id=f"{conference_id}/k", now=start + dt.timedelta(days=5)
    )[0]
    if final is ConferenceState.CONCLUDED:
        return c
    return c.close(command_id=f"{conference_id}/c", now=start + dt.timedelta(days=8))[0]


SEED_FROM = dt.date(2022, 1, 1)
SEED_TO = dt.date(2024, 6, 30)
SEED_SPLIT = {"province": 8, "district": 38, "commune": 210}


def seed_statistics(seed: int = 2024) -> list[Conference]:
    """Conferences reproducing the seed's "256: 8 provincial, 38 district, 210 commune" (2022 to mid-2024).

    Noise that the report must not count as held in the range: cancelled conferences inside the range
    and held conferences from 2021.
    """
    rng = random.Random(seed)
    tree = units()
    hosts = {level: tree.active_on(SEED_TO, level) for level in SEED_SPLIT}
    span = (SEED_TO - SEED_FROM).days
    finals = (ConferenceState.HELD, ConferenceState.CONCLUDED, ConferenceState.CLOSED)
    result = []
    for level, count in SEED_SPLIT.items():
        for i in range(count):
            day = SEED_FROM + dt.timedelta(days=rng.randrange(span + 1))
            unit = hosts[level][i % len(hosts[level])]
            start = vn(day.year, day.month, day.day, rng.choice((7, 8, 14)))
            result.append(run_lifecycle(f"{level}-{i}", unit.code, start, rng.choice(finals)))
    for i in range(3):
        result.append(
            run_lifecycle(f"cancelled-{i}", "dong-du", vn(2023, 5, 10 + i), ConferenceState.CANCELLED)
        )
    for i in range(4):
        result.append(run_lifecycle(f"old-{i}", "la-son", vn(2021, 11, 2 + i), ConferenceState.CLOSED))
    return result
