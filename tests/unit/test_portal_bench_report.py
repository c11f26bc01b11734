"""The portal benchmark's report: its targets read from the runs, and every run kept in its history."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.portal_report import Findings, targets, write
from bench.portal_wrk import Load, parse

pytestmark = pytest.mark.unit
WRK = """Running 10s test @ http://127.0.0.1:8080/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.70ms    2.10ms  30.00ms   85.00%
    Req/Sec     4.80k   300.00     5.20k    70.00%
  Latency Distribution
     50%    4.70ms
     75%    5.90ms
     90%    7.80ms
     99%   13.00ms
  95000 requests in 10.00s, 290.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   9500.00
Transfer/sec:     29.00MB
"""
RUNS = (
    "bare tracking page", "portal tracking page", "portal Open311 request", "portal mixed",
    "portal tracking page at half", "portal mixed at half", "bare tracking page at half",
    "portal mixed, nats-server stopped",
)  # fmt: skip


def test_wrk_s_latency_distribution_is_read_in_milliseconds() -> None:
    load = parse("bare", 50, 0.0, WRK.replace("     50%    4.70ms", "     50%  850.00us"))
    assert (load.requests, load.rps, load.non_2xx, load.socket_errors) == (95000, 9500.0, 3, 0)
    assert (load.p50, load.p90, load.p99, load.max_ms) == (0.85, 7.8, 13.0, 30.0)


def findings(rps: dict[str, float], p99: float) -> Findings:
    loads = {name: Load(name, 50, 10, 1000, rps.get(name, 1000.0), 2, 3, 4, p99, 40, 0, 0) for name in RUNS}
    return Findings(
        machine={"nproc": "2"}, loads=loads, load_average=dict.fromkeys(("before the runs", "after the runs"), (1.0, 1.0, 1.0)), page_bytes={"portal": 1, "bare": 1, "open311": 1}, nats={"idle": 10, "load": 9},
        connections_during_load=1,
    )  # fmt: skip


def test_the_targets_are_met_or_not_by_the_numbers_of_the_runs() -> None:
    met = [
        ok for _, _, ok in targets(findings({"bare tracking page": 2000, "portal tracking page": 1000}, 19))
    ]
    assert met == [True, True, True]
    missed = findings({"bare tracking page": 2000, "portal tracking page": 900}, 21)
    assert [ok for _, _, ok in targets(missed)] == [False, False, True]


def test_each_run_adds_its_line_to_the_report_s_history(tmp_path: Path) -> None:
    report = tmp_path / "benchmarks-portal.md"
    write(report, findings({}, 5))
    write(report, findings({}, 25))
    text = report.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| 2")]
    assert len(rows) == 2
    assert "| 5.0 / 5.0 ms |" in rows[0]
    assert "| 25.0 / 25.0 ms |" in rows[1]
