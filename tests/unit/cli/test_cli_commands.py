"""The CLI builds every payload from the command contracts: a bad input never leaves the operator's desk.

Nothing listens on the NATS address these tests set, so a command that got as far as connecting would
answer ``nats_unreachable`` instead of the refusal asserted here.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner, Result

from services.cli.client import encode
from services.cli.conclusion.notice import Outcome, field_name
from services.cli.conclusion.reply import info_of, items_of
from services.cli.main import app
from shared.contracts.scheduling_commands import ReportConferences

pytestmark = pytest.mark.unit

NOWHERE = {"DIALOGUE_NATS_URL": "nats://127.0.0.1:1", "COLUMNS": "200"}


def dialogue(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=NOWHERE)


def said(result: Result) -> str:
    return " ".join(result.output.split())


def test_a_date_the_service_would_refuse_is_refused_before_anything_is_sent() -> None:
    result = dialogue("assignment", "answer", "DT-1", "--agency", "hn-sgd", "--number", "1/SGD",
                      "--summary", "Đã trả lời.", "--date", "2026-13-01")  # fmt: skip
    assert result.exit_code == 1
    assert "Trường “--date”" in said(result)
    assert "nats_unreachable" not in said(result)


def test_a_status_outside_the_contract_is_refused_with_the_allowed_values() -> None:
    result = dialogue("opinion", "list", "--status", "da-xong")
    assert result.exit_code == 1
    assert "classified, reclassified, unclassified. (invalid_value)" in said(result)


def test_an_empty_submitter_name_is_refused_under_the_name_intake_would_use() -> None:
    result = dialogue("opinion", "submit", "--content", "Đường thôn 3 xuống cấp.", "--name", "")
    assert result.exit_code == 1
    assert "“--name” đang để trống" in said(result)
    assert "(missing_field)" in said(result)


def test_a_time_the_cli_cannot_read_names_the_option_and_the_expected_form() -> None:
    result = dialogue("conference", "announce", "hn-1", "--at", "hôm qua")
    assert result.exit_code == 2
    assert "Trường “--at” phải là thời điểm dạng 2026-12-05 08:00 (giờ Việt Nam)" in said(result)
    assert "(wrong_type)" in said(result)


def test_every_conference_command_takes_the_operator_s_name_and_checks_it_before_sending() -> None:
    for verb in ("plan", "announce", "reschedule", "postpone", "cancel", "hold", "conclude", "close"):
        assert "--by" in dialogue("conference", verb, "--help").output, verb
    result = dialogue("conference", "announce", "hn-1", "--by", "A" * 201)
    assert result.exit_code == 1
    assert "Trường “--by” dài quá 200 ký tự" in said(result)
    assert "nats_unreachable" not in said(result)


def test_a_chair_without_a_title_is_refused_with_the_form_to_type() -> None:
    result = dialogue("conference", "plan", "--title", "Hội nghị", "--unit", "dong-du",
                      "--start", "2026-12-05 08:00", "--end", "2026-12-05 11:00",
                      "--chair", "Lê Thị Thủy", "--group", "citizens")  # fmt: skip
    assert result.exit_code == 2
    assert "“--chair” phải là dạng 'Họ tên|Chức vụ'" in said(result)


def test_an_unknown_service_is_refused_with_the_five_it_can_run() -> None:
    result = dialogue("run", "gateway")
    assert result.exit_code == 2
    assert "scheduling, intake, assignment, notification, portal. (invalid_value)" in said(result)


def test_a_contract_goes_on_the_wire_under_its_aliases_without_unset_fields() -> None:
    report = ReportConferences(date_from="2023-01-01", date_to="2023-12-31")
    assert json.loads(encode(report)) == {"from": "2023-01-01", "to": "2023-12-31"}


def test_the_notice_reads_the_reply_and_ignores_keys_it_does_not_use() -> None:
    row = {"tracking_code": "DT-1", "summary": "Đường thôn 3.", "submitter": "Bà C", "field": "land",
           "outcome": "assigned", "agency_name": "Sở Nông nghiệp và Môi trường", "deadline": "2024-01-31",
           "transfer_body": "", "direct_answer": "", "answered_at": "2023-12-20"}  # fmt: skip
    (item,) = items_of({"conference": {}, "items": [row]})
    assert item.outcome is Outcome.ASSIGNED
    assert item.deadline == dt.date(2024, 1, 31)
    assert field_name(item) == "Đất đai"


def test_the_notice_dates_the_conference_by_its_day_in_vietnam() -> None:
    # 06:30 in Vietnam is still the previous day in UTC.
    conference = {"conference_id": "hn-1", "title": "hội nghị đối thoại", "unit_name": "xã Đồng Du",
                  "starts_at": "2023-12-19T23:30:00Z", "chairs": [{"name": "Lê Thị Thủy", "title": "Bí thư"}],
                  "venue": None}  # fmt: skip
    info = info_of({"conference": conference, "items": []}, "1/TB", dt.date(2023, 12, 28))
    assert info.held_on == dt.date(2023, 12, 20)
    assert info.venue == ""
    assert info.signer.name == "Lê Thị Thủy"


def test_an_unknown_option_is_refused_in_vietnamese_with_the_option_it_resembles() -> None:
    result = dialogue("opinion", "list", "--stat", "classified")
    assert result.exit_code == 2
    assert said(result) == "Không có tùy chọn --stat; có phải ý bạn là --status? (unknown_option)"


def test_a_missing_option_names_it_and_what_it_is_for() -> None:
    result = dialogue("conference", "plan", "--title", "Hội nghị")
    assert result.exit_code == 2
    assert "Thiếu tùy chọn bắt buộc --unit (Mã đơn vị chủ trì" in said(result)
    assert "(missing_option)" in said(result)


def test_a_missing_argument_and_an_unknown_command_are_refused_in_vietnamese() -> None:
    missing = dialogue("conference", "show")
    assert missing.exit_code == 2
    assert "Thiếu tham số bắt buộc conference_id (Mã hội nghị)" in said(missing)
    unknown = dialogue("conferenc", "list")
    assert unknown.exit_code == 2
    assert "Không có lệnh “conferenc”; có phải ý bạn là “conference”?" in said(unknown)


def test_a_value_of_the_wrong_type_is_refused_in_the_shared_sentence() -> None:
    result = dialogue("conference", "hold", "hn-1", "--attendees", "nhiều", "--opinions", "3")
    assert result.exit_code == 2
    assert "Trường “--attendees” phải là số nguyên" in said(result)


@pytest.mark.parametrize(
    "args",
    [
        ("opinion", "list", "--nope"),
        ("conference", "show"),
        ("conference", "plan", "--title", "x"),
        ("conference", "list", "--year", "abc"),
        ("opinion", "list", "--field"),
        ("conference", "show", "a", "b"),
        ("khong-co-lenh",),
    ],
)
def test_click_s_own_errors_carry_no_english(args: tuple[str, ...]) -> None:
    result = dialogue(*args)
    assert result.exit_code == 2
    for english in ("No such", "Missing", "Invalid value", "Usage", "Error", "Try ", "Got unexpected"):
        assert english not in result.output, result.output


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (("assignment", "list", "--status", "xyz"), "triage, assigned, accepted"),
        (("report", "agencies", "--period", "2026", "--format", "xml"), "table, csv"),
        (("report", "opinions", "--conference", "hn-1", "--format", "xml"), "table, csv"),
        (("report", "conferences", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "xml"), "table, csv"),
    ],
)  # fmt: skip
def test_an_enumerated_option_is_refused_with_its_allowed_values_before_sending(
    args: tuple[str, ...], allowed: str
) -> None:
    result = dialogue(*args)
    assert result.exit_code == 2
    assert allowed in said(result)
    assert "(invalid_value)" in said(result)


@pytest.mark.parametrize(
    "args",
    [
        ("notifications", "list", "--limit", "-1"),
        ("assignment", "list", "--limit", "-1"),
        ("conference", "list", "--year", "99999"),
        ("conference", "compliance", "--year", "99999"),
    ],
)
def test_a_number_out_of_range_is_refused_at_the_cli(args: tuple[str, ...]) -> None:
    result = dialogue(*args)
    assert result.exit_code == 2
    assert f"Giá trị của trường “{args[2]}” nằm ngoài khoảng cho phép" in said(result)


def test_with_nats_down_one_sentence_comes_within_a_second() -> None:
    import time

    started = time.monotonic()
    result = dialogue("conference", "show", "hn-1")
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert said(result) == (
        "Không kết nối được NATS tại nats://127.0.0.1:1; hãy chạy 'dialogue up' hoặc đặt "
        "DIALOGUE_NATS_URL. (nats_unreachable)"
    )
    assert elapsed < 1.0


def test_a_refusal_the_cli_finds_names_the_option_not_the_contract_s_field() -> None:
    result = dialogue("assignment", "request-extension", "DT-1", "--agency", "hn-sgd",
                      "--until", "2026-13-01", "--reason", "Cần thêm thời gian.")  # fmt: skip
    assert result.exit_code == 1
    assert "Trường “--until” phải là ngày dạng YYYY-MM-DD" in said(result)
    assert "new_deadline" not in said(result)
