"""Settings of the notification service (environment prefix ``DIALOGUE_``).

A channel is available only when it is configured: e-mail needs ``DIALOGUE_SMTP_HOST``, SMS needs
``DIALOGUE_SMS_ENDPOINT`` and an API key, webhooks need a signing secret. The log channel is always
available. Secrets can come from mounted files (``*_FILE``), which win over the plain variables.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from shared.settings import ServiceSettings


def _secret(value: SecretStr | None, file: Path | None) -> str | None:
    if file is not None:
        return file.read_text(encoding="utf-8").strip()
    return value.get_secret_value() if value is not None else None


class NotificationSettings(ServiceSettings):
    """Channels, templates, directory, rate limits and retry schedule of the notification service."""

    service: str = "notification"

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_password_file: Path | None = None
    smtp_starttls: bool = False
    smtp_tls: bool = False
    smtp_from: str = "thongbao@doithoai.example"
    smtp_from_name: str = "Hệ thống hội nghị đối thoại"
    smtp_timeout_seconds: float = 30.0

    webhook_secret: SecretStr | None = None
    webhook_secret_file: Path | None = None
    webhook_timeout_seconds: float = 10.0

    sms_endpoint: str | None = None
    sms_api_key: SecretStr | None = None
    sms_api_key_file: Path | None = None
    sms_api_key_header: str = "X-API-Key"
    sms_sender: str | None = None
    sms_timeout_seconds: float = 10.0

    notification_templates_dir: Path | None = None
    notification_directory_file: Path | None = None
    # "log" in the embedded default: contacts whose channels are not configured get a log notice.
    # Set to "" in production so a missing address stays a visible failure.
    notification_fallback_channel: str = "log"
    notification_public_url: str = "https://doithoai.example"
    notification_survey_days: int = 30

    notification_rate_email: float = 5.0
    notification_rate_sms: float = 2.0
    notification_rate_webhook: float = 10.0
    notification_rate_log: float = 1000.0

    notification_retry_attempts: int = 3
    notification_retry_initial_seconds: float = 0.5
    notification_retry_max_seconds: float = 10.0
    notification_retry_rounds: int = 6
    notification_retry_base_seconds: float = 60.0
    notification_retry_cap_seconds: float = 3600.0
    notification_sweep_seconds: float = 10.0
    notification_sending_grace_seconds: float = 120.0

    def smtp_password_value(self) -> str | None:
        return _secret(self.smtp_password, self.smtp_password_file)

    def webhook_secret_value(self) -> str | None:
        return _secret(self.webhook_secret, self.webhook_secret_file)

    def sms_api_key_value(self) -> str | None:
        return _secret(self.sms_api_key, self.sms_api_key_file)
