"""End to end: `dialogue up --demo --once` starts nats-server and the four services as processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shared.ports import free_port
from shared.settings import SERVICES

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


def stack_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DIALOGUE_NATS_PORT"] = str(free_port())
    env["DIALOGUE_NATS_MONITOR_PORT"] = str(free_port())
    for name in SERVICES:
        env[f"DIALOGUE_{name.upper()}_HTTP_PORT"] = str(free_port())
    env["DIALOGUE_STORE_URL"] = f"sqlite:///{data_dir}/{{database}}.db"
    return env


def test_the_dong_du_demo_runs_through_all_four_services_and_exits_cleanly(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    result = subprocess.run(
        [sys.executable, "-m", "services.cli.main", "up", "--demo", "--once", "--data-dir", str(data_dir)],
        env=stack_env(data_dir),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = " ".join(result.stdout.split())
    assert "Tiếp nhận 16 ý kiến qua cổng thông tin, 0 bị từ chối" in out
    assert "16 ý kiến trong 11 nhóm vấn đề" in out
    assert "trạng thái: concluded" in out
    # Today's commune: announced, moved, one opinion transferred to the province, one reclassified.
    assert "trạng thái: announced" in out
    assert "Sở Nội vụ tỉnh Ninh Bình" in out
    assert "(đã phân loại lại)" in out
    counts = re.findall(r"(\d+)/(\d+) thông báo đã gửi", out)
    assert len(counts) == 2, counts
    assert all(sent == total != "0" for sent, total in counts), counts
    assert "conference_rescheduled" in out
    assert "opinion_withdrawn" in out
    notices = [json.loads(line) for line in (data_dir / "notifications.log").read_text().splitlines()]
    assert notices, "the notification service recorded no notice"
    for name in SERVICES:
        assert (data_dir / f"dialogue_{name}.db").exists()
    import docx

    document = docx.Document(str(data_dir / "ket-luan-hn-2023-dong-du.docx"))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    # The Tỉnh ủy's notice (the Secretary chairs first): the Party's format, not the State's.
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text
    assert "TỈNH ỦY HÀ NAM" in text
    assert "Số 125-TB/TU" in text
    assert "T/M BAN THƯỜNG VỤ" in text
    assert text.count("DT-") >= 16
    # Each topic answered at the conference prints its own answer; its two opinions are one line.
    assert "nâng mức hỗ trợ trong năm 2024" in text
    assert "tu bổ, tôn tạo các di tích cấp tỉnh" in text
    assert text.count("nâng mức hỗ trợ trong năm 2024") == 1
    # A 2023 notice names the departments of 2023 and the deadlines counted from the conference.
    assert "Sở Tài nguyên và Môi trường tỉnh Hà Nam" in text
    assert "Sở Nông nghiệp và Môi trường" not in text
    assert "/01/2024" in text
    assert "/12/2026" not in text


def test_a_port_in_use_is_refused_with_the_setting_that_changes_it(tmp_path: Path) -> None:
    import socket

    env = stack_env(tmp_path / "var")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        env["DIALOGUE_NATS_PORT"] = str(busy.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "services.cli.main", "up", "--once", "--data-dir", str(tmp_path / "var")],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert "DIALOGUE_NATS_PORT" in result.stdout


def tracking_codes(data_dir: Path) -> dict[str, str]:
    """External id → tracking code, as intake stored them."""
    import sqlite3

    with sqlite3.connect(data_dir / "dialogue_intake.db") as db:
        rows = db.execute(
            "SELECT json_extract(doc, '$.external_id'), json_extract(doc, '$.tracking_code') FROM c_opinions"
        ).fetchall()
    return dict(rows)


def test_a_restart_keeps_the_data_and_replaying_the_demo_changes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    command = [
        sys.executable,
        "-m",
        "services.cli.main",
        "up",
        "--demo",
        "--once",
        "--data-dir",
        str(data_dir),
    ]
    first = subprocess.run(command, env=stack_env(data_dir), capture_output=True, text=True, timeout=240)
    assert first.returncode == 0, first.stdout + first.stderr
    notices = (data_dir / "notifications.log").read_text().splitlines()
    codes = tracking_codes(data_dir)
    second = subprocess.run(command, env=stack_env(data_dir), capture_output=True, text=True, timeout=240)
    assert second.returncode == 0, second.stdout + second.stderr
    assert len(codes) == 20  # Đồng Du's 16 and today's Bình Lục's 4
    assert tracking_codes(data_dir) == codes
    for start in ("Xử lý:", "  • DT-"):
        summary = [line for line in second.stdout.splitlines() if line.startswith(start)]
        assert summary == [line for line in first.stdout.splitlines() if line.startswith(start)]
    # Same opinions, same answers, no notice sent twice.
    assert (data_dir / "notifications.log").read_text().splitlines() == notices
