from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from services.intake.adapters.wire import reading
from shared import refusals
from shared.contracts.intake import SubmitOpinion
from shared.errors import DomainError

pytestmark = pytest.mark.unit

VALID: dict[str, Any] = {
    "external_id": "PA-1",
    "content": "Đề nghị sửa đường liên thôn.",
    "submitter": {"name": "Lan", "phone": "0912345678"},
}


def _reason(payload: Any) -> DomainError:
    with pytest.raises(ValidationError) as caught:
        SubmitOpinion.model_validate(payload)
    return refusals.explain(caught.value.errors(), reading)


def test_the_valid_example_passes_the_wire_contract() -> None:
    assert SubmitOpinion.model_validate(VALID).external_id == "PA-1"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({**VALID, "priority": 1}, "unknown_field"),
        ({k: v for k, v in VALID.items() if k != "content"}, "missing_field"),
        ({**VALID, "content": ["a"]}, "wrong_type"),
        ({**VALID, "submitter": "Lan"}, "wrong_type"),
        ({**VALID, "kind": "complaint"}, "invalid_value"),
        ({**VALID, "received_at": "2024-04-14T08:30:00"}, "invalid_value"),
        ({**VALID, "schema_version": 2}, "unsupported_version"),
        ({**VALID, "content": ""}, "empty_content"),
        ({**VALID, "content": "x" * 10_001}, "content_too_long"),
    ],
)
def test_pydantic_errors_map_to_the_domain_reason_codes(payload: dict[str, Any], code: str) -> None:
    error = _reason(payload)
    assert error.code == code
    assert error.message.endswith(".")


def test_the_path_of_a_nested_problem_is_named_in_the_sentence() -> None:
    error = _reason({**VALID, "submitter": {"name": "Lan", "cccd": "035090001234"}})
    assert error.code == "unknown_field"
    assert "submitter.cccd" in error.message


def test_an_empty_error_list_still_yields_a_refusal() -> None:
    assert refusals.explain([], reading).code == "wrong_type"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"\xff\xfe{}", "invalid_utf8"),
        (b'{"content": ', "invalid_json"),
        (b"{" + b" " * 70_000 + b"}", "payload_too_large"),
    ],
)
def test_undecodable_bytes_are_refused_with_one_reason(raw: bytes, code: str) -> None:
    with pytest.raises(DomainError) as caught:
        refusals.decode_json(raw)
    assert caught.value.code == code


def test_decoding_gives_back_the_json_value() -> None:
    assert refusals.decode_json(json.dumps(VALID, ensure_ascii=False).encode()) == VALID
