"""Per-service settings from the environment (prefix ``DIALOGUE_``), with embedded defaults."""

from __future__ import annotations

import ssl
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The deployed services: one image runs each (`dialogue run <service>`), and compose, Kubernetes,
# Prometheus and the AsyncAPI documents list each of them. The portal owns no stream: the first four do.
SERVICES = ("scheduling", "intake", "assignment", "notification", "portal")
STREAM_OWNERS = ("scheduling", "intake", "assignment", "notification")
# Each service's ops port (/metrics, /healthz, /readyz); the portal serves its pages on another one.
DEFAULT_HTTP_PORTS = {
    "scheduling": 8101,
    "intake": 8102,
    "assignment": 8103,
    "notification": 8104,
    "portal": 8105,
}


class ServiceSettings(BaseSettings):
    """What every service needs; services extend it with their own settings."""

    model_config = SettingsConfigDict(env_prefix="DIALOGUE_", extra="ignore")

    service: str = "scheduling"
    nats_url: str = "nats://127.0.0.1:4222"
    nats_user: str | None = None
    nats_password: SecretStr | None = None
    nats_password_file: Path | None = None
    nats_creds: Path | None = None
    nats_tls_ca: Path | None = None
    nats_tls_cert: Path | None = None
    nats_tls_key: Path | None = None
    # Replies (JetStream API answers, pulled messages, PubAcks) come to inboxes under this prefix, so
    # NATS permissions can give each user only its own inboxes (deploy/nats/accounts.conf).
    nats_inbox_prefix: str | None = None
    store_url: str = "sqlite:///var/{database}.db"
    store_url_file: Path | None = None
    http_host: str = "127.0.0.1"
    http_port: int = 0
    stream_replicas: int = 1
    consumer_lag_seconds: float = 15.0  # how often each service reads its consumers' lag
    outbox_sweep_seconds: float = 5.0  # how often the host re-publishes events saved but never confirmed
    # The sweep skips events staged less than this many seconds ago: the unit of work that saved them
    # is most likely still publishing them (a publish takes milliseconds), and publishing the same
    # ids again meanwhile makes a clustered stream answer 409. Below outbox_sweep_seconds; 0 sweeps all.
    outbox_sweep_min_age_seconds: float = 3.0
    # Batched units of work (shared.unit_of_work): each JetStream consumer fetches up to batch_size
    # messages, and the outcomes their handlers return in one loop turn (or within batch_wait_ms)
    # are committed together, at most batch_size per commit; batch_commit=false commits each
    # message's outcome on its own. 8 rather than 16: as fast in closed bursts, and about half the
    # p99 at half the maximum throughput (bench/profile.md, seventh round).
    batch_commit: bool = True
    batch_size: int = 8
    batch_wait_ms: float = 0.0
    log_level: str = "INFO"
    log_format: str = "json"
    data_dir: Path = Path("var")
    # A directory whose files replace the shipped data files by name (units.toml, routing.toml,
    # directory.toml, fields.toml, templates/...): a volume in compose, a ConfigMap in Kubernetes.
    config_dir: Path | None = None
    tracing: bool = False
    tracing_exporter: str = "otlp"  # or "console"

    @property
    def database(self) -> str:
        return f"dialogue_{self.service}"

    def resolved_http_port(self) -> int:
        return self.http_port or DEFAULT_HTTP_PORTS.get(self.service, 8100)

    def resolved_store_url(self) -> str:
        """The store URL, read from the mounted secret file when one is configured."""
        if self.store_url_file:
            return self.store_url_file.read_text(encoding="utf-8").strip()
        return self.store_url

    def nats_servers(self) -> list[str]:
        return [u.strip() for u in self.nats_url.split(",") if u.strip()]

    def inbox_prefix(self) -> str:
        """``DIALOGUE_NATS_INBOX_PREFIX``, or ``_INBOX.<service>``."""
        return self.nats_inbox_prefix or f"_INBOX.{self.service}"

    def nats_tls_context(self) -> ssl.SSLContext | None:
        """TLS to NATS from ``DIALOGUE_NATS_TLS_CA`` (and ``_CERT``/``_KEY`` for mutual TLS)."""
        if not (self.nats_tls_ca or self.nats_tls_cert):
            return None
        ctx = ssl.create_default_context(cafile=str(self.nats_tls_ca) if self.nats_tls_ca else None)
        if self.nats_tls_cert and self.nats_tls_key:
            ctx.load_cert_chain(str(self.nats_tls_cert), str(self.nats_tls_key))
        return ctx

    def config_file(self, name: str, explicit: Path | None = None) -> Path | None:
        """The data file to load: the explicit setting, else ``<config_dir>/<name>`` when it exists,
        else None (the caller loads the file shipped with the service)."""
        if explicit is not None:
            return explicit
        if self.config_dir is not None and (self.config_dir / name).exists():
            return self.config_dir / name
        return None

    def nats_password_value(self) -> str | None:
        if self.nats_password_file:
            return self.nats_password_file.read_text(encoding="utf-8").strip()
        return self.nats_password.get_secret_value() if self.nats_password else None
