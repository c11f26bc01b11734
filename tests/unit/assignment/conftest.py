"""Fixtures for the assignment domain: the packaged routing table and opinion factories."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from assignment_support import OpenFactory, OpinionFactory, vn

from services.assignment.adapters.routing_file import RoutingConfig, load_routing
from services.assignment.domain.assignment import Assignment
from services.assignment.domain.routing import DirectAnswer, route
from services.assignment.domain.values import OpinionRef
from shared.workdays import WorkCalendar

_ids = itertools.count(1)


@pytest.fixture(scope="session")
def config() -> RoutingConfig:
    return load_routing()


@pytest.fixture(scope="session")
def calendar() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture
def make_opinion() -> OpinionFactory:
    def make(
        field: str = "land", unit: str = "ninh-binh", level: str = "province", **extra: Any
    ) -> OpinionRef:
        n = next(_ids)
        values: dict[str, Any] = {
            "opinion_id": f"op-{n}",
            "tracking_code": f"DD-{n:04d}",
            "field": field,
            "kind": "recommendation",
            "level": level,
            "unit_code": unit,
            "received_at": vn(2026, 11, 20, 8),
            "conference_id": "conf-dong-du",
            "summary": f"Ý kiến số {n}",
            "submitter": "Ông Nguyễn Văn Được, thôn An Bài 1",
        }
        values.update(extra)
        return OpinionRef(**values)

    return make


@pytest.fixture
def open_assignment(
    config: RoutingConfig, calendar: WorkCalendar, make_opinion: OpinionFactory
) -> OpenFactory:
    """Route a fresh opinion at ``at`` and open its aggregate."""

    def make(
        field: str = "land",
        at: dt.datetime | None = None,
        direct: DirectAnswer | None = None,
        **extra: Any,
    ) -> Assignment:
        opinion = make_opinion(field=field, **extra)
        when = at or vn(2026, 11, 20)
        decision = route(opinion, config.table, config.policy, calendar, when, direct)
        assignment, _ = Assignment.open(opinion, decision, when, f"classified-{opinion.opinion_id}")
        return assignment

    return make
