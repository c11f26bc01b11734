"""Shared HTTP error classification for the webhook and provider channels."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from services.notification.domain.errors import PermanentChannelError, TransientChannelError


async def post_classified(
    client: httpx.AsyncClient, url: str, body: bytes, headers: Mapping[str, str]
) -> httpx.Response:
    """POST and map the outcome: 5xx/429/network/timeout transient, other 4xx permanent."""
    try:
        response = await client.post(url, content=body, headers=dict(headers))
    except httpx.TimeoutException as exc:
        raise TransientChannelError(
            "timeout", f"Máy nhận không phản hồi kịp thời ({type(exc).__name__})."
        ) from exc
    except httpx.TransportError as exc:
        raise TransientChannelError("connection_failed", f"Không kết nối được tới máy nhận ({exc}).") from exc
    status = response.status_code
    if status == 429:
        raise TransientChannelError("rate_limited", "Máy nhận báo gửi quá nhanh (HTTP 429); sẽ thử lại sau.")
    if status >= 500:
        raise TransientChannelError("server_error", f"Máy nhận gặp lỗi (HTTP {status}); sẽ thử lại sau.")
    if status >= 400:
        raise PermanentChannelError(
            "rejected", f"Máy nhận từ chối thông báo (HTTP {status}); hãy kiểm tra địa chỉ và cấu hình kênh."
        )
    if status >= 300:
        # Redirects are not followed: a signed POST must not be replayed to an unexpected host.
        raise PermanentChannelError(
            "unexpected_redirect", f"Máy nhận chuyển hướng yêu cầu (HTTP {status}); hãy cập nhật địa chỉ mới."
        )
    return response
