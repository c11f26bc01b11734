"""Debian's ``wrk`` as the portal benchmark's load: a generated Lua script, the latency distribution read back.

The script sends the paths given in turn (each thread from its own offset, so both threads read
different records) and, for the runs at a fraction of the maximum, pauses ``delay`` milliseconds
before each request: a connection's rate is then about 1000 / (latency + delay) per second.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = """
local paths = {%(paths)s}
local n = 0
function init(args)
  n = math.random(0, #paths - 1)
end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
%(delay)s
"""
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


class WrkMissing(RuntimeError):
    """wrk is not installed (``apt-get install -y wrk``)."""


@dataclass(frozen=True)
class Load:
    """One wrk run: requests per second, the latency distribution (ms), what failed."""

    name: str
    connections: int
    seconds: float
    requests: int
    rps: float
    p50: float
    p75: float
    p90: float
    p99: float
    max_ms: float
    non_2xx: int
    socket_errors: int
    delay_ms: float = 0.0


def _ms(value: str, unit: str) -> float:
    return float(value) * UNITS[unit]


def parse(name: str, connections: int, delay_ms: float, text: str) -> Load:
    """The numbers of ``wrk --latency``'s report."""
    dist = {
        p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    }
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    top = re.search(r"^\s+Latency\s+[\d.]+\w+\s+[\d.]+\w+\s+([\d.]+)(us|ms|s|m)", text, re.M)
    if not (done and rps and top and len(dist) == 4):
        raise RuntimeError(f"wrk's report could not be read:\n{text}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return Load(
        name=name, connections=connections, seconds=_ms(done[2], done[3]) / 1000, requests=int(done[1]),
        rps=float(rps[1]), p50=dist["50"], p75=dist["75"], p90=dist["90"], p99=dist["99"],
        max_ms=_ms(top[1], top[2]), non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(g) for g in errors.groups()) if errors else 0, delay_ms=delay_ms,
    )  # fmt: skip


def run(
    name: str, base_url: str, paths: list[str], workdir: Path, *, connections: int, seconds: float,
    delay_ms: float = 0.0, threads: int = 2,
) -> Load:  # fmt: skip
    """``wrk`` on ``base_url`` over ``paths`` for ``seconds``; its report parsed."""
    binary = shutil.which("wrk")
    if binary is None:
        raise WrkMissing("wrk is not installed: apt-get install -y wrk (scripts/install-test-tools.sh does)")
    script = workdir / f"{name}.lua"
    delay = f"function delay()\n  return {delay_ms:.3f}\nend" if delay_ms > 0 else ""
    script.write_text(
        SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths), "delay": delay}, encoding="utf-8"
    )
    command = [
        binary, f"-t{min(threads, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
        "--timeout", "5s", "--latency", "-s", str(script), base_url,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse(name, connections, delay_ms, done.stdout)
