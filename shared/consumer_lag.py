"""Each service's own durable consumers' lag, as Prometheus gauges read from JetStream consumer info.

The lag alerts (``DialogueConsumerLag``, ``DialogueIntakeStalled``) used to read only the
prometheus-nats-exporter's ``jetstream_consumer_*`` series; with these gauges they work (and are
tested) without the exporter. Every replica of a service reports the same numbers for the consumer
it shares, so dashboards and alerts take the ``max by (stream, consumer)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable

from nats.errors import Error as NatsError
from nats.js.errors import NotFoundError
from nats.js.manager import JetStreamManager
from prometheus_client import CollectorRegistry, Gauge

log = logging.getLogger(__name__)
INFO_TIMEOUT = 5.0  # seconds one consumer info request may take before this refresh skips it


class ConsumerLag:
    """The gauges ``dialogue_consumer_pending`` and ``dialogue_consumer_ack_pending`` of one service."""

    def __init__(self, registry: CollectorRegistry, service: str) -> None:
        self.service = service
        self.pending = Gauge(
            "dialogue_consumer_pending",
            "Messages of the stream not yet delivered to this service's durable consumer.",
            ["service", "stream", "consumer"],
            registry=registry,
        )
        self.ack_pending = Gauge(
            "dialogue_consumer_ack_pending",
            "Messages delivered to this service's durable consumer and not yet acknowledged.",
            ["service", "stream", "consumer"],
            registry=registry,
        )
        self._unreadable: set[tuple[str, str]] = set()  # logged once until they can be read again

    async def refresh(self, js: JetStreamManager, consumers: Iterable[tuple[str, str]]) -> None:
        """Read the info of each ``(stream, durable)`` consumer and set its gauges; never raises.

        A consumer that does not exist (yet, or any more) has no lag to report: its series is
        removed. On a transient NATS error the last value stays, so an alert does not flap while
        the service reconnects.
        """
        pairs = list(dict.fromkeys(consumers))
        await asyncio.gather(*(self._refresh_one(js, stream, durable) for stream, durable in pairs))

    async def _refresh_one(self, js: JetStreamManager, stream: str, durable: str) -> None:
        try:
            info = await js.consumer_info(stream, durable, timeout=INFO_TIMEOUT)
        except NotFoundError:
            self._unreadable_once(stream, durable, "does not exist (yet); its lag is not reported")
            self._forget(stream, durable)
            return
        except (NatsError, TimeoutError) as exc:
            self._unreadable_once(stream, durable, f"could not be read ({exc!r}); its last lag stays")
            return
        if (stream, durable) in self._unreadable:
            self._unreadable.discard((stream, durable))
            log.info("consumer %s on %s is measured again", durable, stream)
        self.pending.labels(self.service, stream, durable).set(info.num_pending or 0)
        self.ack_pending.labels(self.service, stream, durable).set(info.num_ack_pending or 0)

    def _unreadable_once(self, stream: str, durable: str, why: str) -> None:
        if (stream, durable) in self._unreadable:
            return
        self._unreadable.add((stream, durable))
        log.info("consumer %s on %s %s", durable, stream, why)

    def _forget(self, stream: str, durable: str) -> None:
        for gauge in (self.pending, self.ack_pending):
            with contextlib.suppress(KeyError):  # never measured
                gauge.remove(self.service, stream, durable)
