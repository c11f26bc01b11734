"""End to end: an operator drives the running system with the `dialogue` command, in Vietnamese."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from services.cli.demo import run_demo
from services.cli.stack import Stack
from shared.ports import free_port
from shared.settings import SERVICES

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp("operator") / "var"
    running = Stack(
        data_dir=data_dir,
        nats_port=free_port(),
        nats_monitor_port=free_port(),
        http_ports={name: free_port() for name in SERVICES},
    )
    try:
        running.start()
        asyncio.run(run_demo(running.nats_url, data_dir))
        yield running
    finally:
        running.stop()


def dialogue(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIALOGUE_NATS_URL": stack.nats_url, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "services.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_seed_style_report_counts_the_back_recorded_conference(stack: Stack) -> None:
    result = dialogue(stack, "report", "conferences", "--from", "2023-01-01", "--to", "2023-12-31")
    assert result.returncode == 0, result.stderr
    assert "1 hội nghị: cấp tỉnh 1" in result.stdout
    assert "đã có kết luận" in result.stdout


def test_a_citizen_tracks_an_opinion_by_its_code_without_seeing_anyone_s_contact(stack: Stack) -> None:
    listing = dialogue(stack, "opinion", "list", "--conference", "hn-2023-dong-du")
    assert listing.returncode == 0, listing.stderr
    code = next(word for word in listing.stdout.split() if word.startswith("DT-") and len(word) == 12)
    # The portal answers from its own read model, fed by the streams: it may still be catching up.
    deadline = time.monotonic() + 60
    tracked = dialogue(stack, "opinion", "track", code)
    while tracked.returncode != 0 and time.monotonic() < deadline:
        time.sleep(0.5)
        tracked = dialogue(stack, "opinion", "track", code)
    assert tracked.returncode == 0, tracked.stdout + tracked.stderr
    shown = " ".join(tracked.stdout.split())
    assert shown.startswith(f"{code} — ")
    assert "Ý kiến đã được tiếp nhận và cấp mã theo dõi." in shown
    assert "Nêu tại: Hội nghị" in shown
    assert "@" not in shown


def test_an_unknown_conference_is_refused_with_one_sentence_and_exit_code_1(stack: Stack) -> None:
    result = dialogue(stack, "conference", "show", "khong-co-hoi-nghi-nay")
    assert result.returncode == 1
    assert "Không tìm thấy hội nghị 'khong-co-hoi-nghi-nay'" in " ".join(result.stdout.split())


def agency_rows(stack: Stack, period: str) -> list[dict[str, str]]:
    result = dialogue(stack, "report", "agencies", "--period", period, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Mã cơ quan,Cơ quan,Được giao")
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_the_agency_report_counts_the_back_recorded_conference_in_its_own_quarters(stack: Stack) -> None:
    held = agency_rows(stack, "2023-Q4")
    assert sum(int(row["Được giao"]) for row in held) == 16  # every Đồng Du opinion went to a department
    # The three answered at the conference on 20/12/2023; the written ones came in January 2024.
    assert sum(int(row["Trả lời đúng hạn"]) for row in held) == 3
    answered = agency_rows(stack, "2024-Q1")
    assert sum(int(row["Được giao"]) for row in answered) == 0
    assert sum(int(row["Trả lời đúng hạn"]) for row in answered) == 3
    assert sum(int(row["Trả lời quá hạn"]) for row in answered) == 0
    # The rest were still unanswered at the end of March 2024, past their January deadlines.
    assert sum(int(row["Chưa trả lời, quá hạn"]) for row in answered) > 0
    assert sum(int(row["Số lượt đánh giá"]) for row in answered) == 1
    # The departments of 2023, not those formed by the mergers of March 2025.
    names = {row["Cơ quan"] for row in held}
    assert "Sở Tài nguyên và Môi trường tỉnh Hà Nam" in names
    assert not any("Nông nghiệp và Môi trường" in name for name in names)


def test_the_conclusion_notice_is_rendered_from_the_running_service(stack: Stack, tmp_path: Path) -> None:
    target = tmp_path / "ket-luan.docx"
    result = dialogue(stack, "conclusion", "render", "hn-2023-dong-du", "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "THÔNG BÁO" in text


def test_no_notification_failed_in_the_demo(stack: Stack) -> None:
    result = dialogue(stack, "notifications", "list", "--status", "failed")
    assert result.returncode == 0, result.stderr
    assert "0 thông báo" in result.stdout


def test_conference_show_speaks_vietnamese_in_vietnam_time(stack: Stack) -> None:
    result = dialogue(stack, "conference", "show", "hn-2023-dong-du")
    assert result.returncode == 0, result.stderr
    shown = " ".join(result.stdout.split())
    assert "Bắt đầu (giờ Việt Nam) │ 20/12/2023 08:00" in shown
    assert "Hình thức │ trực tiếp" in shown
    for key in ("starts_at", "unit_name", "allowed_actions", "participant_groups", "+00:00"):
        assert key not in shown


def test_an_unknown_level_is_refused_with_the_levels_of_the_unit_tree(stack: Stack) -> None:
    result = dialogue(stack, "conference", "list", "--level", "ward")
    assert result.returncode == 2
    assert "hãy dùng một trong các giá trị: province, district, commune." in " ".join(result.stdout.split())


def test_the_unit_tree_of_a_day_and_of_every_period(stack: Stack) -> None:
    then = dialogue(stack, "units", "--on", "2023-12-20", "--level", "commune")
    assert then.returncode == 0, then.stderr
    assert "xã Đồng Du (dong-du, cấp xã)" in then.stdout
    history = dialogue(stack, "units", "--all", "--under", "ha-nam")
    assert history.returncode == 0, history.stderr
    assert "sáp nhập vào" in history.stdout


@pytest.mark.parametrize(
    ("code", "sentence"),
    [("DT-XXXX-XXXX", "Không tìm thấy ý kiến “DT-XXXX-XXXX”"), ("DT-ZZZZ-ZZZZ", "không hợp lệ")],
)
def test_a_direct_answer_to_an_unknown_tracking_code_is_refused(
    stack: Stack, code: str, sentence: str
) -> None:
    result = dialogue(stack, "assignment", "answer-directly", code,
                      "--answer", "Sẽ sửa đường.", "--answered-by", "Chủ tịch UBND xã")  # fmt: skip
    assert result.returncode == 1
    assert sentence in " ".join(result.stdout.split())
    assert "Đã thực hiện" not in result.stdout
