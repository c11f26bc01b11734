from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from services.notification.adapters.template_catalog import TemplateCatalog, template_names
from services.notification.adapters.template_filters import vn_date, vn_datetime
from services.notification.adapters.template_samples import SAMPLES
from services.notification.domain.errors import TemplateCatalogError, TemplateRenderError
from services.notification.domain.triggers import Channel, Trigger

pytestmark = pytest.mark.unit

ANNOUNCED = SAMPLES[Trigger.CONFERENCE_ANNOUNCED]


@pytest.fixture(scope="module")
def catalog() -> TemplateCatalog:
    return TemplateCatalog()


def test_shipped_templates_pass_start_up_validation(catalog: TemplateCatalog) -> None:
    catalog.validate()


@pytest.mark.parametrize("channel", list(Channel))
@pytest.mark.parametrize("trigger", list(Trigger))
def test_every_shipped_template_renders_its_sample(
    catalog: TemplateCatalog, trigger: Trigger, channel: Channel
) -> None:
    rendered = catalog.render(trigger, channel, SAMPLES[trigger])
    assert rendered.text.strip()
    assert "{{" not in rendered.text
    assert unicodedata.is_normalized("NFC", rendered.text)
    if channel is Channel.EMAIL:
        assert rendered.subject
        assert "\n" not in rendered.subject
        assert rendered.html is not None
        assert rendered.html.startswith("<!DOCTYPE html>")
    if channel is Channel.SMS:
        assert "\n" not in rendered.text


def test_announcement_email_reads_as_the_administrative_notice(catalog: TemplateCatalog) -> None:
    rendered = catalog.render(Trigger.CONFERENCE_ANNOUNCED, Channel.EMAIL, ANNOUNCED)
    assert rendered.subject == "Thông báo tổ chức hội nghị đối thoại tại xã Đồng Du"
    # 01:00 UTC is 08:00 in Asia/Ho_Chi_Minh.
    assert "08 giờ 00 ngày 05/12/2026" in rendered.text
    assert "08 giờ 00 ngày 05/12/2026" in (rendered.html or "")


def test_assignment_mentions_tracking_code_and_deadline(catalog: TemplateCatalog) -> None:
    rendered = catalog.render(Trigger.OPINION_ASSIGNED, Channel.EMAIL, SAMPLES[Trigger.OPINION_ASSIGNED])
    assert "DD-2026-0016" in (rendered.subject or "")
    assert "ngày 18/12/2026" in rendered.text


def test_html_escapes_a_script_in_a_citizens_name_but_text_keeps_it_literal(catalog: TemplateCatalog) -> None:
    context = {**SAMPLES[Trigger.ANSWER_PUBLISHED], "recipient_name": "<script>alert('x')</script> Bình"}
    rendered = catalog.render(Trigger.ANSWER_PUBLISHED, Channel.EMAIL, context)
    assert "<script>" not in (rendered.html or "")
    assert "&lt;script&gt;" in (rendered.html or "")
    assert "<script>alert('x')</script> Bình" in rendered.text


def test_subject_cannot_carry_a_header_injection(catalog: TemplateCatalog) -> None:
    context = {**ANNOUNCED, "unit_name": "xã Đồng Du\nBcc: victim@example.org"}
    rendered = catalog.render(Trigger.CONFERENCE_ANNOUNCED, Channel.EMAIL, context)
    assert "\n" not in (rendered.subject or "")


def test_missing_variable_at_send_time_is_a_permanent_template_failure(catalog: TemplateCatalog) -> None:
    context = {k: v for k, v in ANNOUNCED.items() if k != "conference"}
    with pytest.raises(TemplateRenderError) as failed:
        catalog.render(Trigger.CONFERENCE_ANNOUNCED, Channel.SMS, context)
    assert failed.value.code == "template_variable_missing"
    assert "sms/conference_announced.txt.j2" in failed.value.message


