"""Peak RSS and CPU seconds of a process, read from /proc (Linux)."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Usage:
    peak_rss_mb: float
    cpu_seconds: float


def usage(pid: int) -> Usage:
    """VmHWM (peak resident set) and utime + stime of a live process."""
    rss_kb = 0
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                rss_kb = int(line.split()[1])
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return Usage(rss_kb / 1024, (int(fields[11]) + int(fields[12])) / ticks)


def own_cpu_seconds() -> float:
    """CPU seconds of this process (the load generator shares the machine with what it measures)."""
    times = os.times()
    return times.user + times.system


def cpu_per_opinion(
    before: dict[str, Usage], after: dict[str, Usage], opinions: int, own_before: float
) -> dict[str, float]:
    """Milliseconds of CPU each process spent per opinion between two readings, this one included
    as "load generator" (``own_before``: its ``own_cpu_seconds()`` at the first reading)."""
    per = 1000 / max(1, opinions)
    spent = {
        name: (after[name].cpu_seconds - before[name].cpu_seconds) * per for name in after if name in before
    }
    spent["load generator"] = (own_cpu_seconds() - own_before) * per
    return spent


def machine(nats_server: str) -> dict[str, str]:
    """What the numbers were measured on."""
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem: dict[str, int] = {}
    with open("/proc/meminfo", encoding="ascii") as f:
        for line in f:
            key, value = line.split(":", 1)
            mem[key] = int(value.split()[0])
    version = subprocess.run([nats_server, "--version"], capture_output=True, text=True, check=False)
    return {
        "CPU": model,
        "nproc": str(len(os.sched_getaffinity(0))),
        "memory": f"{mem['MemTotal'] / 2**20:.1f} GiB total, {mem['MemAvailable'] / 2**20:.1f} GiB available",
        "kernel": platform.release(),
        "Python": sys.version.split()[0],
        "nats-server": version.stdout.strip() or shutil.which(nats_server) or nats_server,
    }
