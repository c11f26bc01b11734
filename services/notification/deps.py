"""The ports a notification handler needs, built once when the host starts (``build_deps``).

A channel exists only when it is configured (see ``settings``); each one sends behind its own token
bucket, so a burst of notices never exceeds the provider's rate.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from services.notification.adapters.channels import (
    EmailChannel,
    EmailSettings,
    LogFileChannel,
    ProviderChannel,
    ProviderSettings,
    WebhookChannel,
    WebhookSettings,
)
from services.notification.adapters.ratelimit import RateLimitedChannel, TokenBucket
from services.notification.adapters.repository import NotificationRepository
from services.notification.adapters.retry import RetryPolicy
from services.notification.adapters.sending import Sender
from services.notification.domain.addressing import Reach
from services.notification.domain.directory import Directory
from services.notification.domain.messages import ChannelAdapter, Rendered
from services.notification.domain.schedule import RetrySchedule
from services.notification.domain.triggers import Channel, Trigger
from services.notification.metrics import NotificationMetrics
from services.notification.settings import NotificationSettings
from shared.errors import StartupError
from shared.rating_links import SECRET_FILE_ENV, MissingSecret, UnreadableSecret, secret_from_env
from shared.storage.port import DocumentStore

log = logging.getLogger(__name__)


class Renderer(Protocol):
    def render(self, trigger: Trigger, channel: Channel, context: Mapping[str, Any]) -> Rendered: ...


# An answer published for an opinion whose contact this service has not seen waits, while its
# acknowledgement consumer still has messages to deliver or to see acked, for this many deliveries
# (0.5 s doubling: 15.5 s), then goes out to whoever else it reaches: a citizen who gave no consent
# has no AcknowledgementDue, and the answer must not wait for one for ever.
CONTACT_WAIT_DELIVERIES = 6


async def _none_in_flight() -> bool:
    return False


@dataclass
class Deps:
    repo: NotificationRepository
    renderer: Renderer
    directory: Directory
    channels: Mapping[Channel, ChannelAdapter]
    metrics: NotificationMetrics
    clock: Callable[[], dt.datetime]
    fallback: Channel | None = Channel.LOG
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    schedule: RetrySchedule = field(default_factory=RetrySchedule)
    grace: dt.timedelta = dt.timedelta(minutes=2)
    jitter: Callable[[], float] = field(default=random.random)
    public_url: str = "https://doithoai.example"
    survey_days: int = 30
    # Signs the survey's rating links (shared.rating_links); None: the survey points at the tracking page.
    rating_secret: bytes | None = None
    # Whether an AcknowledgementDue (the citizen's contact) may still be on its way to this service.
    contacts_in_flight: Callable[[], Awaitable[bool]] = _none_in_flight

    @property
    def reach(self) -> Reach:
        return Reach(self.directory, tuple(self.channels), self.fallback)

    @property
    def sender(self) -> Sender:
        return Sender(self.channels, self.retry)


def build_deps(
    s: NotificationSettings,
    store: DocumentStore,
    renderer: Renderer,
    directory: Directory,
    metrics: NotificationMetrics,
    clock: Callable[[], dt.datetime],
) -> Deps:
    return Deps(
        repo=NotificationRepository(store),
        renderer=renderer,
        directory=directory,
        channels=channels(s),
        metrics=metrics,
        clock=clock,
        fallback=Channel(s.notification_fallback_channel) if s.notification_fallback_channel else None,
        retry=RetryPolicy(
            max_attempts=s.notification_retry_attempts,
            initial_wait=s.notification_retry_initial_seconds,
            max_wait=s.notification_retry_max_seconds,
        ),
        schedule=RetrySchedule(
            max_attempts=s.notification_retry_rounds,
            base=dt.timedelta(seconds=s.notification_retry_base_seconds),
            cap=dt.timedelta(seconds=s.notification_retry_cap_seconds),
        ),
        grace=dt.timedelta(seconds=s.notification_sending_grace_seconds),
        public_url=s.notification_public_url,
        survey_days=s.notification_survey_days,
        rating_secret=rating_secret(),
    )


def rating_secret() -> bytes | None:
    """The rating-link secret the portal verifies with, or None (logged: the survey has no rating link)."""
    try:
        return secret_from_env()
    except UnreadableSecret as exc:  # configured but unreadable: stop, naming the setting
        raise StartupError(SECRET_FILE_ENV, f"Notification {exc}.") from exc
    except MissingSecret as exc:
        log.warning("satisfaction surveys link to the tracking page only: %s", exc)
        return None


def raw_channels(s: NotificationSettings) -> dict[Channel, ChannelAdapter]:
    found: dict[Channel, ChannelAdapter] = {}
    if s.smtp_host:
        found[Channel.EMAIL] = EmailChannel(
            EmailSettings(
                host=s.smtp_host,
                port=s.smtp_port,
                from_address=s.smtp_from,
                from_name=s.smtp_from_name,
                starttls=s.smtp_starttls,
                use_tls=s.smtp_tls,
                username=s.smtp_username,
                password=s.smtp_password_value(),
                timeout=s.smtp_timeout_seconds,
            )
        )
    api_key = s.sms_api_key_value()
    if s.sms_endpoint and api_key:
        found[Channel.SMS] = ProviderChannel(
            ProviderSettings(
                endpoint=s.sms_endpoint,
                api_key=api_key,
                api_key_header=s.sms_api_key_header,
                timeout=s.sms_timeout_seconds,
                sender=s.sms_sender,
            )
        )
    secret = s.webhook_secret_value()
    if secret:
        found[Channel.WEBHOOK] = WebhookChannel(
            WebhookSettings(secret=secret, timeout=s.webhook_timeout_seconds)
        )
    found[Channel.LOG] = LogFileChannel(s.data_dir / "notifications.log")
    return found


def channels(s: NotificationSettings) -> dict[Channel, ChannelAdapter]:
    """Configured channels, each behind its own token bucket."""
    rates = {
        Channel.EMAIL: s.notification_rate_email,
        Channel.SMS: s.notification_rate_sms,
        Channel.WEBHOOK: s.notification_rate_webhook,
        Channel.LOG: s.notification_rate_log,
    }
    return {c: RateLimitedChannel(a, TokenBucket(rates[c])) for c, a in raw_channels(s).items()}
