from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.cli.demo_data import DemoConference
from services.intake.domain import GroupCandidate, GroupingPolicy, TopicGroup, assign_group, group_opinions

pytestmark = pytest.mark.unit

START = dt.datetime(2023, 12, 15, 1, 0, tzinfo=dt.UTC)


def _candidates(demo: DemoConference) -> list[GroupCandidate]:
    return [
        GroupCandidate(o.external_id, o.content, o.field, START + dt.timedelta(minutes=i))
        for i, o in enumerate(demo.opinions)
    ]


def _partition(groups: list[TopicGroup]) -> set[frozenset[str]]:
    return {frozenset(m.opinion_id for m in g.members) for g in groups}


def _designed(demo: DemoConference) -> set[frozenset[str]]:
    topics: dict[str, set[str]] = {}
    for o in demo.opinions:
        topics.setdefault(o.topic, set()).add(o.external_id)
    return {frozenset(ids) for ids in topics.values()}


def test_dong_du_reports_sixteen_opinions_in_eleven_topics(dong_du: DemoConference) -> None:
    groups = group_opinions(_candidates(dong_du))
    assert len(groups) == 11
    assert _partition(groups) == _designed(dong_du)


def test_duy_tien_reports_ten_opinions_in_six_topics(duy_tien: DemoConference) -> None:
    groups = group_opinions(_candidates(duy_tien))
    assert len(groups) == 6
    assert _partition(groups) == _designed(duy_tien)


def test_a_topic_is_named_after_its_earliest_opinion(dong_du: DemoConference) -> None:
    candidates = _candidates(dong_du)
    received = {c.opinion_id: c.received_at for c in candidates}
    for group in group_opinions(candidates):
        assert (
            group.group_id
            == min(group.members, key=lambda m: (received[m.opinion_id], m.opinion_id)).opinion_id
        )


@given(shuffle=st.randoms(use_true_random=False))
def test_the_order_opinions_are_listed_in_never_changes_the_topics(
    shuffle: random.Random, dong_du: DemoConference
) -> None:
    candidates = _candidates(dong_du)
    expected = [(g.group_id, _partition([g])) for g in group_opinions(candidates)]
    shuffle.shuffle(candidates)
    assert [(g.group_id, _partition([g])) for g in group_opinions(candidates)] == expected


def test_assigning_opinions_one_by_one_gives_the_batch_result(dong_du: DemoConference) -> None:
    groups: list[TopicGroup] = []
    for candidate in _candidates(dong_du):
        group = assign_group(candidate, groups)
        if all(existing is not group for existing in groups):
            groups.append(group)
    assert _partition(groups) == _partition(group_opinions(_candidates(dong_du)))


def test_a_redelivered_opinion_stays_in_its_group_without_being_added_twice(dong_du: DemoConference) -> None:
    groups = group_opinions(_candidates(dong_du))
    again = _candidates(dong_du)[1]
    group = assign_group(again, groups)
    assert [m.opinion_id for m in group.members].count(again.opinion_id) == 1


def test_identical_words_in_different_fields_are_not_grouped() -> None:
    text = "Đề nghị hỗ trợ kinh phí sửa chữa cho thôn An Bài."
    left = GroupCandidate("a", text, "transport", START)
    right = GroupCandidate("b", text, "culture_relics", START + dt.timedelta(seconds=1))
    assert len(group_opinions([left, right])) == 2
    assert len(group_opinions([left, right], GroupingPolicy(same_field_only=False))) == 1


def test_a_stricter_threshold_splits_near_duplicates(dong_du: DemoConference) -> None:
    assert len(group_opinions(_candidates(dong_du), GroupingPolicy(threshold=100))) == 16


def test_the_same_text_typed_without_diacritics_joins_the_topic() -> None:
    accented = GroupCandidate("a", "Đề nghị sửa chữa nhà văn hóa thôn sau sáp nhập.", "culture_relics", START)
    plain = GroupCandidate("b", "de nghi sua chua nha van hoa thon sau sap nhap", "culture_relics", START)
    assert len(group_opinions([accented, plain])) == 1
