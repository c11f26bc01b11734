"""The benchmark's cluster run: its test's printed line read back, and the report's row and section."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load import Phase
from bench.replicas import Replicas, parse
from bench.report import write_report

pytestmark = pytest.mark.unit

LINE = (
    "two replicas on a cluster: {'published': 300, 'accepted': 300, 'rejected': 0, 'assigned': 300, "
    "'assigned_duplicates': 0, 'emails': 300, 'email_duplicates_on_wire': 0, "
    "'email_duplicates_by_message_id': 0, 'lost': 0} messages received: {'intake': 534.0, 'intake-2': 372.0}"
)


def test_the_printed_summary_and_shares_are_read_back() -> None:
    summary, shares = parse(f"....\n{LINE}\n1 passed in 31.2s\n")
    assert summary["accepted"] == 300
    assert summary["lost"] == 0
    assert shares == {"intake": 534.0, "intake-2": 372.0}
    assert parse("1 failed\n") == ({}, {})


def burst(throughput: float) -> Phase:
    return Phase("burst 1", None, 10, 10, throughput, 1.0, 2.0, 3.0, 4.0)


@pytest.mark.parametrize(
    ("replicas", "row_ends"),
    [
        (Replicas(True, parse(LINE)[0], parse(LINE)[1], 31.0), "0 e-mailed twice | **met** |"),
        (Replicas(True, {**parse(LINE)[0], "lost": 2}, {}, 31.0), "0 e-mailed twice | **not met** |"),
        (Replicas(False, {}, {}, 90.0, "AssertionError: ..."), "no counts | **not met** |"),
    ],
)
def test_the_report_gives_the_cluster_run_a_target_row_and_a_section(
    tmp_path: Path, replicas: Replicas, row_ends: str
) -> None:
    report = tmp_path / "benchmarks.md"
    write_report(report, tmp_path / "p.png", {"nproc": "2"}, {}, [burst(100)], [burst(400)], {}, {}, {},
                 replicas=replicas)  # fmt: skip
    text = report.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| 0 lost, 0 duplicated"))
    assert row.endswith(row_ends), row
    assert "## Two replicas of every service on a 3-node cluster" in text
    assert ("AssertionError" in text) is (not replicas.passed)
