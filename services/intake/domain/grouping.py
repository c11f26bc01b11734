"""Grouping near-duplicate opinions of one conference into topics (nhóm vấn đề).

Two opinions share a topic when they are in the same field and their wording is close: rapidfuzz's
``token_set_ratio`` on folded text stripped of the formulas every petition uses ("đề nghị", "xem xét",
"tạo điều kiện"...), which otherwise make unrelated opinions look alike. On the Đồng Du and Duy Tiên
sets, opinions of one topic score 80 or more and different topics 69 or less, hence the default 75.

A group is named after its first member: the earliest received (then the smallest id) in a batch,
the first assigned when opinions arrive one by one. Online assignment never renames a group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import lru_cache

from rapidfuzz import fuzz

from services.intake.domain.opinion import Opinion
from services.intake.domain.text import fold

__all__ = [
    "GroupCandidate",
    "GroupingPolicy",
    "TopicGroup",
    "assign_group",
    "candidate",
    "group_opinions",
    "similarity",
    "topics_of",
]

# Why these go: every petition opens with them; keeping them makes any two opinions ~50% alike.
_STOP_PHRASES = (
    "de nghi", "kien nghi", "de xuat", "xem xet", "quan tam", "tao dieu kien", "dia ban", "nhat la",
    "tiep tuc", "tang cuong", "chinh sach", "ho tro",
)  # fmt: skip
_STOP_WORDS = frozenset(
    ("cho", "va", "cac", "cua", "co", "duoc", "la", "trong", "tren", "vi", "tinh", "xa", "thi", "se",
     "da", "de", "nhung", "nhieu", "hon", "nua", "voi", "tai", "khong", "mot", "nay", "do", "o", "sau")
)  # fmt: skip


@dataclass(frozen=True)
class GroupingPolicy:
    """How close two opinions must be (0-100) to share a topic."""

    threshold: float = 75.0
    same_field_only: bool = True


@dataclass(frozen=True)
class GroupCandidate:
    """What grouping needs of an opinion."""

    opinion_id: str
    text: str
    field: str
    received_at: dt.datetime


@dataclass
class TopicGroup:
    """A topic: its id (the first member's opinion id), field and members in arrival order."""

    group_id: str
    field: str
    members: list[GroupCandidate] = dc_field(default_factory=list)


@lru_cache(maxsize=8192)
def _core(text: str) -> str:
    padded = f" {fold(text)} "
    for phrase in _STOP_PHRASES:
        padded = padded.replace(f" {phrase} ", " ")
    return " ".join(word for word in padded.split() if word not in _STOP_WORDS)


def similarity(left: str, right: str) -> float:
    """How alike two opinions are worded, 0-100, ignoring accents and petition formulas."""
    return float(fuzz.token_set_ratio(_core(left), _core(right)))


def assign_group(
    new: GroupCandidate, groups: Sequence[TopicGroup], policy: GroupingPolicy = GroupingPolicy()
) -> TopicGroup:
    """The group ``new`` joins (mutated to include it) or a new group of its own (not in ``groups``).

    The best-scoring group wins; on equal scores the earlier group, so the result is deterministic.
    """
    best: TopicGroup | None = None
    best_score = policy.threshold
    core = _core(new.text)
    for group in groups:
        if policy.same_field_only and group.field != new.field:
            continue
        if any(member.opinion_id == new.opinion_id for member in group.members):
            return group
        score = max(float(fuzz.token_set_ratio(core, _core(m.text))) for m in group.members)
        if score >= best_score and (best is None or score > best_score):
            best, best_score = group, score
    if best is None:
        return TopicGroup(new.opinion_id, new.field, [new])
    best.members.append(new)
    return best


def group_opinions(
    candidates: Iterable[GroupCandidate], policy: GroupingPolicy = GroupingPolicy()
) -> list[TopicGroup]:
    """Topics of ``candidates`` in order of their first member; the same input gives the same groups."""
    groups: list[TopicGroup] = []
    for candidate in sorted(candidates, key=lambda c: (c.received_at, c.opinion_id)):
        group = assign_group(candidate, groups, policy)
        if all(existing is not group for existing in groups):
            groups.append(group)
    return groups


def candidate(opinion: Opinion) -> GroupCandidate:
    """What grouping compares of a recorded (or about to be recorded) opinion."""
    return GroupCandidate(opinion.id, opinion.content, opinion.field, opinion.received_at)


def topics_of(opinions: Iterable[Opinion]) -> list[TopicGroup]:
    """The topics recorded for a conference's opinions, in order of their first member."""
    groups: dict[str, TopicGroup] = {}
    for opinion in opinions:
        group_id = opinion.topic_group_id or opinion.id
        group = groups.setdefault(group_id, TopicGroup(group_id, opinion.field))
        group.members.append(candidate(opinion))
    ordered = sorted(groups.values(), key=lambda g: (g.members[0].received_at, g.group_id))
    for group in ordered:
        group.field = group.members[0].field
    return ordered
