"""Notification's rating-link secret: absent is a warning (surveys link to the tracking page), unreadable stops it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from services.notification.deps import rating_secret
from shared import rating_links
from shared.errors import StartupError

pytestmark = pytest.mark.unit


def test_no_secret_leaves_surveys_without_a_rating_link_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(rating_links.SECRET_ENV, raising=False)
    monkeypatch.delenv(rating_links.SECRET_FILE_ENV, raising=False)
    with caplog.at_level(logging.WARNING):
        assert rating_secret() is None
    assert "tracking page only" in caplog.text


def test_a_configured_secret_file_that_cannot_be_read_stops_notification_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "rating-link-secret"
    monkeypatch.setenv(rating_links.SECRET_FILE_ENV, str(missing))
    with pytest.raises(StartupError) as caught:
        rating_secret()
    assert rating_links.SECRET_FILE_ENV in str(caught.value)
    assert str(missing) in str(caught.value)


def test_a_readable_secret_file_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    file = tmp_path / "rating-link-secret"
    file.write_text("a-secret-of-enough-length-2026\n", encoding="utf-8")
    monkeypatch.setenv(rating_links.SECRET_FILE_ENV, str(file))
    assert rating_secret() == b"a-secret-of-enough-length-2026"
