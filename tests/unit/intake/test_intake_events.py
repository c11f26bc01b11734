from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from services.intake.adapters.rules_file import load_rules
from services.intake.domain import OpinionRejected, classify, event_to_doc, rejection_for
from shared.errors import DomainError
from shared.subjects import Intake

pytestmark = pytest.mark.unit

AT = dt.datetime(2024, 4, 14, 1, 0, tzinfo=dt.UTC)
ERROR = DomainError("unknown_field", "Trường “priority” không có trong mẫu dữ liệu phiên bản 1; bỏ đi.")


def test_a_rejection_keeps_the_reason_the_sentence_and_a_reference_to_the_payload() -> None:
    event = rejection_for(ERROR, source="hotline-1022", external_id="H-9", payload_ref="INTAKE:42", at=AT)
    assert (event.reason, event.message, event.payload_ref) == (ERROR.code, ERROR.message, "INTAKE:42")
    assert event.subject == Intake.OPINION_REJECTED


def test_the_same_payload_refused_twice_gives_the_same_event_id() -> None:
    first = rejection_for(ERROR, source="s", external_id=None, payload_ref="sha256:ab", at=AT)
    again = rejection_for(
        ERROR, source="s", external_id=None, payload_ref="sha256:ab", at=AT + dt.timedelta(1)
    )
    other = rejection_for(ERROR, source="s", external_id=None, payload_ref="sha256:cd", at=AT)
    assert first.event_id == again.event_id != other.event_id


def test_an_event_becomes_a_json_document_with_its_type() -> None:
    event = rejection_for(ERROR, source="s", external_id="x", payload_ref="p", at=AT)
    doc = json.loads(json.dumps(event_to_doc(event)))
    assert doc["type"] == OpinionRejected.__name__
    assert doc["occurred_at"] == "2024-04-14T01:00:00+00:00"


def test_a_province_can_ship_its_own_rules_file(tmp_path: Path) -> None:
    path = tmp_path / "fields.toml"
    path.write_text(
        '[[field]]\ncode = "dykes"\nname = "Đê điều"\nphrases = ["đê điều", "kè sông"]\n', encoding="utf-8"
    )
    rules = load_rules(path)
    assert rules.codes == ("dykes", "unclassified")
    assert classify("Đề nghị gia cố ke song Chau Giang", rules).field == "dykes"
