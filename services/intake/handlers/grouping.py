"""Topic grouping of a new opinion among the opinions of its conference."""

from __future__ import annotations

import datetime as dt

from services.intake import domain as d
from services.intake.handlers.context import IntakeContext


def _candidate(opinion: d.Opinion) -> d.GroupCandidate:
    return d.GroupCandidate(opinion.id, opinion.content, opinion.field, opinion.received_at)


async def topics_of(ctx: IntakeContext, conference_id: str) -> list[d.TopicGroup]:
    """The topics of a conference as recorded, in order of their first member."""
    groups: dict[str, d.TopicGroup] = {}
    for stored in await ctx.repo.find({"conference_id": conference_id}):
        group_id = stored.topic_group_id or stored.id
        group = groups.setdefault(group_id, d.TopicGroup(group_id, stored.field))
        group.members.append(_candidate(stored))
    ordered = sorted(groups.values(), key=lambda g: (g.members[0].received_at, g.group_id))
    for group in ordered:
        group.field = group.members[0].field
    return ordered


async def group_new(ctx: IntakeContext, opinion: d.Opinion, now: dt.datetime) -> list[d.DomainEvent]:
    """Join the closest topic of the opinion's conference, or open a new one (no conference: none)."""
    if opinion.conference_id is None:
        return []
    groups = await topics_of(ctx, opinion.conference_id)
    chosen = d.assign_group(_candidate(opinion), groups, ctx.grouping)
    return opinion.join_group(chosen.group_id, at=now)
