"""``python -m bench.portal_web``: the portal's tracking page and Open311 read under wrk, beside a bare app.

nats-server starts on free ports; stand-ins put a held conference and its opinions (each with its
whole published path) on the real streams and stop; one portal process builds its read model from
them; a bare Starlette + Jinja2 process renders the same page from memory. Then wrk loads each in
turn: the maxima at 50 connections, the portal again at half its maximum, and once with nats-server
paused (SIGSTOP) to show the reads never leave the portal. Results: docs/benchmarks-portal.md.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import portal_seed, portal_wrk
from bench.portal_report import Findings, write
from bench.procstat import machine, usage
from services.portal.adapters import events
from services.portal.domain.opinion import record
from services.portal.domain.timeline import tracking_view
from shared.nats_server import NatsServer, server_binary
from shared.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "benchmarks-portal.md"


def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


def wait_for(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {timeout:.0f} s")


@contextmanager
def process(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        child = subprocess.Popen(command, env=env, stdout=out, stderr=out, cwd=ROOT)
    try:
        yield child
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def portal_env(nats: NatsServer, data: Path, web_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIALOGUE_")}
    env.update(
        DIALOGUE_SERVICE="portal", DIALOGUE_NATS_URL=nats.url, DIALOGUE_HTTP_PORT=str(free_port()),
        DIALOGUE_DATA_DIR=str(data), DIALOGUE_STORE_URL=f"sqlite:///{data}/{{database}}.db",
        DIALOGUE_RATING_LINK_SECRET=secrets.token_urlsafe(24), DIALOGUE_PORTAL_WEB_PORT=str(web_port),
        # The look-up limit (30 a minute per client address) stays in the path but never refuses wrk.
        DIALOGUE_PORTAL_LOOKUPS_PER_MINUTE=str(10**9), DIALOGUE_LOG_LEVEL="WARNING",
    )  # fmt: skip
    return env


def page_context(n: int) -> dict[str, Any]:
    """The tracking page's context for opinion ``n``, built from the same events by the portal's own domain."""
    doc: dict[str, Any] | None = None
    intake, assignment = portal_seed.opinion(n)
    recorded = [events.received(intake[0]), events.classified(intake[1])]
    recorded += [
        events.assignment(
            e.routing_subject(), events.AssignmentStep.model_validate(e.model_dump(mode="json"))
        )
        for e in assignment
    ]
    for step in recorded:
        doc = record(f"op-bench-portal-{n}", doc, step) or doc
    assert doc is not None
    title = str(portal_seed.conference()[0].title)
    return {"v": dataclasses.asdict(tracking_view(doc)), "conference_title": title}


def varz(nats: NatsServer) -> dict[str, Any]:
    status, body = get(f"http://127.0.0.1:{nats.monitor_port}/varz")
    return json.loads(body) if status == 200 else {}


def messages(nats: NatsServer) -> int:
    v = varz(nats)
    return int(v.get("in_msgs", 0)) + int(v.get("out_msgs", 0))


def ready(base: str, codes: list[str]) -> bool:
    """Every seeded opinion is in the portal's read model with its published answer."""
    for start in range(0, len(codes), 50):
        ids = ",".join(codes[start : start + 50])
        status, body = get(f"{base}/open311/v2/requests.json?service_request_id={ids}")
        if status != 200:
            return False
        rows = json.loads(body)
        if len(rows) < len(codes[start : start + 50]) or any(r["status"] != "closed" for r in rows):
            return False
    return True


def bench(args: argparse.Namespace) -> Findings:
    work = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    seconds, conns = args.seconds, args.connections
    nats = NatsServer(store_dir=work / "nats", port=free_port(), monitor_port=free_port(),
                      log_file=work / "nats-server.log")  # fmt: skip
    nats.start()
    try:
        codes = asyncio.run(portal_seed.seed(nats.url, work, args.opinions))
        web, bare_port = free_port(), free_port()
        portal_cmd = [sys.executable, "-m", "services.cli.runner", "portal"]
        context = work / "context.json"
        context.write_text(json.dumps(page_context(0), ensure_ascii=False), encoding="utf-8")
        bare_cmd = [sys.executable, "-m", "bench.portal_bare", str(bare_port), str(context)]
        base, bare = f"http://127.0.0.1:{web}", f"http://127.0.0.1:{bare_port}"
        with (
            process(portal_cmd, portal_env(nats, work, web), work / "portal.log") as portal,
            process(bare_cmd, portal_env(nats, work, web), work / "bare.log") as baseline,
        ):
            wait_for(lambda: ready(base, codes), 120, "the portal's read model")
            wait_for(lambda: get(f"{bare}/tra-cuu/{codes[0]}")[0] == 200, 30, "the bare app")
            pids = {base: portal.pid, bare: baseline.pid}
            return measure(work, nats, pids, base, bare, codes, seconds, conns)
    except BaseException:
        print(f"the portal benchmark stopped; its logs are in {work}", file=sys.stderr)
        raise
    else:
        shutil.rmtree(work, ignore_errors=True)
    finally:
        nats.stop()


