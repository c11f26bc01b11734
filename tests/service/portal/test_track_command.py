"""``dialogue opinion track`` as a subprocess: the running portal answers from its tracking page's read."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from shared.settings import ServiceSettings
from tests.service.portal.support import (
    AGENCY,
    classified,
    code_for,
    conference_events,
    eventually,
    path,
    received,
    running_portal,
)
from tests.service.portal.test_portal_cli import dialogue
from tests.service.portal.test_tracking_page import assert_nothing_personal

pytestmark = [pytest.mark.service, pytest.mark.timeout(180)]


async def test_opinion_track_prints_what_the_tracking_page_shows_in_vietnamese(
    settings_for: Callable[[str], ServiceSettings],
) -> None:
    url = settings_for("operator").nats_url
    code = code_for("cli-track")
    async with running_portal(settings_for) as run:
        h = run.hosts
        await h["scheduling"].publish(conference_events("held"))
        await h["intake"].publish([received("op-cli-track", code), classified("op-cli-track", code)])
        await h["assignment"].publish(path("op-cli-track", code))

        async def page() -> str | None:
            shown = await run.http.get(f"/tra-cuu/{code}")
            whole = all(
                f'class="step {s}"' in shown.text for s in ("assigned", "answered", "returned", "published")
            )
            return shown.text if whole else None  # every step of the path has reached the read model

        html = await eventually(page)
        status, out = await dialogue(url, "opinion", "track", code.lower())
        unknown_status, unknown = await dialogue(url, "opinion", "track", code_for("cli-track-none"))
        bad_status, bad = await dialogue(url, "opinion", "track", "DT-1234")

    assert status == 0, out
    assert f"{code} — Kiến nghị: Đã có kết quả" in out
    assert "Người gửi: Nguyễn V. T." in out
    assert "Lĩnh vực: Lao động, việc làm" in out
    assert f"Cơ quan trả lời: {AGENCY}" in out
    assert "Nêu tại: Hội nghị đối thoại xã Đồng Du" in out
    for sentence in (
        f"Giao {AGENCY} trả lời, hạn trả lời 18/12/2026.",
        f"Lãnh đạo yêu cầu {AGENCY} trả lời lại cho đầy đủ.",
        "Đã công bố văn bản trả lời số 12/PKT ngày 01/12/2026.",
    ):
        assert sentence in out  # the page's own sentences
        assert sentence in html
    assert "09:00 ngày 20/11/2026" in out  # Vietnam time, as on the page
    assert (
        "Nội dung trả lời đã công bố (văn bản số 12/PKT ngày 01/12/2026): "
        "Lớp đào tạo nghề mở vào tháng 3/2027 tại nhà văn hóa xã." in out
    )
    assert "published" not in out  # step codes are for scripts
    assert_nothing_personal(out)
    assert "[đã ẩn]" in out  # the contacts hidden in the text are said to be, not printed as markup
    assert unknown_status == 1
    assert "Không tìm thấy ý kiến có mã" in unknown
    assert bad_status == 1
    assert "Mã theo dõi “DT-1234” không hợp lệ" in bad
