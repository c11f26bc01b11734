from __future__ import annotations

import pytest
from notification_servers import SmtpServer, free_port

from services.notification.adapters.channels.smtp import EmailChannel, EmailSettings
from services.notification.adapters.template_catalog import TemplateCatalog
from services.notification.adapters.template_samples import SAMPLES
from services.notification.domain.errors import PermanentChannelError, TransientChannelError
from services.notification.domain.ledger import new_delivery, start_attempt
from services.notification.domain.messages import Message, message_for
from services.notification.domain.recipients import Recipient
from services.notification.domain.triggers import Channel, Trigger
from shared.timeutil import utcnow

pytestmark = pytest.mark.service

SUBJECT = "Thông báo tổ chức hội nghị đối thoại tại xã Đồng Du"


def announcement(event_id: str) -> Message:
    recipient = Recipient("mttq", "Ủy ban MTTQ xã Đồng Du", Channel.EMAIL, "mttq@dongdu.example")
    delivery = start_attempt(
        new_delivery(event_id, Trigger.CONFERENCE_ANNOUNCED, recipient, utcnow()), utcnow()
    )
    content = TemplateCatalog().render(
        Trigger.CONFERENCE_ANNOUNCED, Channel.EMAIL, SAMPLES[Trigger.CONFERENCE_ANNOUNCED]
    )
    return message_for(delivery, content)


def channel_for(port: int, timeout: float = 5.0) -> EmailChannel:
    return EmailChannel(
        EmailSettings(host="127.0.0.1", port=port, timeout=timeout, message_id_domain="test.example")
    )


async def test_utf8_subject_and_bodies_arrive_intact_with_a_deterministic_message_id(
    smtp_server: SmtpServer,
) -> None:
    message = announcement("evt-email-1")
    result = await channel_for(smtp_server.port).send(message)
    [received] = smtp_server.handler.messages
    assert received["Subject"] == SUBJECT
    assert received["Message-ID"] == f"<{message.delivery_id}@test.example>"
    assert result.provider_id == received["Message-ID"]
    assert received["To"].addresses[0].display_name == "Ủy ban MTTQ xã Đồng Du"
    assert received["From"].addresses[0].display_name == "Hệ thống hội nghị đối thoại"
    plain = received.get_body(("plain",))
    html = received.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert "08 giờ 00 ngày 05/12/2026" in plain.get_content()
    assert "Hội trường Nhà văn hóa trung tâm xã Đồng Du" in html.get_content()
    assert smtp_server.handler.envelopes[0].rcpt_tos == ["mttq@dongdu.example"]


async def test_a_crash_retry_carries_the_same_message_id(smtp_server: SmtpServer) -> None:
    message = announcement("evt-email-2")
    channel = channel_for(smtp_server.port)
    await channel.send(message)
    await channel.send(message)
    ids = {m["Message-ID"] for m in smtp_server.handler.messages}
    assert ids == {f"<{message.key}@test.example>"}


async def test_a_4xx_reply_is_transient(smtp_server: SmtpServer) -> None:
    smtp_server.handler.rcpt_reply = "450 Mailbox busy, try later"
    with pytest.raises(TransientChannelError) as failed:
        await channel_for(smtp_server.port).send(announcement("evt-email-3"))
    assert failed.value.code == "smtp_4xx"


async def test_a_5xx_reply_is_permanent(smtp_server: SmtpServer) -> None:
    smtp_server.handler.data_reply = "554 Message rejected"
    with pytest.raises(PermanentChannelError) as failed:
        await channel_for(smtp_server.port).send(announcement("evt-email-4"))
    assert failed.value.code == "smtp_5xx"
    assert smtp_server.handler.messages == []


async def test_a_refused_connection_is_transient() -> None:
    with pytest.raises(TransientChannelError) as failed:
        await channel_for(free_port(), timeout=2.0).send(announcement("evt-email-5"))
    assert failed.value.code == "connection_failed"
