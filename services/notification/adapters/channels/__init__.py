"""Channel adapters: e-mail (SMTP), signed webhooks, an SMS/Zalo-style HTTP provider, a log file."""

from services.notification.adapters.channels.logfile import LogFileChannel
from services.notification.adapters.channels.provider import ProviderChannel, ProviderSettings
from services.notification.adapters.channels.signing import sign, verify_signature
from services.notification.adapters.channels.smtp import EmailChannel, EmailSettings
from services.notification.adapters.channels.webhook import WebhookChannel, WebhookSettings

__all__ = [
    "EmailChannel",
    "EmailSettings",
    "LogFileChannel",
    "ProviderChannel",
    "ProviderSettings",
    "WebhookChannel",
    "WebhookSettings",
    "sign",
    "verify_signature",
]
