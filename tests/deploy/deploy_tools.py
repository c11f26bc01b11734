"""Real tools the deployment tests run, found on PATH or skipped with the command that installs them."""

from __future__ import annotations

import shutil

import pytest


def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.skip(
            "promtool is not installed: `apt-get install -y prometheus` (Debian) provides it; "
            "`make test` installs it where apt is available"
        )
    return found
