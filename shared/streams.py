"""The JetStream streams and durable consumers of the platform, as nats-py configurations.

A service creates (or updates) the streams it owns at start-up and waits for the streams it consumes,
which their owning services create.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence

from nats.errors import Error as NatsError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.client import JetStreamContext
from nats.js.errors import BadRequestError, NotFoundError

from shared.startup import PermissionWatch, step
from shared.subjects import ACK_WAIT, STREAMS, StreamSpec

log = logging.getLogger(__name__)


def owned(names: Iterable[str]) -> list[StreamSpec]:
    """The specs of the streams a service owns; every service may create the dead-letter stream."""
    wanted = {*names, "DEADLETTER"}
    return [spec for spec in STREAMS if spec.name in wanted]


def consumer_config(durable: str) -> ConsumerConfig:
    """The durable pull consumer every service binds to (also used by the benchmark's relays)."""
    return ConsumerConfig(
        durable_name=durable,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=ACK_WAIT.total_seconds(),
        max_deliver=-1,  # the reliability middleware dead-letters after MAX_DELIVER itself
        deliver_policy=DeliverPolicy.ALL,
        max_ack_pending=1000,
    )


def stream_config(spec: StreamSpec, replicas: int) -> StreamConfig:
    """The stream ``spec`` on file storage with ``replicas`` copies (at least one)."""
    return StreamConfig(
        name=spec.name,
        description=spec.description,
        subjects=list(spec.subjects),
        storage=StorageType.FILE,
        num_replicas=max(1, replicas),
        max_age=spec.max_age.total_seconds(),
        duplicate_window=spec.duplicate_window.total_seconds(),
    )


async def ensure_streams(
    js: JetStreamContext, specs: Sequence[StreamSpec], replicas: int, watch: PermissionWatch
) -> None:
    """Create each stream, or update it when it exists (a changed description, subjects or age);
    JetStream may still be electing a leader right after a cluster starts, so failures are retried."""

    async def ensure() -> None:
        for spec in specs:
            config = stream_config(spec, replicas)
            try:
                await step(watch, f"creating stream {spec.name}", functools.partial(js.add_stream, config))
            except BadRequestError:
                await step(watch, f"updating stream {spec.name}", functools.partial(js.update_stream, config))

    await _retry_until_ready(ensure)


async def wait_for_streams(
    js: JetStreamContext, names: Iterable[str], watch: PermissionWatch, waiting: Callable[[str], None]
) -> None:
    """Wait until the streams ``names`` exist (their owners create them) and have a leader.

    On a cluster, a stream just created by its owner answers nothing until its replicas elected a
    leader, and the JetStream API times out meanwhile: that is waited for too, as is a missing stream.
    """
    for name in sorted(set(names)):
        waited = 0
        while True:
            try:
                info = await step(
                    watch, f"reading stream {name}'s info", functools.partial(js.stream_info, name)
                )
                if info.cluster is None or info.cluster.leader:
                    break
                waiting(f"waiting for stream {name} to elect a leader")
            except NotFoundError:
                waiting(f"waiting for stream {name}, which its owning service creates")
            except TimeoutError:  # nats-py's TimeoutError is one
                waiting(f"waiting for stream {name} to answer (JetStream timed out)")
            if waited % 20 == 0:
                log.info("waiting for stream %s (created by its owner, with a leader)", name)
            waited += 1
            await asyncio.sleep(0.5)


async def ensure_consumers(
    js: JetStreamContext,
    bindings: Iterable[tuple[str, str, str]],
    watch: PermissionWatch,
    waiting: Callable[[str], None],
    patience: float = 120.0,
) -> None:
    """Create the durable consumers ``(stream, durable, subject)`` before FastStream binds to them.

    FastStream's start (nats-py's ``pull_subscribe``) asks for each consumer once and gives up on
    the JetStream API's first timeout, which a cluster still electing the stream's or the
    consumer's leader gives under load. Here each is asked for, and created with the configuration
    ``pull_subscribe`` would give it, until it answers; FastStream then finds it at once.
    """
    for stream, durable, subject in bindings:
        deadline = asyncio.get_running_loop().time() + patience
        while True:
            try:
                await _ensure_consumer(js, stream, durable, subject, watch)
                break
            except TimeoutError:  # nats-py's TimeoutError is one
                if asyncio.get_running_loop().time() > deadline:
                    raise
                waiting(f"waiting for JetStream to create consumer {durable} on {stream} (timed out)")
                log.info("JetStream timed out creating consumer %s on %s; retrying", durable, stream)
                await asyncio.sleep(0.5)


async def _ensure_consumer(
    js: JetStreamContext, stream: str, durable: str, subject: str, watch: PermissionWatch
) -> None:
    try:
        await step(watch, f"reading consumer {durable}", functools.partial(js.consumer_info, stream, durable))
        return
    except NotFoundError:
        pass
    config = consumer_config(durable)
    config.name = durable
    config.filter_subject = subject
    await step(watch, f"creating consumer {durable}", functools.partial(js.add_consumer, stream, config))


async def _retry_until_ready(action: Callable[[], Awaitable[None]], attempts: int = 30) -> None:
    for attempt in range(attempts):
        try:
            await action()
            return
        except (TimeoutError, NotFoundError, BadRequestError) as exc:
            if attempt == attempts - 1:
                raise
            log.info("waiting for JetStream (%s)", exc)
            await asyncio.sleep(0.5)


async def in_flight(js: JetStreamContext, stream: str, durable: str, timeout: float = 2.0) -> bool:
    """Whether a durable consumer still has messages to deliver or awaiting their ack; True when
    JetStream cannot say, so that a caller deciding on it waits rather than guesses."""
    try:
        info = await js.consumer_info(stream, durable, timeout=timeout)
    except (NatsError, TimeoutError) as exc:
        log.info(
            "could not read consumer %s on %s (%r); taking its messages as in flight", durable, stream, exc
        )
        return True
    return bool(info.num_pending or info.num_ack_pending)
