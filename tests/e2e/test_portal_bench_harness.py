"""The portal benchmark's harness still runs end to end and writes its report (a tiny run).

Not a timed test: it asserts what the report holds (every run answered, none failed, the run with
nats-server paused answered too), never how fast; the numbers come from `python -m bench.portal_web`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(300),
    pytest.mark.skipif(
        shutil.which("wrk") is None,
        reason="wrk is not installed: run scripts/install-test-tools.sh or apt-get install wrk",
    ),
]
ROOT = Path(__file__).resolve().parents[2]
RUNS = (
    "bare tracking page", "portal tracking page", "portal Open311 request", "portal mixed",
    "portal tracking page at half", "portal mixed at half", "bare tracking page at half",
    "portal mixed, nats-server stopped",
)  # fmt: skip


def test_a_tiny_portal_benchmark_writes_every_run_with_no_failed_request(tmp_path: Path) -> None:
    report = tmp_path / "benchmarks-portal.md"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIALOGUE_")}
    run = subprocess.run(
        [sys.executable, "-m", "bench.portal_web", "--seconds", "1", "--connections", "4", "--opinions", "3",
         "--report", str(report)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=280,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

    text = report.read_text(encoding="utf-8")
    for heading in ("## Targets", "## Runs", "## The page's read touches nothing else", "## Machine"):
        assert heading in text, heading
    assert "- load average (before the runs):" in text
    for name in RUNS:
        row = re.search(
            rf"^\| {re.escape(name)} \| 4 \| [^|]+ \| (\d+) \| [^|]+ \|(?: [^|]+ \|){{4}} (\d+) \| (\d+) \|",
            text,
            re.M,
        )
        assert row is not None, name
        requests, non_2xx, errors = (int(g) for g in row.groups())
        assert requests > 0, name
        assert (non_2xx, errors) == (0, 0), name
    sizes = re.search(r"Page bodies: portal (\d+) bytes, bare (\d+) bytes", text)
    assert sizes is not None
    assert sizes[1] == sizes[2]  # the baseline renders a page of the same size
    assert "nats-server had 1 client connection(s) during the load" in text
