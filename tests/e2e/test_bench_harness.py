"""`make bench`'s harness still runs end to end and writes every part of its report (a small run).

Not a timed test: it asserts what the report contains and that every opinion was notified, never how
fast; the numbers themselves come from `make bench` on a quiet machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
ROOT = Path(__file__).resolve().parents[2]


def test_a_small_benchmark_run_writes_the_report_with_both_baselines_and_the_plot(tmp_path: Path) -> None:
    report, plot = tmp_path / "benchmarks.md", tmp_path / "latency.png"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIALOGUE_")}
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--opinions", "60", "--repeat", "1", "--step-opinions", "20",
         "--loads", "0.5", "--warmup", "10", "--per-conference", "20", "--no-replicas",
         "--report", str(report), "--plot", str(plot)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=280,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

    text = report.read_text(encoding="utf-8")
    for heading in (
        "## Targets",
        "## Pipeline",
        "## The pipeline's shape",
        "## Same-shape raw nats-py baseline",
        "## Raw nats-py baseline",
        "## FastStream baseline",
        "## Resources (whole run, pipeline)",
        "## Where the CPU goes (closed bursts)",
        "## Sizing",
    ):
        assert heading in text, heading
    assert "| burst 1 | closed burst | 60 | 60 |" in text  # every opinion of the burst was notified
    assert "| 50% of max |" in text
    assert "Not every opinion was notified" not in text
    # The same-shape relays publish and consume what the pipeline does, as JetStream counted them.
    assert "(by design 7 / 9)" in text
    assert plot.stat().st_size > 0
    # The cluster run is the reliability layer's own test, which make test runs anyway.
    assert (
        "| 0 lost, 0 duplicated: two replicas of every service on a 3-node cluster (R3) | not run | — |"
        in text
    )
