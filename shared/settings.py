"""Per-service settings from the environment (prefix ``DIALOGUE_``), with embedded defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICES = ("scheduling", "intake", "assignment", "notification")
DEFAULT_HTTP_PORTS = {"scheduling": 8101, "intake": 8102, "assignment": 8103, "notification": 8104}


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
    store_url: str = "sqlite:///var/{database}.db"
    store_url_file: Path | None = None
    http_host: str = "127.0.0.1"
    http_port: int = 0
    stream_replicas: int = 1
    log_level: str = "INFO"
    log_format: str = "json"
    data_dir: Path = Path("var")
    tracing: bool = False
    tracing_exporter: str = "otlp"  # or "console"
    instance: str = ""

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

    def nats_password_value(self) -> str | None:
        if self.nats_password_file:
            return self.nats_password_file.read_text(encoding="utf-8").strip()
        return self.nats_password.get_secret_value() if self.nats_password else None
