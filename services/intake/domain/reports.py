"""Opinions by field and topic, for a conference or a date range (``intake.cmd.report``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from services.intake.domain.opinion import Opinion
from shared.privacy import redact
from shared.timeutil import VN_TZ

__all__ = ["build_report", "utc_bounds"]


def utc_bounds(start: dt.date, end: dt.date) -> tuple[str, str]:
    """ISO UTC instants bounding the Vietnam dates ``start``..``end`` (inclusive), as stored."""
    low = dt.datetime.combine(start, dt.time(), VN_TZ).astimezone(dt.UTC)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), VN_TZ).astimezone(dt.UTC)
    return low.isoformat(), high.isoformat()


def build_report(opinions: list[Opinion], names: dict[str, str], scope: dict[str, Any]) -> dict[str, Any]:
    """Totals by field and by topic; an opinion outside any topic counts as a topic of its own."""
    topics: dict[str, list[Opinion]] = {}
    for opinion in opinions:
        topics.setdefault(opinion.topic_group_id or opinion.id, []).append(opinion)
    by_field = Counter(opinion.field for opinion in opinions)
    topics_by_field = Counter(members[0].field for members in topics.values())
    fields = [
        {
            "field": code,
            "field_name": names.get(code, code),
            "opinions": count,
            "topics": topics_by_field[code],
        }
        for code, count in sorted(by_field.items(), key=lambda item: (-item[1], item[0]))
    ]
    groups: list[dict[str, Any]] = [
        {
            "group_id": group_id,
            "field": members[0].field,
            "field_name": names.get(members[0].field, members[0].field),
            "opinions": len(members),
            "tracking_codes": [m.tracking_code for m in members],
            "sample": redact(members[0].content)[:200],
        }
        for group_id, members in topics.items()
    ]
    groups.sort(key=lambda g: (-g["opinions"], g["group_id"]))
    return {
        **scope,
        "total": len(opinions),
        "topics": len(topics),
        "fields": fields,
        "groups": groups,
        "sentence": f"{len(opinions)} ý kiến trong {len(topics)} nhóm vấn đề",
    }
