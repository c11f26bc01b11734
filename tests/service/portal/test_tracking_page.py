"""The tracking page and Open311 reads, from contract events published on the real streams."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from nats.aio.client import Client

from services.portal.adapters.repository import OPINIONS
from services.portal.app import build
from shared.contracts.notification import NotificationSent
from shared.settings import ServiceSettings
from tests.service.portal.support import (
    AGENCY,
    CONFERENCE,
    EMAIL,
    FULL_NAME,
    ID_NUMBER,
    PHONE,
    T0,
    classified,
    code_for,
    conference_events,
    eventually,
    path,
    portal_settings,
    received,
    running_portal,
)

pytestmark = pytest.mark.service

PERSONAL = [
    PHONE,
    EMAIL,
    ID_NUMBER,
    FULL_NAME,
    "Văn Thành",
    "số 12 thôn An Bài",
    "kinhte@dongdu",
    "Trần Văn B",
]


def assert_nothing_personal(text: str) -> None:
    for value in PERSONAL:
        assert value not in text
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), "an e-mail address is on the page"
    assert not re.search(r"(?<!\d)0\d{9}(?!\d)", text), "a phone number is on the page"
    assert not re.search(r"(?<!\d)\d{12}(?!\d)", text), "an ID number is on the page"


async def test_the_tracking_page_shows_the_path_from_every_context_masked(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code = code_for("tracking-page")
    opinion_id = "op-tracking-page"
    async with running_portal(settings_for) as run:
        h = run.hosts
        await h["scheduling"].publish(conference_events("held"))
        # Assignment's events first, newest first: the page sorts them by when they happened.
        await h["assignment"].publish(list(reversed(path(opinion_id, code))))
        await h["intake"].publish([received(opinion_id, code), classified(opinion_id, code)])
        ack = NotificationSent(
            event_id=f"{opinion_id}-ack", correlation_id=opinion_id, delivery_id="d1",
            trigger="opinion_acknowledged", trigger_event_id="x", channel="email",
            recipient=f"citizen:{EMAIL}", sent_at=T0.replace(minute=30),
        )  # fmt: skip
        await h["notification"].publish([ack])

        async def published() -> str | None:
            page = await run.http.get(f"/tra-cuu/{code}")
            return (
                page.text if page.status_code == 200 and "Nội dung trả lời đã công bố" in page.text else None
            )

        await eventually(published)
        await eventually(lambda: _steps(run, code))

        async def held() -> bool:
            return "Kết quả trả lời" in (await run.http.get(f"/hoi-nghi/{CONFERENCE}")).text

        await eventually(held)
        page = await run.http.get(f"/tra-cuu/{code.lower().replace('-', '')}")
        conference = await run.http.get(f"/hoi-nghi/{CONFERENCE}")
        one = await run.http.get(f"/open311/v2/requests/{code}.json")
        many = await run.http.get(
            "/open311/v2/requests.json", params={"service_request_id": f"{code},DT-0000-0000"}
        )

    html = page.text
    assert page.status_code == 200
    assert '<html lang="vi">' in html
    steps = re.findall(r'<li class="step (\w+)">', html)
    assert steps == ["received", "acknowledged", "assigned", "answered", "returned", "answered", "published"]
    assert f"Giao {AGENCY} trả lời, hạn trả lời 18/12/2026." in html
    assert "Lớp đào tạo nghề mở vào tháng 3/2027 tại nhà văn hóa xã." in html
    assert "Nguyễn V. T." in html
    assert "Hội nghị đối thoại xã Đồng Du" in html
    assert f'href="/hoi-nghi/{CONFERENCE}"' in html
    assert_nothing_personal(html)

    assert conference.status_code == 200
    assert "Lao động, việc làm" in conference.text
    assert "Tỉ lệ trả lời đúng hạn: <strong>100%</strong>" in conference.text
    assert "08:00 ngày 19/11/2026 đến 11:00" in conference.text  # Asia/Ho_Chi_Minh
    assert_nothing_personal(conference.text)

    assert one.status_code == 200
    [request] = one.json()
    assert request["service_request_id"] == code
    assert request["status"] == "closed"
    assert request["agency_responsible"] == AGENCY
    assert request["service_code"] == "labour_jobs"
    assert request["expected_datetime"] == "2026-12-18T23:59:59+07:00"
    assert request["requested_datetime"] == "2026-11-20T08:00:00+07:00"
    assert request["address"] == "xã Đồng Du"
    assert_nothing_personal(one.text)
    assert [r["service_request_id"] for r in many.json()] == [code]


async def _steps(run: object, code: str) -> bool:
    doc = await run.portal.store.find(OPINIONS, {"tracking_code": code})  # type: ignore[attr-defined]
    return bool(doc) and len(doc[0]["steps"]) == 7


async def test_a_redelivered_or_replayed_event_changes_nothing(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code = code_for("redelivery")
    opinion_id = "op-redelivery"
    js = nats_client.jetstream()  # type: ignore[attr-defined]
    async with running_portal(settings_for) as run:
        events = path(opinion_id, code)
        await run.hosts["intake"].publish([received(opinion_id, code)])
        await run.hosts["assignment"].publish(events)
        await eventually(lambda: _doc_with_steps(run, opinion_id, 6))
        before = await run.portal.store.get(OPINIONS, opinion_id)
        # The same events again under other message ids: past JetStream's de-duplication.
        for n, event in enumerate(events):
            await js.publish(event.routing_subject(), event.to_json(), headers={"Nats-Msg-Id": f"again-{n}"})
        await js.publish(
            "intake.opinion.received",
            received(opinion_id, code).to_json(),
            headers={"Nats-Msg-Id": "again-r"},
        )

        async def all_acked() -> bool:
            done = True
            for stream, durable in (
                ("ASSIGNMENT", "portal-assignment-progress"),
                ("INTAKE", "portal-received"),
            ):
                info = await js.consumer_info(stream, durable)
                done = done and info.num_pending == 0 and info.num_ack_pending == 0
            return (
                done
                and (await js.consumer_info("ASSIGNMENT", "portal-assignment-progress")).delivered.stream_seq
                >= 10
            )

        await eventually(all_acked)
        after = await run.portal.store.get(OPINIONS, opinion_id)

    assert before is not None
    assert after is not None
    assert after["version"] == before["version"]
    assert after["steps"] == before["steps"]


async def _doc_with_steps(run: object, opinion_id: str, count: int) -> bool:
    doc = await run.portal.store.get(OPINIONS, opinion_id)  # type: ignore[attr-defined]
    return doc is not None and len(doc["steps"]) == count


async def test_an_unknown_or_malformed_code_gets_one_sentence(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    async with running_portal(settings_for) as run:
        malformed = await run.http.get("/tra-cuu/DT-ABCD")
        unknown = await run.http.get(f"/tra-cuu/{code_for('never-issued')}")
        form = await run.http.get("/tra-cuu", params={"ma": "xyz"})
        known_form = await run.http.get("/tra-cuu", params={"ma": code_for("never-issued").lower()})
        missing = await run.http.get("/khong-co")
        open311_missing = await run.http.get(f"/open311/v2/requests/{code_for('never-issued')}.json")

    assert malformed.status_code == 400
    assert "không đúng dạng" in malformed.text
    assert unknown.status_code == 404
    assert "Không tìm thấy ý kiến có mã" in unknown.text
    assert form.status_code == 400
    assert 'id="ma"' in form.text
    assert "không đúng dạng" in form.text
    assert known_form.status_code == 404
    assert missing.status_code == 404
    assert "Không có trang này" in missing.text
    for response in (malformed, unknown, missing):
        assert "Traceback" not in response.text
    assert open311_missing.status_code == 404
    [error] = open311_missing.json()
    assert error["code"] == 404
    assert "Không tìm thấy" in error["description"]


async def test_a_known_code_typed_in_the_form_redirects_to_its_page(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code = code_for("redirect")
    async with running_portal(settings_for) as run:
        await run.hosts["intake"].publish([received("op-redirect", code)])
        await eventually(lambda: _doc_with_steps(run, "op-redirect", 1))
        answer = await run.http.get("/tra-cuu", params={"ma": f" {code.lower()} "})

    assert answer.status_code == 303
    assert answer.headers["location"] == f"/tra-cuu/{code}"


async def test_every_response_carries_the_security_headers_and_lookups_are_limited(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    async with running_portal(settings_for, portal_lookups_per_minute=3) as run:
        answers = [await run.http.get(f"/tra-cuu/{code_for('limit')}") for _ in range(4)]
        other = [
            await run.http.get(p) for p in ("/", "/static/portal.css", "/open311/v2/services.json", "/x")
        ]
        huge = await run.http.post("/open311/v2/requests.json", content=b"a=" + b"x" * 100_000)
        metrics = await asyncio.to_thread(_metrics, run.portal.ops.port)
        ready = await asyncio.to_thread(_ops, run.portal.ops.port, "/readyz")
        alive = await asyncio.to_thread(_ops, run.portal.ops.port, "/healthz")

    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    assert "quá nhiều lần" in answers[-1].text
    assert huge.status_code == 413
    assert "quá dài" in huge.text
    for response in [*answers, *other, huge]:
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "default-src 'none'" in csp
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"
    assert ready == {"ready": True, "checks": {"nats": "ok", "store": "ok", "web": "ok"}}
    assert alive == {"status": "alive"}
    assert "dialogue_portal_lookups_rate_limited_total 1.0" in metrics
    assert (
        'dialogue_portal_request_seconds_count{method="GET",route="/tra-cuu/{code}",status="4xx"} 4.0'
        in metrics
    )


def _ops(port: int, path: str) -> object:
    import json
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
        return json.loads(r.read())


def _metrics(port: int) -> str:
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        return str(r.read().decode())


async def test_the_read_model_is_rebuilt_by_replaying_the_streams_into_an_empty_store(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, tmp_path: Path
) -> None:
    code = code_for("rebuild")
    opinion_id = "op-rebuild"
    js = nats_client.jetstream()  # type: ignore[attr-defined]
    async with running_portal(settings_for) as run:
        await run.hosts["scheduling"].publish(conference_events("held"))
        await run.hosts["intake"].publish([received(opinion_id, code), classified(opinion_id, code)])
        await run.hosts["assignment"].publish(path(opinion_id, code))
        await eventually(lambda: _doc_with_steps(run, opinion_id, 6))
        await eventually(lambda: _seen(run.portal, opinion_id, 7))  # received, classified, five of assignment
        await eventually(lambda: _held(run.portal))
        first = await run.portal.store.get(OPINIONS, opinion_id)
        assert first is not None
        first_conference = await run.portal.store.get("conferences", CONFERENCE)
        await run.portal.stop()
        for stream, durable in run.portal.lag_consumers:
            await js.delete_consumer(stream, durable)
        # A new portal on an empty store of its own: the durable consumers start from the streams' start.
        rebuilt = build(
            portal_settings(settings_for, store_url=f"sqlite:///{tmp_path}/rebuilt/{{database}}.db")
        )
        (tmp_path / "rebuilt").mkdir()
        await rebuilt.start()
        try:

            async def replayed() -> bool:
                doc = await rebuilt.store.get(OPINIONS, opinion_id)
                return doc is not None and len(doc["seen"]) == len(first["seen"]) and await _held(rebuilt)

            await eventually(replayed)
            second = await rebuilt.store.get(OPINIONS, opinion_id)
            second_conference = await rebuilt.store.get("conferences", CONFERENCE)
        finally:
            await rebuilt.stop()

    assert first is not None
    assert second is not None
    kept = (
        "steps",
        "facts",
        "status",
        "agency_name",
        "deadline",
        "tracking_code",
        "published",
        "requested_at",
    )
    assert {k: second[k] for k in kept} == {k: first[k] for k in kept}
    assert sorted(second["seen"]) == sorted(first["seen"])
    assert first_conference is not None
    assert second_conference is not None
    assert second_conference["conference_version"] == first_conference["conference_version"] == 3


async def _seen(portal: object, opinion_id: str, count: int) -> bool:
    doc = await portal.store.get(OPINIONS, opinion_id)  # type: ignore[attr-defined]
    return doc is not None and len(doc["seen"]) == count


async def _held(portal: object) -> bool:
    doc = await portal.store.get("conferences", CONFERENCE)  # type: ignore[attr-defined]
    return doc is not None and doc["conference_version"] == 3
