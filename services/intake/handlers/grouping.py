"""Topic grouping of a new opinion among the opinions of its conference.

Grouping compares the new opinion with every opinion already recorded for its conference. Reading
and decoding all those documents for every new opinion made intake quadratic in the conference's
size (the benchmark's top cost), so each process keeps the conference's topics in memory and checks
them against the store with one indexed count: if another replica recorded opinions meanwhile, the
count differs and the topics are reloaded from the store. The caller holds the conference's lock,
which serialises grouping inside one process.

Across replicas, the count and the insert are two steps, and another replica may record an opinion
of the same conference between them. So each opinion of a conference is recorded with the next
sequence number of the conference (``conference_seq``, unique per conference in the store): of two
replicas grouping against the same topics, only one can record; the other gets a duplicate key,
reloads the topics (``raced``) and groups again against what is now recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
        groups = await topics_of(ctx, conference_id)
        cached = ConferenceTopics(groups, recorded, await ctx.repo.last_conference_seq(conference_id))
        ctx.topics.put(conference_id, cached)
    return cached


@dataclass(frozen=True)
class Grouped:
    """The grouping events of a new opinion and the sequence number to record it with."""

    events: list[d.DomainEvent]
    seq: int | None = None


async def group_new(ctx: IntakeContext, opinion: d.Opinion, now: dt.datetime) -> Grouped:
    """Join the closest topic of the opinion's conference, or open a new one (no conference: none)."""
    if opinion.conference_id is None:
        return Grouped([])
    topics = await _current_topics(ctx, opinion.conference_id)
    # Work on copies: the opinion is not recorded yet, and may never be (a concurrent delivery wins).
    groups = [d.TopicGroup(g.group_id, g.field, list(g.members)) for g in topics.groups]
    chosen = d.assign_group(_candidate(opinion), groups, ctx.grouping)
    return Grouped(opinion.join_group(chosen.group_id, at=now), topics.next_seq)


async def raced(ctx: IntakeContext, conference_id: str | None, seq: int | None) -> bool:
    """After a duplicate key on insert: did another replica take the sequence number meanwhile?

    The cached topics are dropped either way, so the next try groups against what is recorded.
    """
    if conference_id is None or seq is None:
        return False
    ctx.topics.drop(conference_id)
    return await ctx.repo.last_conference_seq(conference_id) >= seq


def remember(ctx: IntakeContext, opinion: d.Opinion, seq: int | None) -> None:
    """After the opinion was recorded: add it to the cached topics of its conference."""
    if opinion.conference_id is None:
        return
    topics = ctx.topics.get(opinion.conference_id)
    if topics is None:
        return
    topics.last_seq = max(topics.last_seq, seq or 0)
    candidate = _candidate(opinion)
    group_id = opinion.topic_group_id or opinion.id
    for group in topics.groups:
        if group.group_id == group_id:
            group.members.append(candidate)
            break
    else:
        topics.groups.append(d.TopicGroup(group_id, opinion.field, [candidate]))
    topics.opinions += 1
