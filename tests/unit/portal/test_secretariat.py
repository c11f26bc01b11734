"""The secretariat's desk forms as pure pieces: an opinion to intake's fields, a hold's counts."""

from __future__ import annotations

import datetime as dt

import pytest

from services.portal.domain import secretariat as sec
from shared.contracts.intake_commands import SubmitDeskOpinion
from shared.errors import DomainError

pytestmark = pytest.mark.unit
OPINION = {"hoi-nghi": "binh-luc-2026-1", "loai": "recommendation", "kenh": "hotline",
           "noi-dung": "Đề nghị sửa nhà văn hóa thôn.", "ho-ten": "Nguyễn Văn An", "doi-tuong": "youth_member",
           "noi-cu-tru": "thôn An Bài 1, xã Bình Lục"}  # fmt: skip


def test_the_opinion_form_becomes_submit_desk_opinion_s_fields() -> None:
    form = {**OPINION, "dien-thoai": "0912 345 678", "thu-dien-tu": "an@example.org", "dong-y": "co"}

    command = SubmitDeskOpinion(external_id="desk-1", **sec.opinion_fields(form))

    assert (command.kind, command.channel, command.conference_id) == (
        "recommendation",
        "hotline",
        "binh-luc-2026-1",
    )
    assert command.content == "Đề nghị sửa nhà văn hóa thôn."
    who = command.submitter
    assert (who.name, who.role, who.residence) == (
        "Nguyễn Văn An",
        "youth_member",
        "thôn An Bài 1, xã Bình Lục",
    )
    assert (who.phone, who.email, who.consent_to_contact) == ("0912 345 678", "an@example.org", True)


def test_an_opinion_without_contact_data_needs_no_consent_and_sends_none() -> None:
    fields = sec.opinion_fields({**OPINION, "dien-thoai": "  ", "thu-dien-tu": ""})

    assert fields["submitter"] == {"name": "Nguyễn Văn An", "role": "youth_member", "consent_to_contact": False,
                                   "residence": "thôn An Bài 1, xã Bình Lục"}  # fmt: skip


def test_the_content_is_left_to_intake_to_judge() -> None:
    assert sec.opinion_fields({**OPINION, "noi-dung": "   "})["content"] == "   "  # intake's own refusal


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"ho-ten": " "}, "opinion_incomplete"),
        ({"hoi-nghi": ""}, "opinion_incomplete"),
        ({"loai": "complaint"}, "choice_unknown"),
        ({"kenh": "external_system"}, "choice_unknown"),
        ({"doi-tuong": "king"}, "choice_unknown"),
        ({"dien-thoai": "0912345678"}, "consent_required"),
        ({"thu-dien-tu": "an@example.org", "dong-y": "khong"}, "consent_required"),
    ],
)
def test_an_incomplete_or_wrong_opinion_form_is_refused_with_a_sentence(
    changes: dict[str, str], code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        sec.opinion_fields({**OPINION, **changes})

    assert refused.value.code == code
    assert refused.value.message.endswith(".")


def test_the_hold_form_gives_the_counts_and_the_time_it_was_held_in_vietnam_time() -> None:
    assert sec.hold_fields({"so-nguoi": " 120 ", "so-y-kien": "16"}) == {
        "attendee_count": 120,
        "opinion_count": 16,
    }
    held = sec.hold_fields(
        {"so-nguoi": "0", "so-y-kien": "0", "ngay-to-chuc": "2026-12-20", "gio-to-chuc": "08:30"}
    )
    assert held["held_at"] == dt.datetime(2026, 12, 20, 8, 30)


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"so-nguoi": "", "so-y-kien": "3"}, "count_invalid"),
        ({"so-nguoi": "mười", "so-y-kien": "3"}, "count_invalid"),
        ({"so-nguoi": "10", "so-y-kien": "-1"}, "count_invalid"),
        ({"so-nguoi": "10", "so-y-kien": "3", "ngay-to-chuc": "2026-12-20"}, "held_at_invalid"),
        (
            {"so-nguoi": "10", "so-y-kien": "3", "ngay-to-chuc": "20/12/2026", "gio-to-chuc": "08:00"},
            "held_at_invalid",
        ),
    ],
)
def test_a_wrong_hold_form_is_refused_with_a_sentence(form: dict[str, str], code: str) -> None:
    with pytest.raises(DomainError) as refused:
        sec.hold_fields(form)

    assert refused.value.code == code
    assert refused.value.message.endswith(".")
