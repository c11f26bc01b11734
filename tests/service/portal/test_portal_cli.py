"""``dialogue portal user add|disable|reset`` as a subprocess, against the running portal on a real server."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from shared.settings import ServiceSettings
from tests.service.portal.console_bed import browser, login
from tests.service.portal.support import running_portal

pytestmark = [pytest.mark.service, pytest.mark.timeout(180)]
FIRST = "mat-khau-ban-dau-2026"
SECOND = "mat-khau-moi-sau-khi-dat-lai"


async def dialogue(nats_url: str, *args: str, stdin: str = "") -> tuple[int, str]:
    """The CLI in its own session (no terminal: a hidden prompt reads the piped input)."""
    env = {**os.environ, "DIALOGUE_NATS_URL": nats_url, "COLUMNS": "200"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.cli.main", *args, env=env, start_new_session=True,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(stdin.encode()), 60)
    return process.returncode or 0, " ".join(out.decode().split())


async def test_the_cli_adds_resets_and_disables_an_official_s_account_on_the_running_portal(
    settings_for: Callable[[str], ServiceSettings], tmp_path: Path
) -> None:
    url = settings_for("operator").nats_url
    secret = tmp_path / "mat-khau.txt"
    secret.write_text(FIRST + "\n", encoding="utf-8")
    async with running_portal(settings_for) as run:
        add = [
            "portal",
            "user",
            "add",
            "hung.ubnd",
            "--name",
            "Phạm Văn Hùng",
            "--role",
            "head",
            "--scope",
            "ha-nam",
        ]
        added = await dialogue(url, *add, "--password-file", str(secret))
        again = await dialogue(url, *add, "--password-file", str(secret))
        bad_role = await dialogue(url, "portal", "user", "add", "x.y", "--name", "X", "--role", "chu-tich")
        async with browser(run) as first_browser:
            first = await login(first_browser, "hung.ubnd", FIRST)
            differ = await dialogue(url, "portal", "user", "reset", "hung.ubnd", stdin=f"{SECOND}\n{FIRST}\n")
            reset = await dialogue(url, "portal", "user", "reset", "hung.ubnd", stdin=f"{SECOND}\n{SECOND}\n")
            old_session = await first_browser.get("/lanh-dao/duyet")
        old_password = await login(run.http, "hung.ubnd", FIRST)
        new_password = await login(run.http, "hung.ubnd", SECOND)
        disabled = await dialogue(url, "portal", "user", "disable", "hung.ubnd")
        after_disable = await run.http.get("/lanh-dao/duyet")
        unknown = await dialogue(url, "portal", "user", "disable", "khong.co.ai")
        stored = await run.portal.store.get("accounts", "hung.ubnd")

    assert added == (0, "Đã thêm tài khoản hung.ubnd (Phạm Văn Hùng, head, ha-nam).")
    assert again[0] == 1
    assert "Tài khoản 'hung.ubnd' đã có" in again[1]
    assert bad_role[0] == 2
    assert "Vai trò 'chu-tich' không có" in bad_role[1]
    assert first.status_code == 303
    assert differ[0] == 1
    assert "Hai lần nhập mật khẩu không giống nhau" in differ[1]
    assert reset[0] == 0, reset[1]
    assert "Đã đặt lại mật khẩu cho tài khoản hung.ubnd" in reset[1]
    assert SECOND not in reset[1]  # the hidden prompt never echoes it
    assert old_session.status_code == 303  # the reset ended the session opened with the old password
    assert old_password.status_code == 401
    assert new_password.status_code == 303
    assert disabled[0] == 0
    assert "Đã khóa tài khoản hung.ubnd" in disabled[1]
    assert after_disable.status_code == 303
    assert unknown[0] == 1
    assert "Không có tài khoản 'khong.co.ai'" in unknown[1]
    assert stored is not None
    assert stored["password_hash"].startswith("$argon2id$")
    assert FIRST not in str(stored)
    assert SECOND not in str(stored)
