"""Optional OpenTelemetry tracing: one opinion's path through the four services is one trace.

Off by default (``DIALOGUE_TRACING=false``). When on, FastStream's NATS telemetry middleware opens a
span for every message consumed and published and carries the trace context in message headers, so
the spans of intake, assignment and notification for one opinion share a trace id. The exporter is
OTLP over HTTP (endpoint from the standard ``OTEL_EXPORTER_OTLP_ENDPOINT``) or the console. Needs the
``tracing`` extra: ``pip install 'dialogue-platform[tracing]'``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

    from shared.settings import ServiceSettings


def tracer_provider_for(settings: ServiceSettings) -> TracerProvider | None:
    """A tracer provider exporting this service's spans, or None when tracing is off."""
    if not settings.tracing:
        return None
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

    provider = TracerProvider(resource=Resource.create({"service.name": f"dialogue-{settings.service}"}))
    exporter: SpanExporter
    if settings.tracing_exporter == "console":
        exporter = ConsoleSpanExporter()
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def telemetry_middleware(provider: TracerProvider) -> Any:
    """FastStream's NATS telemetry middleware on ``provider``."""
    from faststream.nats.opentelemetry import NatsTelemetryMiddleware

    return NatsTelemetryMiddleware(tracer_provider=provider)
