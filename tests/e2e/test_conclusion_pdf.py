"""The conclusion notice as an office opens it: the DOCX converted to PDF by LibreOffice, read back.

Needs ``soffice`` (Debian ``libreoffice-writer-nogui``) and ``pdftotext``/``pdfinfo`` (``poppler-utils``);
``scripts/install-test-tools.sh`` installs them, with Liberation Serif for Times New Roman's metrics.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from services.cli.conclusion.docx import render_docx
from services.cli.conclusion.reply import info_of, items_of
from tests.unit.cli.conclusion_replies import OPINIONS, SUMMARY, reply, shown

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("soffice") is None,
        reason="LibreOffice (soffice) is not installed: run scripts/install-test-tools.sh "
        "or apt-get install libreoffice-writer-nogui",
    ),
    pytest.mark.skipif(
        shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
        reason="pdftotext/pdfinfo are not installed: run scripts/install-test-tools.sh "
        "or apt-get install poppler-utils",
    ),
    pytest.mark.timeout(180),
]

PARTY = [{"name": "Đặng Quốc Khánh", "title": "Bí thư Tỉnh ủy"}]
STATE = [{"name": "Phạm Quang Ngọc", "title": "Chủ tịch UBND tỉnh"}]


def pdf_of(tmp_path: Path, chairs: list[dict[str, str]], number: str) -> Path:
    data = reply(chairs)
    # Long enough for a second page: every opinion's text ten times over.
    for row in data["items"]:
        row["summary"] = " ".join([f"Đề nghị xem xét, giải quyết kiến nghị {row['tracking_code']}."] * 10)
    items = items_of(data, OPINIONS)
    info = info_of(data, number, None, shown=shown(), items=items)
    docx = render_docx(info, items, tmp_path / "ket-luan.docx")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=150,
    )  # fmt: skip
    pdf = tmp_path / "ket-luan.pdf"
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def page_lines(pdf: Path, page: int) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_a_peoples_committee_notice_converts_with_the_title_on_one_line(tmp_path: Path) -> None:
    pdf = pdf_of(tmp_path, STATE, "15/TB-UBND")
    assert pages(pdf) >= 2
    first = page_lines(pdf, 1)
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in first), first[:6]
    assert any("Độc lập - Tự do - Hạnh phúc" in line for line in first)
    # The issuing body may take two lines in its 70 mm column, as it does on paper.
    assert "ỦY BAN NHÂN DÂN TỈNH" in "\n".join(first)
    assert "NINH BÌNH" in "\n".join(first)
    assert any("Số: 15/TB-UBND" in line for line in first)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in "\n".join(first)


def test_a_party_notice_converts_in_the_party_format(tmp_path: Path) -> None:
    pdf = pdf_of(tmp_path, PARTY, "125-TB/TU")
    first = page_lines(pdf, 1)
    text = "\n".join(first)
    assert any("ĐẢNG CỘNG SẢN VIỆT NAM" in line for line in first), first[:6]
    assert "TỈNH ỦY NINH BÌNH" in text
    assert "Số 125-TB/TU" in text
    assert "CỘNG HÒA XÃ HỘI" not in text
    everything = "\n".join(line for page in range(1, pages(pdf) + 1) for line in page_lines(pdf, page))
    assert "T/M BAN THƯỜNG VỤ" in everything
    assert "Đặng Quốc Khánh" in everything
    assert " ".join(SUMMARY.split()[:6]) in " ".join(everything.split())


def test_pages_are_numbered_from_the_second(tmp_path: Path) -> None:
    pdf = pdf_of(tmp_path, STATE, "15/TB-UBND")
    count = pages(pdf)
    assert count >= 2
    assert page_lines(pdf, 1)[0] != "1"
    for page in range(2, count + 1):
        assert page_lines(pdf, page)[0] == str(page)
