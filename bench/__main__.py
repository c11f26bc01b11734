"""``python -m bench``: run the pipeline and the baseline, write docs/benchmarks.md and the plot."""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import shape
from bench.baseline import running_baseline, running_shaped
from bench.load import Phase, burst, median_burst, open_loop, summarise
from bench.pipeline import Pipeline, resources, running_stack
from bench.procstat import Usage, cpu_per_opinion, machine, own_cpu_seconds
from bench.replicas import Replicas, run_replicas
from bench.report import Shaped, write_plot, write_report
from bench.shape import Counts
from shared.nats_server import server_binary
from shared.settings import ServiceSettings


@dataclass
class Results:
    machine: dict[str, str]
    params: dict[str, str]
    pipeline: list[Phase] = field(default_factory=list)
    baseline: list[Phase] = field(default_factory=list)
    usage: dict[str, Usage] = field(default_factory=dict)
    # Milliseconds of CPU per opinion during the closed burst, by process (load generator included).
    pipeline_cpu: dict[str, float] = field(default_factory=dict)
    baseline_cpu: dict[str, float] = field(default_factory=dict)
    # The same relays through FastStream as the services use it (framework cost, no domain work).
    framework: list[Phase] = field(default_factory=list)
    framework_cpu: dict[str, float] = field(default_factory=dict)
    # Raw nats-py relays with the pipeline's own shape (bench.shape), and the shapes counted.
    shaped: list[Phase] = field(default_factory=list)
    shaped_cpu: dict[str, float] = field(default_factory=dict)
    pipeline_shape: Counts | None = None
    shaped_shape: Counts | None = None
    replicas: Replicas | None = None  # two replicas of every service on a 3-node cluster


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument(
        "--opinions", type=int, default=int(_env("BENCH_OPINIONS", "3000")), help="closed burst size"
    )
    p.add_argument(
        "--step-opinions", type=int, default=int(_env("BENCH_STEP_OPINIONS", "1000")), help="per load step"
    )
    p.add_argument(
        "--loads", default=_env("BENCH_LOADS", "0.1,0.25,0.5,0.75"), help="fractions of the burst maximum"
    )
    p.add_argument(
        "--window", type=int, default=int(_env("BENCH_WINDOW", "500")), help="burst: publications in flight"
    )
    p.add_argument(
        "--per-conference",
        type=int,
        default=int(_env("BENCH_PER_CONFERENCE", "100")),
        help="opinions per planned conference (0: one conference per phase)",
    )
    p.add_argument(
        "--repeat",
        type=int,
        default=int(_env("BENCH_REPEAT", "3")),
        help="closed bursts per run; the median sets the maximum",
    )
    p.add_argument("--batch", type=int, default=int(_env("BENCH_BATCH", "16")), help="baseline fetch batch")
    p.add_argument("--warmup", type=int, default=int(_env("BENCH_WARMUP", "50")))
    p.add_argument(
        "--no-replicas",
        action="store_true",
        default=_env("BENCH_REPLICAS", "1") == "0",
        help="skip the two-replica cluster run (bench.replicas)",
    )
    p.add_argument("--report", type=Path, default=Path(_env("BENCH_REPORT", "docs/benchmarks.md")))
    p.add_argument("--plot", type=Path, default=Path(_env("BENCH_PLOT", "docs/benchmarks-latency.png")))
    return p.parse_args()


async def run_pipeline(args: argparse.Namespace, data_dir: Path, results: Results) -> dict[str, bytes]:
    run = f"b{int(time.time())}"
    with running_stack(data_dir) as stack:
        print(f"stack up: {stack.nats_url}, data in {data_dir}", flush=True)
        client = await Pipeline.connect(stack.nats_url)
        try:
            warm = await client.opinions(f"{run}-warmup", args.warmup, args.per_conference)
            await burst(warm, client.publish, client.arrivals, window=args.window, timeout=60)
            print(f"warm-up: {len(client.arrivals.done)}/{len(warm)} notified", flush=True)

            before, own, counted = resources(stack), own_cpu_seconds(), await shape.count(client.nc)
            for r in range(args.repeat):
                keys = await client.opinions(f"{run}-max{r}", args.opinions, args.per_conference)
                await burst(
                    keys, client.publish, client.arrivals, window=args.window, timeout=60 + args.opinions / 10
                )
                phase = summarise(f"burst {r + 1}", None, client.arrivals)
                results.pipeline.append(phase)
                print(phase, flush=True)
            sent = args.opinions * args.repeat
            results.pipeline_cpu = cpu_per_opinion(before, resources(stack), sent, own)
            results.pipeline_shape = shape.per_opinion(counted, await shape.count(client.nc), sent)
            top = median_burst(results.pipeline)
            for i, fraction in enumerate(args.loads):
                rate = max(1.0, fraction * top.throughput)
                keys = await client.opinions(f"{run}-load{i}", args.step_opinions, args.per_conference)
                await open_loop(
                    keys, client.publish, client.arrivals, rate=rate, timeout=60 + 3 * len(keys) / rate
                )
                phase = summarise(f"{fraction:.0%} of max", rate, client.arrivals)
                results.pipeline.append(phase)
                print(phase, flush=True)
            results.usage = resources(stack)
            bodies = {k: client.bodies[k] for k in keys}
        finally:
            await client.close()
    return bodies


