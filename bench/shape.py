"""The pipeline's shape: how many JetStream publications and consumptions one opinion causes.

``count`` reads them from the running stack's JetStream (messages stored per stream, deliveries per
durable consumer) before and after the closed bursts. ``PROCESSES`` is the same shape for raw
nats-py relays (``bench.relay_shaped``): one process per service, one durable consumer per
subscription the services and the portal hold on an opinion's events, each publishing what the
service publishes for it. The report puts the counts of both side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

from nats.aio.client import Client
from nats.js.api import StorageType, StreamConfig

from shared.subjects import DUPLICATE_WINDOW

SUBMIT = "shape.submit"
# The events of one opinion in the benchmark (no contact data, so no acknowledgement is due):
# intake's received, classified, grouped and the sender's outcome; assignment's assigned;
# notification's sent.
STREAMS = {
    "SHAPE_SUBMIT": (SUBMIT,),
    "SHAPE_INTAKE": ("shape.intake.received", "shape.intake.classified", "shape.intake.grouped",
                     "shape.intake.outcome"),
    "SHAPE_ASSIGNMENT": ("shape.assignment.assigned",),
    "SHAPE_NOTIFICATION": ("shape.notification.sent",),
}  # fmt: skip
LAST = "shape.notification.sent"  # the load generator's core subscription, as the pipeline's


@dataclass(frozen=True)
class Hop:
    """A durable consumer of one subject and what its handler publishes for each message."""

    stream: str
    subject: str
    durable: str
    publishes: tuple[str, ...] = ()


def _stream(subject: str) -> str:
    return next(name for name, subjects in STREAMS.items() if subject in subjects)


def _hop(process: str, subject: str, *publishes: str) -> Hop:
    return Hop(_stream(subject), subject, f"{process}-{subject.rsplit('.', 1)[-1]}", publishes)


PROCESSES: dict[str, tuple[Hop, ...]] = {
    "intake": (
        _hop("intake", SUBMIT, *STREAMS["SHAPE_INTAKE"]),
        _hop("intake", "shape.assignment.assigned"),  # assignment progress on the opinion's path
        _hop("intake", "shape.notification.sent"),  # acknowledgements
    ),
    "assignment": (_hop("assignment", "shape.intake.classified", "shape.assignment.assigned"),),
    "notification": (_hop("notification", "shape.assignment.assigned", "shape.notification.sent"),),
    "portal": tuple(
        _hop("portal", s)
        for s in ("shape.intake.received", "shape.intake.classified", "shape.assignment.assigned", LAST)
    ),
}


def publications() -> int:
    """Publications per opinion in the shaped baseline (the load generator's included)."""
    return 1 + sum(len(h.publishes) for hops in PROCESSES.values() for h in hops)


def consumptions() -> int:
    """JetStream deliveries per opinion in the shaped baseline."""
    return sum(len(hops) for hops in PROCESSES.values())


async def add_streams(nc: Client) -> None:
    js = nc.jetstream()
    for name, subjects in STREAMS.items():
        await js.add_stream(StreamConfig(
            name=name, subjects=list(subjects), storage=StorageType.FILE,
            duplicate_window=DUPLICATE_WINDOW.total_seconds(),
        ))  # fmt: skip


@dataclass(frozen=True)
class Counts:
    """Messages stored per stream and deliveries per durable consumer, at one moment."""

    stored: dict[str, float]
    delivered: dict[str, float]


async def count(nc: Client, streams: tuple[str, ...] | None = None) -> Counts:
    """What JetStream stored and delivered so far (``streams``: only those; default every stream)."""
    js = nc.jetstream()
    stored: dict[str, float] = {}
    delivered: dict[str, float] = {}
    for info in await js.streams_info():
        name = info.config.name or ""
        if streams is not None and name not in streams:
            continue
        stored[name] = info.state.last_seq  # published so far (retention may have removed some)
        for consumer in await js.consumers_info(name):
            seq = consumer.delivered.consumer_seq if consumer.delivered else 0
            delivered[f"{name}/{consumer.name}"] = int(seq or 0)
    return Counts(stored, delivered)


def per_opinion(before: Counts, after: Counts, opinions: int) -> Counts:
    """The difference between two counts, per opinion (rounded to hundredths in the report)."""
    n = max(1, opinions)
    stored = {k: (v - before.stored.get(k, 0)) / n for k, v in after.stored.items()}
    delivered = {k: (v - before.delivered.get(k, 0)) / n for k, v in after.delivered.items()}
    return Counts({k: v for k, v in stored.items() if v}, {k: v for k, v in delivered.items() if v})
