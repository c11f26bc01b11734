"""The conclusion notice in its issuing body's format, from the services' replies (issue 14)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import types
from pathlib import Path
from typing import Any

import pytest
from conclusion_replies import CONFERENCE_ID, OPINIONS, SUMMARY, reply, shown
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from services.cli.conclusion import command
from services.cli.conclusion.docx import render_docx
from services.cli.conclusion.markdown import render_markdown
from services.cli.conclusion.notice import ConclusionItem, ConferenceInfo, Style
from services.cli.conclusion.reply import check_held, info_of, items_of
from shared.errors import DomainError

pytestmark = pytest.mark.unit

PARTY_CHAIR = [{"name": "Đặng Quốc Khánh", "title": "Bí thư Tỉnh ủy"}]
DEPUTY_SECRETARY = [{"name": "Mai Văn Tuất", "title": "Phó Bí thư Thường trực Tỉnh ủy"}]
STATE_CHAIR = [{"name": "Phạm Quang Ngọc", "title": "Chủ tịch UBND tỉnh"}]


def notice(chairs: list[dict[str, str]], **options: Any) -> tuple[ConferenceInfo, list[ConclusionItem]]:
    return notice_from(reply(chairs), **options)


def notice_from(data: dict[str, Any], **options: Any) -> tuple[ConferenceInfo, list[ConclusionItem]]:
    items = items_of(data, OPINIONS)
    number = options.pop("number", None)
    return info_of(data, number, None, shown=shown(), items=items, **options), items


def docx_of(tmp_path: Path, chairs: list[dict[str, str]], **options: Any) -> Any:
    info, items = notice(chairs, **options)
    return Document(str(render_docx(info, items, tmp_path / "ket-luan.docx")))


def cell_lines(cell: Any) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def text_of(document: Any) -> str:
    return "\n".join(p.text for p in document.paragraphs)


# The issuing body's format ------------------------------------------------------------------------


def test_a_party_secretarys_notice_follows_the_party_format(tmp_path: Path) -> None:
    document = docx_of(tmp_path, PARTY_CHAIR, number="125-TB/TU")
    left, right = document.tables[0].rows[0].cells
    assert cell_lines(left) == ["TỈNH ỦY NINH BÌNH", "*", "Số 125-TB/TU"]
    assert cell_lines(right) == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Ninh Bình, ngày 27 tháng 11 năm 2026"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in right._tc.xml
    signature = cell_lines(document.tables[-1].rows[0].cells[1])
    assert signature == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Đặng Quốc Khánh"]


def test_a_party_notice_without_a_number_leaves_the_party_style_blank() -> None:
    info, _ = notice(PARTY_CHAIR)
    assert info.style is Style.PARTY
    assert info.document_number.strip() == "-TB/TU"


def test_a_deputy_secretary_signs_as_phó_bí_thư_for_the_standing_committee(tmp_path: Path) -> None:
    document = docx_of(tmp_path, DEPUTY_SECRETARY)
    signature = cell_lines(document.tables[-1].rows[0].cells[1])
    assert signature == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Mai Văn Tuất"]


def test_the_office_chief_signs_a_notice_of_the_secretarys_conclusions(tmp_path: Path) -> None:
    document = docx_of(tmp_path, PARTY_CHAIR, office_chief="Nguyễn Văn Thành")
    signature = cell_lines(document.tables[-1].rows[0].cells[1])
    assert signature == ["T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "Nguyễn Văn Thành"]


def test_a_peoples_committee_chairmans_notice_follows_decree_30(tmp_path: Path) -> None:
    document = docx_of(tmp_path, STATE_CHAIR, number="15/TB-UBND")
    left, right = document.tables[0].rows[0].cells
    assert cell_lines(left) == ["ỦY BAN NHÂN DÂN TỈNH NINH BÌNH", "Số: 15/TB-UBND"]
    assert cell_lines(right)[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "ĐẢNG CỘNG SẢN" not in left._tc.xml + right._tc.xml
    signature = cell_lines(document.tables[-1].rows[0].cells[1])
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Quang Ngọc"]


def test_the_chair_who_concludes_can_be_the_second_one() -> None:
    info, _ = notice([*PARTY_CHAIR, *STATE_CHAIR], chair=1)
    assert (info.style, info.issuing_body) == (Style.STATE, "Ủy ban nhân dân tỉnh Ninh Bình")


def test_a_chair_the_conference_does_not_have_is_refused() -> None:
    with pytest.raises(DomainError, match="có 1 người chủ trì; hãy chọn người kết luận từ 1 đến 1"):
        notice(PARTY_CHAIR, chair=1)


def test_a_commune_party_committees_notice_names_the_đảng_ủy() -> None:
    data = reply([{"name": "Vũ Văn Hải", "title": "Bí thư Đảng ủy xã"}])
    data["conference"] |= {"unit_name": "xã Gia Viễn", "level": "commune"}
    info = info_of(data, None, None, shown=shown(), items=items_of(data))
    assert info.issuing_body == "Đảng ủy xã Gia Viễn"
    assert info.document_number.strip() == "-TB/ĐU"


def test_the_markdown_follows_the_same_format() -> None:
    party = render_markdown(*notice(PARTY_CHAIR, number="125-TB/TU"))
    assert "Số 125-TB/TU" in party
    assert "**ĐẢNG CỘNG SẢN VIỆT NAM**" in party
    assert "CỘNG HÒA" not in party
    assert "**T/M BAN THƯỜNG VỤ**" in party
    state = render_markdown(*notice(STATE_CHAIR, number="15/TB-UBND"))
    assert "Số: 15/TB-UBND" in state
    assert "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**" in state


# The content --------------------------------------------------------------------------------------


def test_the_deadlines_printed_are_the_assignments_and_the_date_the_conferences(tmp_path: Path) -> None:
    text = text_of(docx_of(tmp_path, STATE_CHAIR))
    assert "chậm nhất ngày 18/12/2026" in text
    assert "chậm nhất ngày 11/12/2026" in text
    info, _ = notice(STATE_CHAIR)
    # Issued the day it was concluded, held the day scheduling recorded, whatever today is.
    assert (info.issued_on, info.held_on) == (dt.date(2026, 11, 27), dt.date(2026, 11, 20))


def test_a_transfer_with_a_deadline_at_the_competent_level_prints_it() -> None:
    data = reply(STATE_CHAIR)
    data["items"] = [
        {**data["items"][-1], "transfer_body": "Sở Nội vụ tỉnh Ninh Bình", "deadline": "2026-12-30"},
    ]
    markdown = render_markdown(*notice_from(data))
    assert (
        "Chuyển Sở Nội vụ tỉnh Ninh Bình xem xét, giải quyết, trả lời theo thẩm quyền, chậm nhất ngày 30/12/2026."
        in markdown
    )
    assert "- Sở Nội vụ tỉnh Ninh Bình;" in markdown


def test_a_held_conference_not_yet_concluded_is_dated_by_its_conclusion_due_date_at_the_latest() -> None:
    data = reply(STATE_CHAIR)
    info = info_of(data, None, None, shown=shown("held", conclusion_due="2026-11-27"))
    assert info.issued_on == dt.date(2026, 11, 27)


def test_each_answer_at_the_conference_prints_its_own_reply(tmp_path: Path) -> None:
    text = text_of(docx_of(tmp_path, STATE_CHAIR))
    assert "Đã trả lời tại hội nghị: Tỉnh hỗ trợ 200 triệu đồng xây nhà văn hóa." in text
    assert "Đã trả lời tại hội nghị: Đình làng Gia Viễn được tu bổ trong năm 2027." in text
    assert "Đã trả lời tại hội nghị: Tỉnh có chính sách hỗ trợ nhà màng." in text


def test_the_opinions_of_one_topic_are_listed_once_with_their_codes_and_submitters(tmp_path: Path) -> None:
    text = text_of(docx_of(tmp_path, STATE_CHAIR))
    assert "[GV-0001, GV-0002 (2 ý kiến)]" in text
    assert "[GV-0002]" not in text
    assert "[GV-0007]" not in text
    assert "[GV-0006, GV-0007 (2 ý kiến)]" in text
    assert text.count("Tỉnh hỗ trợ 200 triệu đồng") == 1
    assert "(Ông Đinh Văn Hùng, Bà Trần Thị Mai)" in text
    # Six lines for eight opinions: the numbering counts topics.
    assert "6. [GV-0008]" in text
    assert "7. [" not in text


def test_the_markdown_lists_a_topic_once_too() -> None:
    markdown = render_markdown(*notice(STATE_CHAIR))
    assert "| GV-0006, GV-0007 (2 ý kiến) |" in markdown
    assert "Ông Nguyễn Văn Bình, Bà Hoàng Thị Lan" in markdown


def test_every_submitter_is_named(tmp_path: Path) -> None:
    text = text_of(docx_of(tmp_path, STATE_CHAIR))
    for opinion in OPINIONS:
        assert str(opinion["submitter_name"]) in text


def test_the_recipients_name_every_assigned_agency_and_transfer_body(tmp_path: Path) -> None:
    document = docx_of(tmp_path, STATE_CHAIR, recipients=["UBND xã Gia Viễn"])
    recipients = [p.text for p in document.tables[-1].rows[0].cells[0].paragraphs]
    assert recipients == [
        "Nơi nhận:",
        "- Sở Giáo dục và Đào tạo tỉnh Ninh Bình;",
        "- Sở Nông nghiệp và Môi trường tỉnh Ninh Bình;",
        "- Bảo hiểm xã hội Việt Nam;",
        "- UBND xã Gia Viễn;",
        "- Lưu: VT.",
    ]


def test_the_heads_summary_is_in_the_notice(tmp_path: Path) -> None:
    assert f"{SUMMARY}." in text_of(docx_of(tmp_path, PARTY_CHAIR))
    assert f"{SUMMARY}." in render_markdown(*notice(PARTY_CHAIR))


# The layout ---------------------------------------------------------------------------------------


def test_page_numbers_run_from_page_two_at_the_top(tmp_path: Path) -> None:
    document = docx_of(tmp_path, STATE_CHAIR)
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header = section.header._element.xml
    assert "PAGE" in header
    assert 'w:fldCharType="begin"' in header
    assert "PAGE" not in section.first_page_header._element.xml


def test_paragraphs_are_spaced(tmp_path: Path) -> None:
    document = docx_of(tmp_path, STATE_CHAIR)
    assert document.styles["Normal"].paragraph_format.space_after.pt == 6
    body = [p for p in document.paragraphs if p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and p.text]
    assert len(body) > 10
    assert all(p.paragraph_format.space_after.pt >= 6 for p in body)


def test_the_document_is_in_vietnamese(tmp_path: Path) -> None:
    document = docx_of(tmp_path, STATE_CHAIR)
    styles = document.styles.element
    languages = {e.get(qn("w:val")) for e in styles.iter(qn("w:lang"))}
    assert languages == {"vi-VN"}
    runs = [r for p in document.paragraphs for r in p.runs if r.text]
    assert all(r._element.rPr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN" for r in runs)


def test_table_grid_widths_agree_with_the_cells(tmp_path: Path) -> None:
    document = docx_of(tmp_path, STATE_CHAIR)
    for table in document.tables:
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        cells = [cell.width.twips for cell in table.rows[0].cells]
        assert grid == cells
        width = table._tbl.tblPr.find(qn("w:tblW"))
        assert (width.get(qn("w:type")), int(width.get(qn("w:w")))) == ("dxa", sum(grid))


# Refusal ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["planned", "announced", "postponed", "cancelled"])
def test_no_notice_for_a_conference_not_yet_held(state: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_held(CONFERENCE_ID, shown(state))
    assert refused.value.code == "conference_not_held"
    assert "chỉ lập thông báo kết luận sau khi hội nghị đã được tổ chức" in str(refused.value)


@pytest.mark.parametrize("state", ["held", "concluded", "closed"])
def test_a_held_conference_gets_its_notice(state: str) -> None:
    check_held(CONFERENCE_ID, shown(state))


# What the CLI asks ---------------------------------------------------------------------------------


class Replies:
    """A stand-in for the NATS client: each subject's answer, and the subjects asked, in order."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    async def request(self, subject: str, payload: bytes, timeout: float = 10.0) -> Any:
        self.asked.append(subject)
        reply = json.dumps({"ok": True, "data": self.answers[subject]}).encode()
        return types.SimpleNamespace(data=reply)


def replies(state: str) -> Replies:
    return Replies(
        {
            "scheduling.cmd.show": shown(state),
            "assignment.cmd.conclusion": reply(PARTY_CHAIR),
            "intake.cmd.list": OPINIONS,
        }
    )


def test_the_cli_asks_scheduling_first_and_stops_for_a_conference_not_held() -> None:
    client = replies("announced")
    with pytest.raises(DomainError, match="đã công bố nhưng chưa tổ chức"):
        asyncio.run(command.gather(client, CONFERENCE_ID, command.Options()))  # type: ignore[arg-type]
    assert client.asked == ["scheduling.cmd.show"]


def test_the_cli_makes_the_notice_from_the_three_services() -> None:
    client = replies("concluded")
    info, items = asyncio.run(command.gather(client, CONFERENCE_ID, command.Options()))  # type: ignore[arg-type]
    assert client.asked == ["scheduling.cmd.show", "assignment.cmd.conclusion", "intake.cmd.list"]
    assert (info.style, info.summary, info.issued_on) == (Style.PARTY, SUMMARY, dt.date(2026, 11, 27))
    assert items[0].submitter == "Ông Đinh Văn Hùng"
