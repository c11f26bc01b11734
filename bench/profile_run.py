"""A profile of every service under the benchmark's load (by hand, not part of ``make bench``).

``python -m bench.profile_run [--opinions N] [--seconds S] [--out DIR]``: the stack of ``make bench``,
a warm-up, then a closed burst while ``py-spy record --format raw`` samples each service and the
portal for ``S`` seconds; prints, per process, the functions with the largest shares of samples
(inclusive, idle samples excluded) and writes the collapsed stacks to ``DIR``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import burst
from bench.pipeline import Pipeline, running_stack

IDLE = ("select (selectors.py", "epoll", "_run_once (asyncio/base_events.py")


def summarise(path: Path, top: int) -> list[str]:
    """Inclusive shares of the busiest frames in one collapsed-stack file (idle stacks excluded)."""
    inclusive: collections.Counter[str] = collections.Counter()
    busy = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        if frames and any(marker in frames[-1] for marker in IDLE[:2]):
            continue
        n = int(count)
        busy += n
        for frame in set(frames):
            inclusive[frame] += n
    rows = [f"busy samples: {busy}"]
    for frame, n in inclusive.most_common(top):
        rows.append(f"{100 * n / max(1, busy):5.1f} %  {frame}")
    return rows


async def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.profile_run", description=__doc__)
    p.add_argument("--opinions", type=int, default=2000)
    p.add_argument("--seconds", type=int, default=15)
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "dialogue-profile")
    args = p.parse_args()
    spy = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if spy is None:
        raise SystemExit("py-spy is not installed: .venv/bin/pip install py-spy")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dialogue-profile-") as tmp, running_stack(Path(tmp)) as stack:
        client = await Pipeline.connect(stack.nats_url)
        run = f"p{int(time.time())}"
        warm = await client.opinions(f"{run}-warm", 100, 100)
        await burst(warm, client.publish, client.arrivals, window=500, timeout=120)
        keys = await client.opinions(f"{run}-burst", args.opinions, 100)
        spies = {
            name: subprocess.Popen(  # noqa: ASYNC220 - py-spy runs beside the burst, waited for after it
                [
                    spy,
                    "record",
                    "--rate",
                    "200",
                    "--format",
                    "raw",
                    "--duration",
                    str(args.seconds),
                    "--pid",
                    str(child.pid),
                    "--output",
                    str(args.out / f"{name}.txt"),
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for name, child in stack.children.items()
        }
        await burst(keys, client.publish, client.arrivals, window=500, timeout=60 + args.opinions / 10)
        print(f"burst: {len(client.arrivals.done)}/{len(keys)} notified", flush=True)
        for proc in spies.values():
            proc.wait(timeout=args.seconds + 60)
        await client.close()
    for name in spies:
        print(f"\n== {name}")
        path = args.out / f"{name}.txt"
        print("\n".join(summarise(path, args.top)) if path.exists() else "no samples")


if __name__ == "__main__":
    asyncio.run(main())
