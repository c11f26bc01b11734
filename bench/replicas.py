"""The benchmark's fault-free cluster run: two replicas of every service on a loopback 3-node NATS
cluster with R3 streams, batched units of work on, nothing lost or done twice.

It is the reliability layer's own test (``tests/reliability/test_replicas_on_cluster.py``: 300
opinions at 100/s, every accepted opinion assigned once and e-mailed once, both replicas of each
consuming service taking a share), run by pytest in a process of its own, so the benchmark reports
exactly what ``make test`` checks. Its printed summary line is read back for the report.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/reliability/test_replicas_on_cluster.py"
MARK = "two replicas on a cluster: "
SHARES = " messages received: "


@dataclass
class Replicas:
    """What the cluster run counted (``reliability_load.Counts.summary``) and whether its test passed."""

    passed: bool
    summary: dict[str, int] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)  # messages each process received
    seconds: float = 0.0
    failure: str = ""  # the test's last lines when it failed

    @property
    def lost_or_doubled(self) -> int:
        s = self.summary
        return int(
            s.get("lost", 0) + s.get("assigned_duplicates", 0) + s.get("email_duplicates_by_message_id", 0)
        )


def parse(output: str) -> tuple[dict[str, int], dict[str, float]]:
    """The summary and the shares from the test's printed line (empty when it printed none)."""
    for line in output.splitlines():
        if MARK in line:
            counted, _, shares = line.split(MARK, 1)[1].partition(SHARES)
            return ast.literal_eval(counted), ast.literal_eval(shares) if shares else {}
    return {}, {}


def run_replicas(timeout: float = 600.0) -> Replicas:
    """Run the cluster test; its counts, or why it failed."""
    started = time.monotonic()
    command = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", TEST]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Replicas(
            False, seconds=time.monotonic() - started, failure=f"did not finish in {timeout:.0f} s"
        )
    summary, shares = parse(done.stdout)
    tail = "\n".join((done.stdout + done.stderr).splitlines()[-15:])
    return Replicas(
        done.returncode == 0,
        summary,
        shares,
        time.monotonic() - started,
        "" if done.returncode == 0 else tail,
    )
