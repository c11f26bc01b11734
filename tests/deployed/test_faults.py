"""Wrong deployments end in one sentence naming the setting to fix, never a traceback or a loop."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.deployed.stack import Service, Stack, wait_for

pytestmark = pytest.mark.deployed
EX_CONFIG = 78


def exit_of(service: Service, timeout: float = 60) -> tuple[int, str]:
    service.start()
    assert service.process is not None
    try:
        code = service.process.wait(timeout)
    except subprocess.TimeoutExpired:
        service.stop()
        raise AssertionError(f"{service.spec.name} kept running with a broken configuration") from None
    text = service.log.read_text(errors="replace")
    assert "Traceback" not in text, text
    return code, text


def test_a_wrong_nats_password_stops_the_service_naming_the_password_setting(sqlite_stack: Stack) -> None:
    sqlite_stack.start_nats()
    intake = sqlite_stack.prepare("intake")
    sqlite_stack.password_file("intake").write_text("pWrongPassword0")

    code, log = exit_of(intake)

    assert code == EX_CONFIG
    assert "refused user intake" in log
    assert "DIALOGUE_NATS_PASSWORD_FILE" in log


def test_a_missing_password_file_stops_the_service_naming_it(sqlite_stack: Stack) -> None:
    sqlite_stack.start_nats()
    scheduling = sqlite_stack.prepare("scheduling")
    sqlite_stack.password_file("scheduling").unlink()

    code, log = exit_of(scheduling)

    assert code == EX_CONFIG
    assert "DIALOGUE_NATS_PASSWORD_FILE" in log


def test_a_user_without_a_right_it_needs_stops_the_service_naming_the_right(sqlite_stack: Stack) -> None:
    sqlite_stack.start_nats()
    assert sqlite_stack.nats is not None
    sqlite_stack.nats.stop()
    accounts = sqlite_stack.root / "nats" / "accounts.conf"
    text = accounts.read_text()
    block = text.index("user: intake,")
    right = '"$JS.API.CONSUMER.CREATE.SCHEDULING.>",'
    at = text.index(right, block)
    accounts.write_text(text[:at] + text[at + len(right) :])
    sqlite_stack.nats.start()
    sqlite_stack.prepare("scheduling").start()
    sqlite_stack.services["scheduling"].wait_ready()
    # Intake also waits for the streams its path of an opinion reads; their owners create them
    # before they wait for INTAKE themselves.
    for owner in ("assignment", "notification"):
        sqlite_stack.prepare(owner).start()

    code, log = exit_of(sqlite_stack.prepare("intake"))

    assert code == EX_CONFIG
    assert re.search(
        r"refused user intake while creating consumer intake-\S+.*consumer\.create\.scheduling", log, re.I
    )
    assert "accounts.conf" in log


def test_a_read_only_data_directory_stops_the_service_naming_its_setting(sqlite_stack: Stack) -> None:
    sqlite_stack.start_nats()
    notification = sqlite_stack.prepare("notification")
    notification.spec.writable.clear()  # the data volume left out: everything is read-only

    code, log = exit_of(notification)

    assert code == EX_CONFIG
    assert "DIALOGUE_DATA_DIR" in log


def test_a_store_url_that_cannot_be_opened_stops_the_service_naming_its_setting(sqlite_stack: Stack) -> None:
    sqlite_stack.start_nats()
    assignment = sqlite_stack.prepare("assignment")
    (sqlite_stack.secrets / "assignment_store_url").write_text("sqlite:////proc/no-such-dir/{database}.db")

    code, log = exit_of(assignment)

    assert code == EX_CONFIG
    assert "DIALOGUE_STORE_URL_FILE" in log


def test_a_portal_without_its_rating_link_secret_stops_naming_the_setting(sqlite_stack: Stack) -> None:
    sqlite_stack.start_nats()
    portal = sqlite_stack.prepare("portal")
    (sqlite_stack.secrets / "rating_link_secret").write_text("short")  # fewer than 16 characters

    code, log = exit_of(portal)

    assert code == EX_CONFIG
    assert "DIALOGUE_RATING_LINK_SECRET" in log


def test_readyz_says_what_start_up_waits_for(sqlite_stack: Stack) -> None:
    sqlite_stack.start_nats()
    # Scheduling, assignment and notification, which own the streams intake reads, are not running.
    intake = sqlite_stack.prepare("intake")
    intake.start()

    def waiting() -> bool:
        status, body = intake.readyz()
        said = str(body.get("checks", {}).get("start-up", ""))
        return (
            status == 503
            and re.search(r"waiting for stream (ASSIGNMENT|NOTIFICATION|SCHEDULING)\b", said) is not None
        )

    wait_for("intake's /readyz naming the stream it waits for", waiting, 30, intake)
