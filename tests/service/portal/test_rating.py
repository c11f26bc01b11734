"""The rating page through a signed link, against the real assignment service on a real server."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import urllib.request
from collections.abc import Callable

import pytest
from nats.aio.client import Client

from shared.settings import ServiceSettings
from tests.service.portal.rating_bed import assignment, command, opinion_at
from tests.service.portal.support import SECRET, code_for, eventually, rating_link, running_portal

pytestmark = [pytest.mark.service, pytest.mark.timeout(120)]


def form_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))


async def test_a_valid_link_rates_once_and_the_link_cannot_be_used_again(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code = code_for("rating-valid")
    async with running_portal(settings_for, services={"assignment": assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, "op-rating-valid", code, publish=True)
        link = rating_link(code)
        form = await run.http.get(link)
        fields = form_fields(form.text)
        sent = await run.http.post(f"/danh-gia/{code}", data={**fields, "sao": "4", "nhan-xet": "Cảm ơn sở."})
        again_form = await run.http.get(link)
        again_post = await run.http.post(f"/danh-gia/{code}", data={**fields, "sao": "5"})
        stored = await command(nats_client, "show", {"opinion_id": "op-rating-valid"})

        async def rated() -> bool:
            return "step rated" in (await run.http.get(f"/tra-cuu/{code}")).text

        await eventually(rated)
        metrics = await asyncio.to_thread(_metrics, run.portal.ops.port)

    assert form.status_code == 200
    assert 'type="radio"' in form.text
    assert 'name="sao"' in form.text
    assert '<label for="sao-5">' in form.text
    assert set(fields) == {"csrf", "het", "ky"}
    assert "httponly" in form.headers["set-cookie"].lower()
    assert "samesite=strict" in form.headers["set-cookie"].lower()
    assert sent.status_code == 200, sent.text
    assert "Cảm ơn ông/bà đã đánh giá" in sent.text
    assert again_form.status_code == 409
    assert "đã được dùng" in again_form.text
    assert again_post.status_code == 409
    assert stored["data"]["rating"]["stars"] == 4
    assert 'dialogue_portal_ratings_total{outcome="accepted"} 1.0' in metrics
    assert 'dialogue_portal_ratings_total{outcome="refused"} 1.0' in metrics  # the reused link


def _metrics(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        return str(r.read().decode())


async def test_a_forged_or_expired_link_and_a_form_without_its_token_are_refused(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code = code_for("rating-refused")
    async with running_portal(settings_for, services={"assignment": assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, "op-rating-refused", code, publish=True)
        forged = await run.http.get(rating_link(code, secret=b"another-secret-of-some-length"))
        other_code = await run.http.get(rating_link(code).replace(code, code_for("rating-other"), 1))
        unsigned = await run.http.get(f"/danh-gia/{code}")
        expired = await run.http.get(rating_link(code, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
        form = await run.http.get(rating_link(code))
        fields = form_fields(form.text)
        run.http.cookies.clear()
        without_cookie = await run.http.post(f"/danh-gia/{code}", data={**fields, "sao": "3"})
        form = await run.http.get(rating_link(code))
        fields = form_fields(form.text)
        wrong_token = await run.http.post(
            f"/danh-gia/{code}", data={**fields, "csrf": "x" + fields["csrf"], "sao": "3"}
        )
        stored = await command(nats_client, "show", {"opinion_id": "op-rating-refused"})

    assert forged.status_code == 403
    assert "không hợp lệ" in forged.text
    assert other_code.status_code == 403
    assert unsigned.status_code == 403
    assert expired.status_code == 410
    assert "đã hết hạn" in expired.text
    assert without_cookie.status_code == 403
    assert "csrf_refused" in without_cookie.text
    assert wrong_token.status_code == 403
    assert stored["data"]["rating"] is None


async def test_a_rating_before_publication_is_refused_with_a_sentence(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code = code_for("rating-early")
    async with running_portal(settings_for, services={"assignment": assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, "op-rating-early", code, publish=False)
        early = await run.http.get(rating_link(code))

    assert early.status_code == 409
    assert "chưa có trả lời được công bố" in early.text
    assert SECRET.decode() not in early.text
