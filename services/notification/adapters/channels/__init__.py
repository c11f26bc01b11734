"""Channel adapters: e-mail (SMTP), signed webhooks, an SMS/Zalo-style HTTP provider, a log file."""

from .logfile import LogFileChannel
from .provider import ProviderChannel, ProviderSettings
from .signing import sign, verify_signature
from .smtp import EmailChannel, EmailSettings
from .webhook import WebhookChannel, WebhookSettings

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
