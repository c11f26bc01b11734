"""Builds the channels, renderer and directory from the settings; a channel exists only if configured."""

from __future__ import annotations

import datetime as dt

from .adapters.channels import (
    EmailChannel,
    EmailSettings,
    LogFileChannel,
    ProviderChannel,
    ProviderSettings,
    WebhookChannel,
    WebhookSettings,
)
from .adapters.ratelimit import RateLimitedChannel, TokenBucket
from .adapters.retry import RetryPolicy
from .domain.messages import ChannelAdapter
from .domain.schedule import RetrySchedule
from .domain.triggers import Channel
from .settings import NotificationSettings


def raw_channels(s: NotificationSettings) -> dict[Channel, ChannelAdapter]:
    channels: dict[Channel, ChannelAdapter] = {}
    if s.smtp_host:
        channels[Channel.EMAIL] = EmailChannel(
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
        channels[Channel.SMS] = ProviderChannel(
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
        channels[Channel.WEBHOOK] = WebhookChannel(
            WebhookSettings(secret=secret, timeout=s.webhook_timeout_seconds)
        )
    channels[Channel.LOG] = LogFileChannel(s.data_dir / "notifications.log")
    return channels


def channels(s: NotificationSettings) -> dict[Channel, ChannelAdapter]:
    """Configured channels, each behind its own token bucket."""
    rates = {
        Channel.EMAIL: s.notification_rate_email,
        Channel.SMS: s.notification_rate_sms,
        Channel.WEBHOOK: s.notification_rate_webhook,
        Channel.LOG: s.notification_rate_log,
    }
    return {c: RateLimitedChannel(a, TokenBucket(rates[c])) for c, a in raw_channels(s).items()}


def fallback(s: NotificationSettings) -> Channel | None:
    return Channel(s.notification_fallback_channel) if s.notification_fallback_channel else None


def retry_policy(s: NotificationSettings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=s.notification_retry_attempts,
        initial_wait=s.notification_retry_initial_seconds,
        max_wait=s.notification_retry_max_seconds,
    )


def retry_schedule(s: NotificationSettings) -> RetrySchedule:
    return RetrySchedule(
        max_attempts=s.notification_retry_rounds,
        base=dt.timedelta(seconds=s.notification_retry_base_seconds),
        cap=dt.timedelta(seconds=s.notification_retry_cap_seconds),
    )
