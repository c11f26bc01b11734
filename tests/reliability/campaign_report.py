"""Run the bad-input campaign standalone and print its counts as Markdown for docs/reliability.md.

    .venv/bin/python tests/reliability/campaign_report.py [--per-command 8] [--submissions 150] [--seed 8]

It runs the campaign test with pytest (same stack, same cases) and reads the JSON summary it keeps.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-command", type=int, default=8)
    parser.add_argument("--submissions", type=int, default=150)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        summary_file = Path(tmp) / "campaign.json"
        env = {
            **os.environ,
            "DIALOGUE_CAMPAIGN_SUMMARY": str(summary_file),
            "DIALOGUE_CAMPAIGN_PER_COMMAND": str(args.per_command),
            "DIALOGUE_CAMPAIGN_SUBMISSIONS": str(args.submissions),
            "DIALOGUE_CAMPAIGN_SEED": str(args.seed),
        }
        test = f"{HERE / 'test_bad_input_campaign.py'}::test_every_hostile_message_ends_accepted_or_rejected_and_no_service_stops"
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test], cwd=ROOT, env=env)  # fmt: skip
        if not summary_file.exists():
            print("the campaign did not finish; see the pytest output above", file=sys.stderr)
            return 1
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
    sys.path.insert(0, str(HERE))
    from reliability_campaign import Tally, markdown

    tally = Tally()
    for subject, row in summary["per_subject"].items():
        for key in ("sent", "accepted", "rejected", "unanswered", "malformed"):
            getattr(tally, key)[subject] = row[key]
        tally.reasons[subject].update(row["reasons"])
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"Run on {date.today().isoformat()} ({machine}), seed {summary['seed']}, pytest exit {result.returncode}.\n"
    )
    print(markdown(tally))
    print("\nCases by shape: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["categories"].items())))
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
