from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.cli.demo_data import DemoConference
from services.intake.domain import UNCLASSIFIED, FieldRule, RuleSet, classify, fold
from shared.errors import DomainError

pytestmark = pytest.mark.unit

SEED_FIELDS = {
    "party_building", "organisation_staff", "labour_jobs", "land", "planning", "agriculture", "education",
    "health_insurance", "culture_relics", "youth_military", "cyber_security",
}  # fmt: skip


def test_the_shipped_rules_cover_every_field_of_the_seed(rules: RuleSet) -> None:
    assert set(rules.codes) >= SEED_FIELDS
    assert {"transport", "environment", "social_policy"} <= set(rules.codes)


@pytest.mark.parametrize("conference", ["dong_du", "duy_tien"])
def test_every_seed_opinion_is_classified_into_its_expected_field(
    conference: str, rules: RuleSet, request: pytest.FixtureRequest
) -> None:
    demo: DemoConference = request.getfixturevalue(conference)
    found = {o.external_id: classify(o.content, rules).field for o in demo.opinions}
    assert found == {o.external_id: o.field for o in demo.opinions}


@pytest.mark.parametrize("conference", ["dong_du", "duy_tien"])
def test_seed_opinions_typed_without_diacritics_land_in_the_same_field(
    conference: str, rules: RuleSet, request: pytest.FixtureRequest
) -> None:
    demo: DemoConference = request.getfixturevalue(conference)
    for opinion in demo.opinions:
        assert classify(fold(opinion.content), rules).field == opinion.field, opinion.external_id


def test_the_seed_has_sixteen_and_ten_opinions(dong_du: DemoConference, duy_tien: DemoConference) -> None:
    assert len(dong_du.opinions) == 16
    assert len(duy_tien.opinions) == 10
    assert any(o.name == "Nguyễn Văn Được" and "An Bài 1" in o.residence for o in dong_du.opinions)


def test_allowance_and_health_card_for_village_posts_goes_to_organisation_staff(rules: RuleSet) -> None:
    text = "Đề nghị hỗ trợ phụ cấp và thẻ BHYT cho phó bí thư chi bộ."
    assert classify(text, rules).field == "organisation_staff"


def test_an_opinion_about_the_health_card_itself_goes_to_health_insurance(rules: RuleSet) -> None:
    text = "Kiến nghị cơ quan bảo hiểm xã hội cấp lại thẻ bảo hiểm y tế bị mất cho người dân nhanh hơn."
    assert classify(text, rules).field == "health_insurance"


def test_a_text_without_any_known_phrase_is_left_for_manual_triage(rules: RuleSet) -> None:
    result = classify("Xin cảm ơn lãnh đạo đã lắng nghe ý kiến của bà con.", rules)
    assert result.field == UNCLASSIFIED
    assert result.matched == ()


def test_the_longer_phrase_keeps_overlapping_words(rules: RuleSet) -> None:
    result = classify("Quản lý đất nông nghiệp cho tốt.", rules)
    assert result.field == "land"
    assert result.matched == ("đất nông nghiệp",)


def test_a_bare_word_that_loses_its_meaning_without_diacritics_is_not_matched(rules: RuleSet) -> None:
    # "đang" (currently) folds like "đảng" (party): neither alone may decide a field.
    assert classify("Người dân đang chờ câu trả lời.", rules).field == UNCLASSIFIED


def _rules(*fields: FieldRule) -> RuleSet:
    return RuleSet(fields)


def test_equal_scores_go_to_the_higher_priority() -> None:
    rules = _rules(FieldRule("alpha", "A", ("cây xanh",), 1), FieldRule("beta", "B", ("vỉa hè",), 5))
    assert classify("cây xanh trên vỉa hè", rules).field == "beta"


def test_equal_scores_and_priorities_go_to_the_smaller_code() -> None:
    rules = _rules(FieldRule("zeta", "Z", ("vỉa hè",)), FieldRule("alpha", "A", ("cây xanh",)))
    assert classify("vỉa hè và cây xanh", rules).field == "alpha"


@given(shuffle=st.randoms(use_true_random=False))
def test_the_order_of_fields_in_the_file_never_changes_a_result(
    shuffle: random.Random, rules: RuleSet, dong_du: DemoConference
) -> None:
    fields = list(rules.fields)
    shuffle.shuffle(fields)
    shuffled = RuleSet(tuple(fields))
    for opinion in dong_du.opinions:
        assert classify(opinion.content, shuffled) == classify(opinion.content, rules)


def test_an_unknown_field_code_is_refused_with_the_list_of_valid_codes(rules: RuleSet) -> None:
    with pytest.raises(DomainError) as caught:
        rules.require("giao_thong")
    assert caught.value.code == "unknown_field_code"
    assert "party_building" in caught.value.message
    assert "unclassified" in caught.value.message


def test_unclassified_is_a_valid_target_but_not_a_configurable_field(rules: RuleSet) -> None:
    assert rules.require(UNCLASSIFIED) == UNCLASSIFIED
    with pytest.raises(ValueError, match="unique"):
        RuleSet((FieldRule(UNCLASSIFIED, "x", ("a b",)),))


def test_two_fields_with_the_same_code_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        _rules(FieldRule("land", "A", ("a b",)), FieldRule("land", "B", ("c d",)))


def test_every_field_has_a_vietnamese_name(rules: RuleSet) -> None:
    names = rules.names()
    assert names["land"] == "Đất đai"
    assert names[UNCLASSIFIED] == "Chưa phân loại"
    assert all(names[code] for code in rules.codes)
