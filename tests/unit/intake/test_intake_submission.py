from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.adapters.wire import read_submission
from services.intake.domain import Channel, OpinionKind, SubmitOpinion, refusals
from shared.errors import DomainError, NotFound

pytestmark = pytest.mark.unit

SOURCES = {"cong-thong-tin", "hotline-1022"}
CONFERENCES = {"dong-du-2023"}
KNOWN_CODES = {
    "wrong_type", "unknown_field", "missing_field", "invalid_value", "unsupported_version", "empty_content",
    "content_too_long", "invalid_contact", "unknown_conference", "unknown_source",
}  # fmt: skip

VALID: dict[str, Any] = {
    "external_id": "PA-2024-0001",
    "kind": "recommendation",
    "content": "Đề nghị sửa chữa nhà văn hóa thôn An Bài 1 sau sáp nhập.",
    "submitter": {
        "name": "Nguyễn Văn Được",
        "role": "citizen",
        "residence": "thôn An Bài 1, xã Đồng Du",
        "phone": "0912 345 678",
        "email": "duoc@example.vn",
        "consent_to_contact": True,
    },
    "conference_id": "dong-du-2023",
    "attachments": ["https://example.vn/anh-nha-van-hoa.jpg"],
    "received_at": "2023-12-15T08:30:00+07:00",
}


def _validate(payload: Any, source: str = "cong-thong-tin") -> SubmitOpinion:
    """The submission as it arrives (JSON bytes), read once, then its conference looked up."""
    command = read_submission(json.dumps(payload).encode(), source, SOURCES)
    if command.conference_id is not None and command.conference_id not in CONFERENCES:
        raise refusals.unknown_conference(command.conference_id)  # as the handler does with its snapshots
    return command


def _with(path: str, value: Any, base: dict[str, Any] = VALID) -> dict[str, Any]:
    payload = copy.deepcopy(base)
    *parents, last = path.split(".")
    target = payload
    for key in parents:
        target = target[key]
    if value is _DROP:
        del target[last]
    else:
        target[last] = value
    return payload


_DROP = object()


def test_a_valid_submission_becomes_a_command() -> None:
    command = _validate(VALID)
    assert command.kind is OpinionKind.RECOMMENDATION
    assert command.channel is Channel.EXTERNAL_SYSTEM
    assert command.submitter.phone == "0912345678"
    assert command.received_at == dt.datetime(2023, 12, 15, 1, 30, tzinfo=dt.UTC)
    assert command.attachments == ("https://example.vn/anh-nha-van-hoa.jpg",)


def test_the_same_submission_sent_twice_names_the_same_opinion() -> None:
    assert _validate(VALID).opinion_id == _validate(json.loads(json.dumps(VALID))).opinion_id


def test_only_external_id_content_and_submitter_name_are_required() -> None:
    command = _validate({"external_id": "x", "content": "Nội dung.", "submitter": {"name": "Lan"}})
    assert (command.kind, command.submitter.residence, command.conference_id) == (
        OpinionKind.OPINION,
        "",
        None,
    )


def test_the_message_envelope_of_the_wire_contract_is_accepted() -> None:
    payload = {**VALID, "event_id": "e-1", "occurred_at": "2024-01-01T00:00:00Z", "schema_version": 1}
    assert _validate(payload).external_id == "PA-2024-0001"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ([VALID], "wrong_type"),
        ("text", "wrong_type"),
        (_with("priority", "high"), "unknown_field"),
        (_with("submitter.cccd", "035090001234"), "unknown_field"),
        (_with("content", _DROP), "missing_field"),
        (_with("submitter.name", None), "missing_field"),
        (_with("external_id", "  "), "missing_field"),
        (_with("content", 42), "wrong_type"),
        (_with("submitter", "Nguyễn Văn Được"), "wrong_type"),
        (_with("submitter.consent_to_contact", "yes"), "wrong_type"),
        (_with("attachments", "a.jpg"), "wrong_type"),
        (_with("kind", "complaint"), "invalid_value"),
        (_with("channel", "fax"), "invalid_value"),
        (_with("received_at", "15/12/2023"), "invalid_value"),
        (_with("received_at", "2023-12-15T08:30:00"), "invalid_value"),
        (_with("schema_version", 2), "unsupported_version"),
        (_with("content", " \t\n"), "empty_content"),
        (_with("content", "ý" * 10_001), "content_too_long"),
        (_with("submitter.phone", "12345"), "invalid_contact"),
        (_with("submitter.email", "duoc@"), "invalid_contact"),
        (_with("conference_id", "khong-co"), "unknown_conference"),
    ],
)
def test_each_bad_submission_is_refused_with_one_reason(payload: Any, code: str) -> None:
    with pytest.raises(DomainError) as caught:
        _validate(payload)
    assert caught.value.code == code
    assert caught.value.message.count(";") == 1
    assert caught.value.message.endswith(".")


def test_an_unregistered_source_is_refused_before_anything_else() -> None:
    with pytest.raises(NotFound) as caught:
        _validate("not even an object", source="ung-dung-la")
    assert caught.value.code == "unknown_source"


def test_a_refusal_never_repeats_the_phone_number_it_refused() -> None:
    with pytest.raises(DomainError) as caught:
        _validate(_with("conference_id", "goi 0912345678"))
    assert "0912345678" not in caught.value.message


def test_content_up_to_the_limit_is_accepted() -> None:
    assert len(_validate(_with("content", "ý" * 10_000)).content) == 10_000


def _outcome(payload: Any) -> str:
    """ "accepted" or the reason code: anything else escaping would stop the consumer."""
    try:
        _validate(payload)
    except DomainError as error:
        return error.code
    return "accepted"


# Text without lone surrogates: a submission arrives as UTF-8 bytes, which cannot carry one.
_chars = st.characters(exclude_categories=("Cs",))
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(_chars, max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(_chars, max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
_keys = st.sampled_from([*VALID, "submitter.name", "submitter.role", "submitter.phone", "extra"])


@given(_json)
def test_any_json_value_is_accepted_or_refused_with_a_known_code(payload: Any) -> None:
    assert _outcome(payload) in {"accepted", *KNOWN_CODES}


@given(st.lists(st.tuples(_keys, _json), max_size=4))
def test_any_corruption_of_a_valid_submission_is_accepted_or_refused_with_a_known_code(
    changes: list[tuple[str, Any]],
) -> None:
    payload = VALID
    for path, value in changes:
        if "." not in path or isinstance(payload.get("submitter"), dict):
            payload = _with(path, value, payload)
    assert _outcome(payload) in {"accepted", *KNOWN_CODES}
