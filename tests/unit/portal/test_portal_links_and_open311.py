"""Signed rating links, the Open311 mapping and the API keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from services.portal.domain import open311
from services.portal.domain.open311 import Open311Error
from services.portal.settings import PortalSettings, source_for
from shared import rating_links
from shared.rating_links import LinkCheck

pytestmark = pytest.mark.unit
SECRET = b"unit-test-secret-0123456789"
NOW = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
CODE = "DT-7K3M-9QX2"


def params(url: str) -> dict[str, str]:
    query = url.split("?", 1)[1]
    return dict(part.split("=", 1) for part in query.split("&"))


def test_a_signed_link_is_valid_until_it_expires() -> None:
    url = rating_links.rating_url("https://doithoai.example/", CODE, NOW + dt.timedelta(days=1), SECRET)
    assert url.startswith(f"https://doithoai.example/danh-gia/{CODE}?het=")
    p = params(url)
    assert rating_links.verify(CODE, p["het"], p["ky"], SECRET, NOW) is LinkCheck.VALID
    later = NOW + dt.timedelta(days=2)
    assert rating_links.verify(CODE, p["het"], p["ky"], SECRET, later) is LinkCheck.EXPIRED


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: {**p, "ky": "0" * 64},
        lambda p: {**p, "het": str(int(p["het"]) + 86400)},
        lambda p: {**p, "ky": ""},
        lambda p: {"het": "abc", "ky": p["ky"]},
    ],
)
def test_a_forged_or_altered_link_is_refused(tamper: object) -> None:
    p = params(rating_links.rating_url("https://x", CODE, NOW + dt.timedelta(days=1), SECRET))
    changed = tamper(p)  # type: ignore[operator]
    assert rating_links.verify(CODE, changed.get("het"), changed.get("ky"), SECRET, NOW) is LinkCheck.FORGED


def test_a_link_for_another_code_or_signed_with_another_secret_is_refused() -> None:
    p = params(rating_links.rating_url("https://x", CODE, NOW + dt.timedelta(days=1), SECRET))
    assert rating_links.verify("DT-0000-0000", p["het"], p["ky"], SECRET, NOW) is LinkCheck.FORGED
    assert rating_links.verify(CODE, p["het"], p["ky"], b"another-secret-entirely", NOW) is LinkCheck.FORGED


def test_the_secret_comes_from_its_file_before_the_variable_and_must_be_long_enough(tmp_path: Path) -> None:
    file = tmp_path / "secret"
    file.write_text("from-the-file-0123456789\n")
    env = {rating_links.SECRET_FILE_ENV: str(file), rating_links.SECRET_ENV: "from-the-variable-0123"}
    assert rating_links.secret_from_env(env) == b"from-the-file-0123456789"
    assert (
        rating_links.secret_from_env({rating_links.SECRET_ENV: "from-the-variable-0123"})
        == b"from-the-variable-0123"
    )
    with pytest.raises(rating_links.MissingSecret):
        rating_links.secret_from_env({rating_links.SECRET_ENV: "short"})
    with pytest.raises(rating_links.MissingSecret):
        rating_links.secret_from_env({})


def test_a_secret_file_that_cannot_be_read_is_named_with_its_reason(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-secret"
    with pytest.raises(rating_links.UnreadableSecret) as caught:
        rating_links.secret_from_env({rating_links.SECRET_FILE_ENV: str(missing)})
    assert str(missing) in str(caught.value)
    assert "No such file or directory" in str(caught.value)


def test_api_keys_come_from_the_setting_and_its_file(tmp_path: Path) -> None:
    file = tmp_path / "keys"
    file.write_text("# source=key\nhotline=key-hotline-2\n")
    settings = PortalSettings(portal_open311_keys="ung-dung=key-app-1", portal_open311_keys_file=file)
    keys = settings.open311_keys()
    assert keys == {"key-app-1": "ung-dung", "key-hotline-2": "hotline"}
    assert source_for(keys, "key-hotline-2") == "hotline"
    assert source_for(keys, "key-hotline-") is None
    assert source_for(keys, "") is None


def test_a_posted_request_becomes_intakes_submission_with_a_stable_id() -> None:
    form = {"api_key": "k", "service_code": "land", "description": "Đề nghị cấp sổ đỏ.", "first_name": "An",
            "last_name": "Trần Văn", "phone": "0912345678", "address_string": "xã Đồng Du"}  # fmt: skip
    first = open311.submission(form, {"land"})
    again = open311.submission({**form, "api_key": "another"}, {"land"})
    assert first.external_id == again.external_id
    assert first.content == "Đề nghị cấp sổ đỏ."
    assert first.submitter.name == "Trần Văn An"
    assert first.submitter.consent_to_contact is True
    with pytest.raises(Open311Error) as unknown:
        open311.submission({**form, "service_code": "potholes"}, {"land"})
    assert unknown.value.body() == [{"code": 404, "description": unknown.value.message}]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"status": "pending"}, "invalid_status"),
        ({"start_date": "yesterday"}, "invalid_date"),
        ({"start_date": "2026-11-20T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"}, "invalid_window"),
        ({"service_request_id": ",".join(["DT-7K3M-9QX2"] * 51)}, "too_many_ids"),
    ],
)
def test_a_wrong_query_is_the_specifications_error(query: dict[str, str], code: str) -> None:
    with pytest.raises(Open311Error) as refused:
        open311.parse_query(query, NOW)
    assert refused.value.code == code
    assert refused.value.status == 400


def test_a_request_names_its_fields_as_the_specification_does_and_hides_contacts() -> None:
    doc = {
        "tracking_code": CODE, "status": "open", "agency_name": "Sở Xây dựng", "deadline": "2026-12-18",
        "requested_at": "2026-11-20T01:00:00+00:00", "updated_at": "2026-11-21T01:00:00+00:00",
        "facts": {"field": "land", "content": "Gọi 0912345678.", "residence": "xã Đồng Du"}, "steps": [],
    }  # fmt: skip
    view = open311.request_view(doc)
    assert view["service_request_id"] == CODE
    assert view["service_name"] == "Đất đai"
    assert view["expected_datetime"] == "2026-12-18T23:59:59+07:00"
    assert view["requested_datetime"] == "2026-11-20T08:00:00+07:00"
    assert view["status_notes"] == "Đang được Sở Xây dựng xử lý."
    assert "0912345678" not in view["description"]


def test_without_ids_or_dates_the_window_is_the_most_recent_ninety_days() -> None:
    query = open311.parse_query({}, NOW)
    assert query.start == NOW - dt.timedelta(days=90)
    assert query.end is None
    by_ids = open311.parse_query({"service_request_id": CODE}, NOW)
    assert by_ids.start is None
    assert by_ids.ids == (CODE,)