def test_webhook_payload_is_built_in_code_as_plain_json(catalog: TemplateCatalog) -> None:
    rendered = catalog.render(Trigger.OPINION_OVERDUE, Channel.WEBHOOK, SAMPLES[Trigger.OPINION_OVERDUE])
    assert rendered.payload is not None
    payload = json.loads(json.dumps(rendered.payload))
    assert payload["trigger"] == "opinion_overdue"
    assert payload["data"]["opinion"]["tracking_code"] == "DD-2026-0016"


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_an_override_takes_precedence_over_the_shipped_template(tmp_path: Path) -> None:
    write(tmp_path, "sms/conference_announced.txt.j2", "Kính mời dự hội nghị tại {{ unit_name }}.")
    catalog = TemplateCatalog(override_dir=tmp_path)
    catalog.validate()
    rendered = catalog.render(Trigger.CONFERENCE_ANNOUNCED, Channel.SMS, ANNOUNCED)
    assert rendered.text == "Kính mời dự hội nghị tại xã Đồng Du."


def test_validation_lists_every_broken_override_by_name(tmp_path: Path) -> None:
    write(tmp_path, "sms/opinion_assigned.txt.j2", "Hạn {{ opinion.deadline|vn_date ")
    write(tmp_path, "log/answer_published.txt.j2", "Trả lời: {{ answer.khong_co }}")
    write(tmp_path, "email/opinion_asigned.subject.j2", "Lỗi chính tả trong tên tệp")
    with pytest.raises(TemplateCatalogError) as broken:
        TemplateCatalog(override_dir=tmp_path).validate()
    message = broken.value.message
    assert broken.value.code == "template_invalid"
    assert "sms/opinion_assigned.txt.j2" in message
    assert "log/answer_published.txt.j2" in message
    assert "email/opinion_asigned.subject.j2" in message
    assert len(broken.value.problems) == 3


def test_sandbox_refuses_access_to_python_internals(tmp_path: Path) -> None:
    write(tmp_path, "log/opinion_assigned.txt.j2", "{{ unit_name.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(TemplateRenderError) as refused:
        TemplateCatalog(override_dir=tmp_path).render(
            Trigger.OPINION_ASSIGNED, Channel.LOG, SAMPLES[Trigger.OPINION_ASSIGNED]
        )
    assert refused.value.code == "template_error"
    assert "unsafe" in refused.value.message


def test_template_names_follow_the_channel_trigger_layout() -> None:
    assert template_names(Trigger.SATISFACTION_SURVEY, Channel.EMAIL) == {
        "subject": "email/satisfaction_survey.subject.j2",
        "txt": "email/satisfaction_survey.txt.j2",
        "html": "email/satisfaction_survey.html.j2",
    }


def test_dates_are_shown_in_vietnam_time() -> None:
    assert vn_datetime("2026-12-04T17:30:00+00:00") == "00 giờ 30 ngày 05/12/2026"
    assert vn_date("2026-12-18") == "18/12/2026"
    assert vn_date("2026-12-17T18:00:00+00:00") == "18/12/2026"


def test_a_naive_instant_is_refused_rather_than_shown_seven_hours_off() -> None:
    with pytest.raises(ValueError, match="aware"):
        vn_datetime("2026-12-05T08:00:00")


@pytest.mark.parametrize(
    ("trigger", "agency_key"),
    [
        (Trigger.OPINION_ASSIGNED, "agency_name"),
        (Trigger.OPINION_WITHDRAWN, "previous_agency_name"),
        (Trigger.ANSWER_RETURNED, "agency_name"),
    ],
)
def test_a_log_notice_to_the_agency_itself_names_it_once(
    catalog: TemplateCatalog, trigger: Trigger, agency_key: str
) -> None:
    agency = SAMPLES[trigger][agency_key]
    to_itself = catalog.render(trigger, Channel.LOG, {**SAMPLES[trigger], "recipient_name": agency})
    assert to_itself.text.count(agency) == 1, to_itself.text
    to_its_clerk = catalog.render(
        trigger, Channel.LOG, {**SAMPLES[trigger], "recipient_name": f"Văn thư {agency}"}
    )
    assert f"(Văn thư {agency})" in to_its_clerk.text
