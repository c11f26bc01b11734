"""The conclusion notice: DOCX laid out per Decree 30/2020 and Markdown with the same content."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from assignment_support import OpenFactory, vn
from docx import Document

from services.assignment.domain.conclusion import item_from_assignment
from services.assignment.domain.routing import DirectAnswer
from services.cli.conclusion.docx import render_docx
from services.cli.conclusion.markdown import render_markdown
from services.cli.conclusion.notice import (
    ConclusionItem,
    ConferenceInfo,
    Outcome,
    Person,
    Signer,
    date_line,
)

pytestmark = pytest.mark.unit

INFO = ConferenceInfo(
    title="hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền tỉnh với cán bộ, đảng viên, nhân dân xã Đồng Du",
    unit_name="xã Đồng Du",
    level="province",
    held_on=dt.date(2023, 12, 20),
    chairs=(Person("Nguyễn Văn A", "Bí thư Tỉnh ủy"), Person("Trần Văn B", "Chủ tịch UBND tỉnh")),
    issuing_body="Ủy ban nhân dân tỉnh Hà Nam",
    document_number="125/TB-UBND",
    place="Hà Nam",
    issued_on=dt.date(2023, 12, 27),
    signer=Signer("Trần Văn B", "Chủ tịch", "TM. Ủy ban nhân dân"),
    concluded_by="Chủ tịch UBND tỉnh",
    venue="Nhà văn hóa xã Đồng Du",
    recipients=("Các sở, ngành liên quan", "UBND xã Đồng Du", "Lưu: VT"),
)


@pytest.fixture
def items(open_assignment: OpenFactory) -> list[ConclusionItem]:
    # The seed's conference of 20/12/2023, with the agencies of that date (the departments merged in 2025).
    at = vn(2023, 12, 20)
    seed = {"at": at, "unit": "ha-nam", "received_at": at}
    answered = open_assignment(
        "culture_relics",
        direct=DirectAnswer("Tỉnh đã có cơ chế hỗ trợ nhà văn hóa thôn.", "Chủ tịch"),
        **seed,
    )
    assigned = [open_assignment(f, **seed) for f in ("education", "agriculture", "labour_jobs")]
    transferred = open_assignment("health_insurance", kind="proposal", **seed)
    triage = open_assignment("unclassified", **seed)
    lines = [item_from_assignment(a) for a in (answered, *assigned, transferred, triage)]
    # The CLI renders its own notice lines: the fields of assignment's lines, which its reply carries.
    return [ConclusionItem(**{**dataclasses.asdict(i), "outcome": Outcome(i.outcome)}) for i in lines]


def test_the_docx_has_the_national_motto_the_issuing_body_and_the_number(
    tmp_path: Path, items: list[ConclusionItem]
) -> None:
    document = Document(str(render_docx(INFO, items, tmp_path / "ket-luan.docx")))
    left, right = document.tables[0].rows[0].cells
    left_lines = [p for p in left.paragraphs if p.text]
    right_lines = [p for p in right.paragraphs if p.text]
    assert left_lines[0].text == "ỦY BAN NHÂN DÂN TỈNH HÀ NAM"
    assert left_lines[0].runs[0].bold
    assert left_lines[1].text == "Số: 125/TB-UBND"
    assert [p.text for p in right_lines] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nam, ngày 27 tháng 12 năm 2023",
    ]
    assert right_lines[0].runs[0].bold
    assert right_lines[1].runs[0].bold
    assert right_lines[2].runs[0].italic
    # The solid rule under the motto is a paragraph border in the cell.
    assert "w:pBdr" in right._tc.xml


def test_the_docx_lists_every_opinion_with_its_disposition(
    tmp_path: Path, items: list[ConclusionItem]
) -> None:
    document = Document(str(render_docx(INFO, items, tmp_path / "ket-luan.docx")))
    body = [p.text for p in document.paragraphs]
    assert "THÔNG BÁO" in body
    assert any(line.startswith("Kết luận của Chủ tịch UBND tỉnh tại hội nghị đối thoại") for line in body)
    text = "\n".join(body)
    for item in items:
        assert f"[{item.tracking_code}]" in text
    assert "Giao Sở Giáo dục và Đào tạo tỉnh Hà Nam chủ trì nghiên cứu, trả lời bằng văn bản" in text
    # The names in force on the conference's date, not those of the 2025 mergers.
    assert "Giao Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Nam chủ trì" in text
    assert "Giao Sở Lao động - Thương binh và Xã hội tỉnh Hà Nam chủ trì" in text
    assert "Nông nghiệp và Môi trường" not in text
    assert "Chuyển Bộ Y tế và Bảo hiểm xã hội Việt Nam xem xét" in text
    assert "Đã trả lời tại hội nghị: Tỉnh đã có cơ chế hỗ trợ nhà văn hóa thôn." in text


def test_the_docx_ends_with_the_signature_block_and_the_recipients(
    tmp_path: Path, items: list[ConclusionItem]
) -> None:
    document = Document(str(render_docx(INFO, items, tmp_path / "ket-luan.docx")))
    left, right = document.tables[-1].rows[0].cells
    signature = [p.text for p in right.paragraphs if p.text]
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn B"]
    assert [p.text for p in left.paragraphs][:2] == ["Nơi nhận:", "- Các sở, ngành liên quan;"]


def test_the_docx_is_set_in_times_new_roman_13_to_14_points(
    tmp_path: Path, items: list[ConclusionItem]
) -> None:
    document = Document(str(render_docx(INFO, items, tmp_path / "ket-luan.docx")))
    runs = [r for p in document.paragraphs for r in p.runs]
    assert runs
    assert {r.font.name for r in runs} == {"Times New Roman"}
    assert {r.font.size.pt for r in runs} <= {13.0, 14.0}


def test_the_markdown_has_the_same_header_every_opinion_and_the_signature(
    items: list[ConclusionItem],
) -> None:
    markdown = render_markdown(INFO, items)
    for expected in (
        "**ỦY BAN NHÂN DÂN TỈNH HÀ NAM**",
        "Số: 125/TB-UBND",
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**",
        "*Hà Nam, ngày 27 tháng 12 năm 2023*",
        "# THÔNG BÁO",
        "**TM. ỦY BAN NHÂN DÂN**",
        "**Trần Văn B**",
        "***Nơi nhận:***",
    ):
        assert expected in markdown
    for item in items:
        assert f"| {item.tracking_code} |" in markdown
    assigned = next(i for i in items if i.field == "education")
    assert assigned.deadline is not None
    assert f"chậm nhất ngày {assigned.deadline:%d/%m/%Y}" in markdown


def test_a_pipe_in_an_opinion_does_not_break_the_markdown_table() -> None:
    item = ConclusionItem(
        "DD-9999",
        "Đường | cống\nthôn 3",
        "Bà Lê Thị C",
        "transport",
        Outcome.ASSIGNED,
        agency_name="Sở Xây dựng",
    )
    row = next(line for line in render_markdown(INFO, [item]).splitlines() if "DD-9999" in line)
    assert "Đường \\| cống thôn 3" in row
    assert row.count(" | ") == 5  # six cells, the escaped pipe is not a separator


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2027, 2, 5), "Hà Nam, ngày 05 tháng 02 năm 2027"),
        (dt.date(2026, 11, 3), "Hà Nam, ngày 03 tháng 11 năm 2026"),
        (dt.date(2026, 3, 15), "Hà Nam, ngày 15 tháng 3 năm 2026"),
    ],
)
def test_the_date_line_pads_days_below_ten_and_january_and_february(day: dt.date, expected: str) -> None:
    assert date_line("Hà Nam", day) == expected
