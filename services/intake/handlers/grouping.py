"""Topic grouping of a new opinion among the opinions of its conference.

Grouping compares the new opinion with every opinion already recorded for its conference. Reading
and decoding all those documents for every new opinion made intake quadratic in the conference's
size (the benchmark's top cost), so each process keeps the conference's topics in memory and checks
them against the store with one indexed count: if another replica recorded opinions meanwhile, the
count differs and the topics are reloaded from the store. The caller holds the conference's lock.
"""

from __future__ import annotations

import datetime as dt

from services.intake import domain as d
from services.intake.handlers.context import IntakeContext
from services.intake.handlers.topics_cache import ConferenceTopics


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


async def _current_topics(ctx: IntakeContext, conference_id: str) -> ConferenceTopics:
    recorded = await ctx.repo.count({"conference_id": conference_id})
    cached = ctx.topics.get(conference_id)
    if cached is None or cached.opinions != recorded:
        cached = ConferenceTopics(await topics_of(ctx, conference_id), recorded)
        ctx.topics.put(conference_id, cached)
    return cached


async def group_new(ctx: IntakeContext, opinion: d.Opinion, now: dt.datetime) -> list[d.DomainEvent]:
    """Join the closest topic of the opinion's conference, or open a new one (no conference: none)."""
    if opinion.conference_id is None:
        return []
    topics = await _current_topics(ctx, opinion.conference_id)
    # Work on copies: the opinion is not recorded yet, and may never be (a concurrent delivery wins).
    groups = [d.TopicGroup(g.group_id, g.field, list(g.members)) for g in topics.groups]
    chosen = d.assign_group(_candidate(opinion), groups, ctx.grouping)
    return opinion.join_group(chosen.group_id, at=now)


def remember(ctx: IntakeContext, opinion: d.Opinion) -> None:
    """After the opinion was recorded: add it to the cached topics of its conference."""
    if opinion.conference_id is None:
        return
    topics = ctx.topics.get(opinion.conference_id)
    if topics is None:
        return
    candidate = _candidate(opinion)
    group_id = opinion.topic_group_id or opinion.id
    for group in topics.groups:
        if group.group_id == group_id:
            group.members.append(candidate)
            break
    else:
        topics.groups.append(d.TopicGroup(group_id, opinion.field, [candidate]))
    topics.opinions += 1
