"""E-mail over SMTP with aiosmtplib: UTF-8 multipart text + HTML, deterministic Message-ID."""

from __future__ import annotations

import email.utils
import io
from dataclasses import dataclass
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP

import aiosmtplib

from services.notification.domain.errors import PermanentChannelError, TransientChannelError
from services.notification.domain.messages import Message, SendResult
from services.notification.domain.triggers import Channel


@dataclass(frozen=True)
class EmailSettings:
    host: str = "localhost"
    port: int = 25
    from_address: str = "thongbao@doithoai.example"
    from_name: str = "Hệ thống hội nghị đối thoại"
    starttls: bool = False
    use_tls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    message_id_domain: str = "doithoai.example"


def message_id(key: str, domain: str) -> str:
    """Derived from the idempotency key, so a crash retry carries the same Message-ID."""
    return f"<{key}@{domain}>"


def build_email(message: Message, settings: EmailSettings) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = Address(settings.from_name, addr_spec=settings.from_address)
    mail["To"] = Address(message.recipient_name, addr_spec=message.to)
    mail["Subject"] = message.content.subject or ""
    mail["Date"] = email.utils.formatdate(localtime=False, usegmt=True)
    mail["Message-ID"] = message_id(message.key, settings.message_id_domain)
    mail["X-Dialogue-Trigger"] = message.trigger.value
    mail.set_content(message.content.text, charset="utf-8")
    if message.content.html:
        mail.add_alternative(message.content.html, subtype="html", charset="utf-8")
    return mail


# CPython 3.11 drops the space between two encoded words when it folds a long non-ASCII Subject
# ("kiến nghị mã số" arrives as "kiến nghịmã số"). Not folding avoids it; 998 is RFC 5322's hard limit.
_WIRE_POLICY = SMTP.clone(max_line_length=998)


def flatten(mail: EmailMessage) -> bytes:
    """The message as sent: CRLF line ends, headers unfolded up to 998 characters."""
    with io.BytesIO() as out:
        BytesGenerator(out, policy=_WIRE_POLICY).flatten(mail)
        return out.getvalue()


def _classify(exc: aiosmtplib.SMTPException) -> Exception:
    if isinstance(exc, aiosmtplib.SMTPTimeoutError):
        return TransientChannelError("timeout", f"Máy chủ thư không phản hồi kịp thời ({exc}).")
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [e.code for e in exc.recipients]
        if codes and all(400 <= c < 500 for c in codes):
            return TransientChannelError("smtp_4xx", f"Máy chủ thư tạm từ chối người nhận ({codes}).")
        return PermanentChannelError(
            "smtp_5xx", f"Máy chủ thư từ chối người nhận ({codes}); hãy kiểm tra địa chỉ."
        )
    if isinstance(exc, aiosmtplib.SMTPResponseException) and not isinstance(
        exc, aiosmtplib.SMTPConnectResponseError
    ):
        if 400 <= exc.code < 500:
            return TransientChannelError("smtp_4xx", f"Máy chủ thư tạm từ chối ({exc.code} {exc.message}).")
        code = "smtp_auth_failed" if isinstance(exc, aiosmtplib.SMTPAuthenticationError) else "smtp_5xx"
        return PermanentChannelError(
            code, f"Máy chủ thư từ chối ({exc.code} {exc.message}); hãy kiểm tra cấu hình."
        )
    if isinstance(exc, aiosmtplib.SMTPNotSupported):
        return PermanentChannelError("smtp_not_supported", f"Máy chủ thư không hỗ trợ yêu cầu ({exc}).")
    # Connection refused, disconnects and greeting errors: the server may come back.
    return TransientChannelError("connection_failed", f"Không kết nối được tới máy chủ thư ({exc}).")


class EmailChannel:
    channel = Channel.EMAIL

    def __init__(self, settings: EmailSettings) -> None:
        self._settings = settings

    async def send(self, message: Message) -> SendResult:
        s = self._settings
        mail = build_email(message, s)
        try:
            await aiosmtplib.send(
                flatten(mail),
                sender=s.from_address,
                recipients=[message.to],
                hostname=s.host,
                port=s.port,
                username=s.username,
                password=s.password,
                start_tls=s.starttls,
                use_tls=s.use_tls,
                timeout=s.timeout,
            )
        except aiosmtplib.SMTPException as exc:
            raise _classify(exc) from exc
        except OSError as exc:
            raise TransientChannelError("connection_failed", f"Lỗi mạng khi gửi thư ({exc}).") from exc
        return SendResult(provider_id=str(mail["Message-ID"]), detail="accepted")
