"""One attempt on the wire: the configured channel, the in-process retries, the answer as a report.

Every failure ends in a ``SendReport``, never as an exception, so the ledger always records it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from services.notification.adapters.retry import RetryPolicy, send_with_retry
from services.notification.domain.delivery import SendReport, Verdict
from services.notification.domain.errors import PermanentChannelError, TransientChannelError
from services.notification.domain.ledger import Delivery
from services.notification.domain.messages import ChannelAdapter, Rendered, message_for
from services.notification.domain.triggers import Channel

log = logging.getLogger(__name__)


class Sender:
    """The configured channels with the in-process retry policy."""

    def __init__(self, channels: Mapping[Channel, ChannelAdapter], policy: RetryPolicy) -> None:
        self.channels = channels
        self.policy = policy

    async def send(self, attempt: Delivery, content: Rendered) -> SendReport:
        """Send a delivery that is in ``sending``; the report says how it went."""
        channel = self.channels.get(attempt.channel) if attempt.channel else None
        if channel is None:
            message = f"Kênh {attempt.channel} chưa được cấu hình."
            return SendReport(Verdict.TRANSIENT, "channel_not_configured", message)
        try:
            result = await send_with_retry(channel, message_for(attempt, content), self.policy)
        except TransientChannelError as exc:
            return SendReport(Verdict.TRANSIENT, exc.code, exc.message)
        except PermanentChannelError as exc:
            return SendReport(Verdict.PERMANENT, exc.code, exc.message)
        except Exception as exc:  # a bug in an adapter must not lose the notice: retry it later
            log.exception("channel %s failed unexpectedly for delivery %s", attempt.channel, attempt.id)
            return SendReport(Verdict.TRANSIENT, "unexpected_error", str(exc))
        return SendReport(Verdict.SENT, provider_id=result.provider_id)
