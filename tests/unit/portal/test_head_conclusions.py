"""The head's conclusion form as pure pieces: the form to ``ConcludeConference``'s fields, a list row
to the page's entry (the due date in Vietnamese order, late or not, as scheduling said)."""

from __future__ import annotations

import pytest

from services.portal.adapters.head_conclusions import MISSING, conclusion_fields, entry
from shared.contracts.scheduling_commands import ConcludeConference
from shared.errors import DomainError

pytestmark = pytest.mark.unit


def test_the_form_becomes_conclude_conference_s_fields_trimmed() -> None:
    form = {"tom-tat": "  Giao UBND xã sửa nhà văn hóa thôn An Bài trong quý I.\n", "van-ban": " 15/TB-UBND "}

    command = ConcludeConference(conference_id="c-1", command_id="k-1", **conclusion_fields(form))

    assert command.summary == "Giao UBND xã sửa nhà văn hóa thôn An Bài trong quý I."
    assert command.document == "15/TB-UBND"


@pytest.mark.parametrize(
    "form",
    [
        {"tom-tat": "Kết luận.", "van-ban": "  "},
        {"tom-tat": " ", "van-ban": "15/TB-UBND"},
        {"van-ban": "15/TB-UBND"},
        {},
    ],
)
def test_a_form_missing_the_summary_or_the_document_is_refused_in_vietnamese(form: dict[str, str]) -> None:
    with pytest.raises(DomainError) as refused:
        conclusion_fields(form)

    assert refused.value.code == "conclusion_incomplete"
    assert refused.value.message == MISSING
    assert "tóm tắt kết luận" in MISSING


def test_overlong_fields_are_cut_to_what_the_page_allows() -> None:
    fields = conclusion_fields({"tom-tat": "a" * 6000, "van-ban": "https://example.org/" + "b" * 600})

    assert (len(fields["summary"]), len(fields["document"])) == (5000, 500)


def test_a_list_row_becomes_the_page_s_entry_with_the_due_date_and_lateness() -> None:
    row = {"conference_id": "binh-luc-2026-1", "title": "Đối thoại", "starts_at": "2026-12-20T01:00:00+00:00",
           "state": "held", "state_label": "đã tổ chức", "conclusion_due": "2026-12-30", "conclusion_late": True}  # fmt: skip

    shown = entry(row)

    assert shown["when"] == "20/12/2026 08:00"  # Vietnam time
    assert (shown["due"], shown["late"]) == ("30/12/2026", True)
    assert entry({**row, "conclusion_late": False, "conclusion_due": None})["due"] == ""
    assert entry({**row, "conclusion_late": False})["late"] is False
