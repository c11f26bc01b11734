"""``--at`` on the assignment commands: Vietnam time, read as ``dialogue conference`` reads it.

Nothing listens on the NATS address these tests set: a command that got as far as connecting
answers ``nats_unreachable``, one refused at the desk never gets there.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner, Result

from services.cli.agency import effective
from services.cli.client import build, encode
from services.cli.main import app
from shared.contracts import assignment_commands as ac
from shared.timeutil import VN_TZ

pytestmark = pytest.mark.unit

NOWHERE = {"DIALOGUE_NATS_URL": "nats://127.0.0.1:1", "COLUMNS": "200"}


def dialogue(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=NOWHERE)


def said(result: Result) -> str:
    return " ".join(result.output.split())


@pytest.mark.parametrize(
    "args",
    [
        ("publish", "DT-1"),
        ("answer", "DT-1", "--agency", "hn-sgddt", "--number", "1/SGDĐT", "--summary", "Đã trả lời."),
        ("assign", "DT-1", "--agency", "hn-stnmt"),
        ("return", "DT-1", "--reason", "Chưa đạt."),
        ("rate", "DT-1", "--stars", "4"),
        ("answer-directly", "DT-1", "--answer", "Đã có kế hoạch.", "--answered-by", "Chủ tịch"),
    ],
)
def test_a_time_the_cli_cannot_read_is_refused_before_anything_is_sent(args: tuple[str, ...]) -> None:
    result = dialogue("assignment", *args, "--at", "hôm qua")
    assert result.exit_code == 2
    assert "Trường “--at” phải là thời điểm dạng 2026-12-05 08:00 (giờ Việt Nam)" in said(result)
    assert "nats_unreachable" not in said(result)


def test_a_readable_time_goes_on_as_the_commands_effective_time() -> None:
    result = dialogue("assignment", "publish", "DT-1", "--at", "2024-01-12 15:00")
    assert "nats_unreachable" in said(result)
    at = effective("2024-01-12 15:00")
    assert at == dt.datetime(2024, 1, 12, 15, tzinfo=VN_TZ)
    command = build(ac.PublishAnswer, command_id="c", opinion_id="DT-1", effective_at=at)
    assert json.loads(encode(command))["effective_at"] == "2024-01-12T15:00:00+07:00"
    assert "effective_at" not in json.loads(
        encode(build(ac.PublishAnswer, command_id="c", opinion_id="DT-1"))
    )