def measure(
    work: Path, nats: NatsServer, pids: dict[str, int], base: str, bare: str, codes: list[str],
    seconds: float, conns: int,
) -> Findings:  # fmt: skip
    tracking = [f"/tra-cuu/{c}" for c in codes]
    open311 = [f"/open311/v2/requests/{c}.json" for c in codes]
    mixed = [p for pair in zip(tracking, open311, strict=True) for p in pair]
    page_bytes = {
        "portal": len(get(f"{base}{tracking[0]}")[1]),
        "bare": len(get(f"{bare}{tracking[0]}")[1]),
        "open311": len(get(f"{base}{open311[0]}")[1]),
    }
    loads: dict[str, portal_wrk.Load] = {}
    cpu: dict[str, float] = {}
    averages = {"before the runs": os.getloadavg()}

    def load(
        name: str, url: str, paths: list[str], rate: float | None = None, length: float = seconds
    ) -> None:
        delay = max(0.0, 1000.0 * conns / rate) if rate else 0.0
        before = usage(pids[url]).cpu_seconds
        loads[name] = portal_wrk.run(
            name, url, paths, work, connections=conns, seconds=length, delay_ms=delay
        )
        cpu[name] = usage(pids[url]).cpu_seconds - before

    portal_wrk.run("warm-up", base, mixed, work, connections=conns, seconds=max(1.0, seconds / 3))
    portal_wrk.run("warm-up-bare", bare, tracking[:1], work, connections=conns, seconds=max(1.0, seconds / 3))
    load("bare tracking page", bare, tracking[:1])
    load("portal tracking page", base, tracking)
    load("portal Open311 request", base, open311)
    idle_from = messages(nats)
    time.sleep(seconds)
    idle = messages(nats) - idle_from
    connections = int(varz(nats).get("connections", 0))
    load_from = messages(nats)
    load("portal mixed", base, mixed)
    during = messages(nats) - load_from
    averages["after the maxima"] = os.getloadavg()
    load("portal tracking page at half", base, tracking, rate=loads["portal tracking page"].rps / 2)
    load("portal mixed at half", base, mixed, rate=loads["portal mixed"].rps / 2)
    # The same pacing against the baseline: the tail this machine gives a page that reads nothing.
    load("bare tracking page at half", bare, tracking[:1], rate=loads["bare tracking page"].rps / 2)
    assert nats.process is not None
    nats.process.send_signal(signal.SIGSTOP)
    try:
        load("portal mixed, nats-server stopped", base, mixed, length=max(1.0, seconds / 2))
    finally:
        nats.process.send_signal(signal.SIGCONT)
    averages["after the runs"] = os.getloadavg()
    return Findings(
        machine=machine(server_binary()) | {"wrk": wrk_version()}, loads=loads, load_average=averages,
        page_bytes=page_bytes, nats={"idle": idle, "load": during}, connections_during_load=connections,
        portal_cpu=cpu,
        notes=[f"{len(codes)} opinions seeded; {seconds:.0f} s per run at {conns} connections"],
    )  # fmt: skip


def wrk_version() -> str:
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).splitlines()[0] if (done.stdout or done.stderr) else "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--opinions", type=int, default=200, help="opinions seeded (the pages read in turn)")
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument(
        "--note", action="append", default=[], help="a line added to the report's Machine list"
    )
    args = parser.parse_args()
    # SIGTERM (make's, a CI timeout) unwinds like Ctrl-C: the portal, the bare app and nats-server stop.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    findings = bench(args)
    findings.notes += args.note
    findings.command = (
        f"python -m bench.portal_web --seconds {args.seconds:g} --connections {args.connections} "
        f"--opinions {args.opinions}"
    )
    write(args.report, findings)
    print(f"wrote {args.report}")


if __name__ == "__main__":
    main()
