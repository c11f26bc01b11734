"""The citizens' listings from contract events on the real streams: the calendar, the answers search,
and a held conference's conclusion with its download."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from nats.aio.client import Client

from shared.contracts import assignment as a
from shared.contracts.scheduling import Chair, ConferenceAnnounced, ConferenceConcluded, ConferencePlanned
from shared.settings import ServiceSettings
from tests.service.portal.support import (
    CONFERENCE,
    T0,
    classified,
    code_for,
    conference_events,
    eventually,
    path,
    received,
    running_portal,
)
from tests.service.portal.test_tracking_page import assert_nothing_personal

pytestmark = pytest.mark.service
SOON = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=9)


def conference(
    conference_id: str, kind: type[Any], unit: str, name: str, starts: dt.datetime, **more: Any
) -> Any:
    return kind(
        event_id=f"{conference_id}-{kind.__name__}", correlation_id=conference_id, conference_id=conference_id,
        title=f"Hội nghị đối thoại {name}", unit_code=unit, unit_name=name, level="commune",
        starts_at=starts, ends_at=starts + dt.timedelta(hours=3), venue=f"Hội trường {name}",
        chairs=[Chair(name="Lê Thị Thủy", title="Chủ tịch UBND xã")], **more,
    )  # fmt: skip


def concluded() -> ConferenceConcluded:
    held = conference_events("held")[-1]
    values = held.model_dump(exclude={"event_id", "state", "conference_version", "held_at", "attendee_count",
                                      "opinion_count", "occurred_at", "schema_version"})  # fmt: skip
    return ConferenceConcluded(
        **values, event_id=f"{CONFERENCE}-concluded", state="concluded", conference_version=4,
        concluded_at=T0 + dt.timedelta(days=5), late=False,
        conclusion_summary="Giao Phòng Kinh tế mở lớp đào tạo nghề trong quý I/2027.",
        conclusion_document="Số 15/TB-UBND, /home/van-thu/var/ket-luan-dong-du.docx",
    )  # fmt: skip


def published_only(n: int) -> a.AnswerPublished:
    code = code_for(f"listing-{n}")
    return a.AnswerPublished(
        event_id=f"{code}-published", correlation_id=f"op-listing-{n}", opinion_id=f"op-listing-{n}",
        tracking_code=code, field="transport", unit_code="xa-binh-luc", summary=f"Sửa đường thôn số {n}.",
        agency_name="Phòng Kinh tế xã Bình Lục", deadline=dt.date(2026, 12, 18), document_number=f"{n}/PKT",
        document_date=dt.date(2026, 12, 1), answer_summary=f"Đường thôn số {n} được sửa trong quý I.",
        on_time=True, occurred_at=T0 + dt.timedelta(minutes=n), received_at=T0,
    )  # fmt: skip


async def test_the_calendar_lists_units_and_each_unit_s_announced_conferences_coming_up(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    async with running_portal(settings_for) as run:
        await run.hosts["scheduling"].publish(
            [
                conference("hn-lich-1", ConferenceAnnounced, "xa-binh-luc", "xã Bình Lục", SOON,
                           state="announced", conference_version=2, announced_at=T0),
                conference("hn-lich-2", ConferencePlanned, "xa-binh-luc", "xã Bình Lục", SOON,
                           state="planned", conference_version=1),
                conference("hn-lich-3", ConferenceAnnounced, "xa-binh-luc", "xã Bình Lục",
                           SOON - dt.timedelta(days=30), state="announced", conference_version=2,
                           announced_at=T0),
                *conference_events("held"),
            ]
        )  # fmt: skip

        async def listed() -> Any:
            page = await run.http.get("/lich-hoi-nghi")
            return page if "xã Bình Lục" in page.text and "xã Đồng Du" in page.text else None

        units = await eventually(listed)
        unit = await run.http.get("/lich-hoi-nghi/xa-binh-luc")
        unknown = await run.http.get("/lich-hoi-nghi/xa-khong-co")

    assert units.status_code == 200
    assert (
        '<a href="/lich-hoi-nghi/xa-binh-luc">xã Bình Lục</a></td><td>Cấp xã</td><td>1</td><td>2</td>'
        in units.text
    )
    assert unit.status_code == 200
    assert "Hội nghị đối thoại sắp diễn ra: xã Bình Lục" in unit.text
    assert '/hoi-nghi/hn-lich-1"' in unit.text
    assert "hn-lich-2" not in unit.text  # planned: not public yet
    assert "hn-lich-3" not in unit.text  # announced, but already over
    assert unknown.status_code == 404
    assert "Mã lý do: <code>unknown_unit</code>" in unknown.text


async def test_the_answers_search_lists_published_answers_by_field_and_unit_twenty_a_page(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code = code_for("search-published")
    waiting = code_for("search-waiting")
    async with running_portal(settings_for) as run:
        h = run.hosts
        await h["scheduling"].publish(
            [*conference_events("held"),
             conference("hn-tim-binh-luc", ConferenceAnnounced, "xa-binh-luc", "xã Bình Lục", SOON,
                        state="announced", conference_version=2, announced_at=T0)]
        )  # fmt: skip
        await h["intake"].publish([received("op-search", code), classified("op-search", code)])
        await h["assignment"].publish(path("op-search", code))
        # An answer the head has not published yet: never in the search.
        await h["intake"].publish([received("op-waiting", waiting), classified("op-waiting", waiting)])
        await h["assignment"].publish(path("op-waiting", waiting)[:2])
        await h["assignment"].publish([published_only(n) for n in range(22)])
        # The oldest answer rated a day after the others were published: it stays where its publication is.
        await h["assignment"].publish([rated(published_only(0), T0 + dt.timedelta(days=1))])

        async def ready() -> Any:
            page = await run.http.get("/tra-loi", params={"don-vi": "xa-binh-luc", "linh-vuc": "transport"})
            return page if "Có 22 trả lời đã công bố" in page.text else None

        await eventually(ready)
        await eventually(lambda: _rated(run.portal.store.get("opinions", "op-listing-0")))
        first = await run.http.get("/tra-loi", params={"don-vi": "xa-binh-luc", "linh-vuc": "transport"})
        second = await run.http.get("/tra-loi?don-vi=xa-binh-luc&linh-vuc=transport&trang=2")
        labour = await eventually(
            lambda: _with(run.http.get("/tra-loi", params={"linh-vuc": "labour_jobs"}), code)
        )
        everything = await run.http.get("/tra-loi")
        wrong_field = await run.http.get("/tra-loi?linh-vuc=khong-co")
        wrong_page = await run.http.get("/tra-loi?trang=0")

    assert first.status_code == 200
    assert "trang 1/2" in first.text
    assert first.text.count('class="published-answer"') == 20
    assert 'href="/tra-loi?linh-vuc=transport&amp;don-vi=xa-binh-luc&amp;trang=2"' in first.text
    assert second.text.count('class="published-answer"') == 2
    assert "Đường thôn số 0 được sửa trong quý I." in second.text  # the oldest published last, rated or not
    assert "Đường thôn số 0 được sửa trong quý I." not in first.text
    assert first.text.index("Đường thôn số 21 ") < first.text.index("Đường thôn số 20 ")  # latest first
    assert "Lớp đào tạo nghề mở vào tháng 3/2027 tại nhà văn hóa xã." in labour.text
    assert "Văn bản số 12/PKT ngày 01/12/2026" in labour.text
    assert waiting not in everything.text
    assert "Bản nháp." not in everything.text
    assert_nothing_personal(labour.text)
    assert "Nguyễn V. T." not in labour.text  # not even the masked name
    assert wrong_field.status_code == 400
    assert "unknown_field" in wrong_field.text
    assert wrong_page.status_code == 400


def rated(published: a.AnswerPublished, at: dt.datetime) -> a.AnswerRated:
    values = published.model_dump(include={"correlation_id", "opinion_id", "tracking_code", "field",
                                            "unit_code", "summary", "received_at"})  # fmt: skip
    return a.AnswerRated(**values, event_id=f"{published.event_id}-rated", stars=5, occurred_at=at)


async def _rated(stored: Any) -> bool:
    doc = await stored
    return bool(doc and doc.get("rated"))


async def _with(response: Any, text: str) -> Any:
    page = await response
    return page if text in page.text else None


async def test_a_concluded_conference_shows_its_conclusion_answers_by_field_and_a_download(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code = code_for("conclusion-page")
    async with running_portal(settings_for) as run:
        h = run.hosts
        await h["scheduling"].publish([*conference_events("held"), concluded()])
        await h["intake"].publish([received("op-conclusion", code), classified("op-conclusion", code)])
        await h["assignment"].publish(path("op-conclusion", code))

        async def shown() -> Any:
            page = await run.http.get(f"/hoi-nghi/{CONFERENCE}")
            return page if "Kết luận của hội nghị" in page.text and code in page.text else None

        page = await eventually(shown)
        download = await run.http.get(f"/hoi-nghi/{CONFERENCE}/ket-luan.txt")
        none_yet = await run.http.get("/hoi-nghi/hn-khong-co/ket-luan.txt")

    assert "Giao Phòng Kinh tế mở lớp đào tạo nghề trong quý I/2027." in page.text
    assert "Số 15/TB-UBND ngày 25/11/2026" in page.text
    assert "van-thu" not in page.text  # the secretariat's file path
    assert ".docx" not in page.text
    assert "120 người dự." in page.text
    assert "Tỉ lệ trả lời đúng hạn: <strong>100%</strong>" in page.text
    assert "<h3>Lao động, việc làm</h3>" in page.text
    assert f'href="/hoi-nghi/{CONFERENCE}/ket-luan.txt"' in page.text
    assert_nothing_personal(page.text)
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "KẾT LUẬN (Số 15/TB-UBND ngày 25/11/2026)" in download.text
    assert f"Ý kiến {code}" in download.text
    assert "Lớp đào tạo nghề mở vào tháng 3/2027 tại nhà văn hóa xã." in download.text
    assert_nothing_personal(download.text)
    assert none_yet.status_code == 404