async def run_baseline(
    args: argparse.Namespace,
    data_dir: Path,
    bodies: dict[str, bytes],
    kind: str,
    results: Results | None = None,
) -> tuple[list[Phase], dict[str, float]]:
    """Closed bursts through the relays of one kind; their phases and CPU per opinion.

    ``kind`` "shaped": the pipeline's shape (``bench.shape``), whose counts go to ``results``.
    """
    samples = list(bodies.values())
    total = args.warmup + args.opinions * args.repeat
    payloads = {f"k{i:07d}": samples[i % len(samples)] for i in range(total)}
    keys = list(payloads)
    phases: list[Phase] = []
    running = (
        running_shaped(data_dir, payloads, args.batch, limit=900)
        if kind == "shaped"
        else running_baseline(data_dir, payloads, args.batch, limit=900, kind=kind)
    )
    async with running as base:
        await asyncio.sleep(1.0)  # the relay processes start and bind their pull subscriptions
        await burst(keys[: args.warmup], base.publish, base.arrivals, window=args.window, timeout=60)
        before, own, counted = base.resources(), own_cpu_seconds(), await shape.count(base.nc)
        for r in range(args.repeat):
            chunk = keys[args.warmup + r * args.opinions : args.warmup + (r + 1) * args.opinions]
            await burst(chunk, base.publish, base.arrivals, window=args.window, timeout=120)
            phase = summarise(f"burst {r + 1}", None, base.arrivals)
            phases.append(phase)
            print(f"{kind} baseline", phase, flush=True)
        sent = args.opinions * args.repeat
        cpu = cpu_per_opinion(before, base.resources(), sent, own)
        if results is not None:
            results.shaped_shape = shape.per_opinion(counted, await shape.count(base.nc), sent)
    return phases, cpu


def units_of_work() -> str:
    """How the services commit, from the settings they read from this environment."""
    settings = ServiceSettings()
    how = "batched" if settings.batch_commit else "one message at a time"
    return f"{how}; fetch and commit up to {settings.batch_size}, wait {settings.batch_wait_ms:g} ms"


def load_average() -> str:
    """The machine's load averages (``/proc/loadavg``), or "unknown" where there is none."""
    try:
        return ", ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])
    except OSError:
        return "unknown"


async def main() -> None:
    args = arguments()
    args.loads = [float(x) for x in args.loads.split(",") if x.strip()]
    results = Results(
        machine(server_binary()),
        {"burst opinions": str(args.opinions), "opinions per load step": str(args.step_opinions),
         "burst window (publications in flight)": str(args.window), "closed bursts (median used)": str(args.repeat), "baseline fetch batch": str(args.batch),
         "opinions per conference": str(args.per_conference or "all of a phase"),
         "units of work (DIALOGUE_BATCH_COMMIT, _SIZE, _WAIT_MS)": units_of_work(),
         "load average at the start (1, 5, 15 min)": load_average()},
    )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="dialogue-bench-") as tmp:
        bodies = await run_pipeline(args, Path(tmp) / "pipeline", results)
        results.shaped, results.shaped_cpu = await run_baseline(
            args, Path(tmp) / "shaped", bodies, "shaped", results
        )
        results.baseline, results.baseline_cpu = await run_baseline(
            args, Path(tmp) / "baseline", bodies, "nats-py"
        )
        results.framework, results.framework_cpu = await run_baseline(
            args, Path(tmp) / "framework", bodies, "faststream"
        )
    if not args.no_replicas:
        results.replicas = run_replicas()
        replicas = results.replicas
        print(f"two replicas on a cluster: passed={replicas.passed} {replicas.summary}", flush=True)
    # Other work on the machine shares its cores: say how busy it was around the run.
    results.params["load average at the end (1, 5, 15 min)"] = load_average()
    write_report(
        args.report,
        args.plot,
        results.machine,
        results.params,
        results.pipeline,
        results.baseline,
        results.usage,
        results.pipeline_cpu,
        results.baseline_cpu,
        results.framework,
        results.framework_cpu,
        Shaped(results.shaped, results.shaped_cpu, results.pipeline_shape, results.shaped_shape),
        results.replicas,
    )
    write_plot(args.plot, results.pipeline)
    print(f"wrote {args.report} and {args.plot}")


if __name__ == "__main__":
    asyncio.run(main())
