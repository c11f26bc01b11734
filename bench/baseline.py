"""The raw baseline: the pipeline's JetStream hops with handlers that only republish.

Same shape as the pipeline: four file-backed streams (submission, intake, assignment, notification),
three durable pull consumers in three processes, each fetching batches and republishing with a
``Nats-Msg-Id``, and a core subscription on the last subject. Its own nats-server, so the two runs do
not share a store.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig

from bench import shape
from bench.load import Arrivals
from bench.procstat import Usage, usage
from shared.nats_server import NatsServer
from shared.nats_sync import settle
from shared.subjects import ACK_WAIT, DUPLICATE_WINDOW

HOPS = 4


def subject(hop: int) -> str:
    return f"bench.hop.{hop}"


@dataclass
class Baseline:
    nc: Client
    arrivals: Arrivals
    bodies: dict[str, bytes]
    pids: dict[str, int]
    first: str = subject(0)  # the subject the load generator publishes on

    def resources(self) -> dict[str, Usage]:
        return {name: usage(pid) for name, pid in self.pids.items()}

    async def publish(self, key: str) -> None:
        await self.nc.jetstream().publish(
            self.first,
            self.bodies[key],
            headers={"Nats-Msg-Id": f"{self.first}:{key}", "Bench-Key": key},
            timeout=30,
        )


# The relay each kind of baseline runs: raw nats-py, or FastStream as the services use it.
RELAYS = {"nats-py": "bench.relay", "faststream": "bench.relay_faststream"}


def _spawn(module: str, args: list[str], log_path: Path) -> subprocess.Popen[bytes]:
    log = open(log_path, "ab")  # noqa: SIM115 - owned by the child
    return subprocess.Popen([sys.executable, "-m", module, *args], stdout=log, stderr=log)


@asynccontextmanager
async def running_shaped(
    data_dir: Path, bodies: dict[str, bytes], batch: int, limit: float
) -> AsyncIterator[Baseline]:
    """The same-shape raw baseline (``bench.shape``): a relay process per service, one durable
    consumer per subscription the pipeline holds on an opinion's events; all stopped on exit."""
    server = NatsServer(store_dir=data_dir / "nats", log_file=data_dir / "nats-server.log").start()
    relays: list[subprocess.Popen[bytes]] = []
    nc = await nats.connect(server.url)
    try:
        await shape.add_streams(nc)
        js = nc.jetstream()
        for hops in shape.PROCESSES.values():
            for hop in hops:
                await js.add_consumer(hop.stream, ConsumerConfig(
                    durable_name=hop.durable, filter_subject=hop.subject, ack_policy=AckPolicy.EXPLICIT,
                    ack_wait=ACK_WAIT.total_seconds(), deliver_policy=DeliverPolicy.ALL, max_ack_pending=1000,
                ))  # fmt: skip
        for process in shape.PROCESSES:
            args = [server.url, process, str(batch), str(limit)]
            relays.append(_spawn("bench.relay_shaped", args, data_dir / f"{process}.log"))
        pids = {process: relay.pid for process, relay in zip(shape.PROCESSES, relays, strict=True)}
        if server.process is not None:
            pids["nats-server"] = server.process.pid
        baseline = Baseline(nc, Arrivals(), bodies, pids, shape.SUBMIT)

        async def on_last(msg: Msg) -> None:
            baseline.arrivals.arrived((msg.headers or {}).get("Bench-Key", ""))

        await nc.subscribe(shape.LAST, cb=on_last)
        await settle(nc)
        yield baseline
    finally:
        await nc.drain()
        _stop(relays)
        server.stop()


def _stop(relays: list[subprocess.Popen[bytes]]) -> None:
    for relay in relays:
        relay.terminate()
    for relay in relays:
        try:
            relay.wait(10)
        except subprocess.TimeoutExpired:
            relay.kill()
            relay.wait()


@asynccontextmanager
async def running_baseline(
    data_dir: Path, bodies: dict[str, bytes], batch: int, limit: float, kind: str = "nats-py"
) -> AsyncIterator[Baseline]:
    """nats-server, streams, consumers and relay processes; all stopped on exit.

    ``kind``: "nats-py" relays pull and republish with nats-py alone; "faststream" relays are the
    services' FastStream subscriber and publish path around a handler that does nothing else (they
    create their durable consumers themselves, as the services do).
    """
    server = NatsServer(store_dir=data_dir / "nats", log_file=data_dir / "nats-server.log").start()
    relays: list[subprocess.Popen[bytes]] = []
    nc = await nats.connect(server.url)
    try:
        js = nc.jetstream()
        for hop in range(HOPS):
            await js.add_stream(StreamConfig(
                name=f"BENCH_{hop}", subjects=[subject(hop)], storage=StorageType.FILE,
                duplicate_window=DUPLICATE_WINDOW.total_seconds(),
            ))  # fmt: skip
        for hop in range(HOPS - 1):
            durable = f"relay-{hop}"
            if kind == "nats-py":
                await js.add_consumer(f"BENCH_{hop}", ConsumerConfig(
                    durable_name=durable, ack_policy=AckPolicy.EXPLICIT, ack_wait=ACK_WAIT.total_seconds(),
                    deliver_policy=DeliverPolicy.ALL, max_ack_pending=1000,
                ))  # fmt: skip
            args = [
                server.url,
                f"BENCH_{hop}",
                subject(hop),
                subject(hop + 1),
                durable,
                str(batch),
                str(limit),
            ]
            relays.append(_spawn(RELAYS[kind], args, data_dir / f"relay-{hop}.log"))
        pids = {f"relay {hop}": relay.pid for hop, relay in enumerate(relays)}
        if server.process is not None:
            pids["nats-server"] = server.process.pid
        baseline = Baseline(nc, Arrivals(), bodies, pids)

        async def on_last(msg: Msg) -> None:
            baseline.arrivals.arrived((msg.headers or {}).get("Bench-Key", ""))

        await nc.subscribe(subject(HOPS - 1), cb=on_last)
        await settle(nc)
        yield baseline
    finally:
        await nc.drain()
        _stop(relays)
        server.stop()
