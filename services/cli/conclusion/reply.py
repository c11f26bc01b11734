"""Turn the services' replies into what the renderers take.

Three replies make a notice: assignment's ``conclusion`` (one row per opinion: outcome, agency,
deadline, direct answer, transfer), scheduling's ``show`` (the conference's state, the day it was
held, the head's conclusion summary) and intake's ``list`` for the conference (who raised each
opinion and the topic it joined). The two last are optional here so a caller with only the first
still gets a notice; the CLI always asks for all three.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from services.cli.conclusion.notice import (
    ConclusionItem,
    ConferenceInfo,
    Outcome,
    Person,
    Style,
    issuer_for,
    place_of,
    recipients_for,
)
from shared.errors import DomainError
from shared.timeutil import VN_TZ

__all__ = ["check_held", "info_of", "items_of", "place_of"]

# A conclusion is drawn once the conference has taken place.
HELD_STATES = ("held", "concluded", "closed")
_STATE_WORDS = {
    "planned": "mới lập kế hoạch",
    "announced": "đã công bố nhưng chưa tổ chức",
    "postponed": "đang tạm hoãn",
    "cancelled": "đã bị hủy",
}


def check_held(conference_id: str, shown: Mapping[str, Any] | None) -> None:
    """Refuse a notice for a conference that has not been held (scheduling's ``show`` reply)."""
    state = str((shown or {}).get("state") or "")
    if state in HELD_STATES:
        return
    if not state:
        raise DomainError(
            "conference_state_unknown",
            f"Không rõ hội nghị {conference_id} đã được tổ chức hay chưa; chưa thể lập thông báo kết luận.",
        )
    words = _STATE_WORDS.get(state, f"đang ở trạng thái {state}")
    raise DomainError(
        "conference_not_held",
        f"Hội nghị {conference_id} {words}; chỉ lập thông báo kết luận sau khi hội nghị đã được tổ chức.",
    )


def _item(row: Mapping[str, Any], opinion: Mapping[str, Any]) -> ConclusionItem:
    # Only the keys the notice uses: a reply that grows a key must not break the CLI.
    return ConclusionItem(
        tracking_code=row["tracking_code"],
        summary=row["summary"],
        submitter=row.get("submitter") or opinion.get("submitter_name") or "",
        field=row["field"],
        outcome=Outcome(row["outcome"]),
        direct_answer=row.get("direct_answer") or "",
        agency_name=row.get("agency_name") or "",
        deadline=dt.date.fromisoformat(row["deadline"]) if row.get("deadline") else None,
        transfer_body=row.get("transfer_body") or "",
        topic=row.get("topic_group_id") or opinion.get("topic_group_id") or "",
    )


def items_of(data: Mapping[str, Any], opinions: Sequence[Mapping[str, Any]] = ()) -> list[ConclusionItem]:
    """One notice line per opinion of the reply, in tracking-code order (a topic's lines merge later).

    ``opinions`` (intake's ``list`` rows) give each opinion's submitter and topic by tracking code.
    """
    by_code = {str(o.get("tracking_code")): o for o in opinions}
    rows = sorted(data["items"], key=lambda r: str(r["tracking_code"]))
    return [_item(row, by_code.get(str(row["tracking_code"]), {})) for row in rows]


def _vn_date(value: str | None) -> dt.date | None:
    return dt.datetime.fromisoformat(value).astimezone(VN_TZ).date() if value else None


def info_of(
    data: Mapping[str, Any],
    number: str | None,
    issued_on: dt.date | None,
    issuing_body: str | None = None,
    *,
    shown: Mapping[str, Any] | None = None,
    items: Iterable[ConclusionItem] = (),
    chair: int = 0,
    office_chief: str = "",
    recipients: Sequence[str] = (),
) -> ConferenceInfo:
    """The notice's header data, in the format of the body the conclusing chair heads.

    ``shown`` is scheduling's ``show`` reply (held day, conclusion summary and date); ``chair`` picks
    the conference's chair who concludes (the first by default); ``number`` None leaves the number
    blank in the issuing body's style; ``issued_on`` None dates the notice the day the conference
    was concluded, else today but no later than the conclusion's due date: a back-recorded
    conference's notice carries a date of its own time, not the day it is typed in.
    """
    conf = {**(shown or {}), **{k: v for k, v in data["conference"].items() if v not in (None, "", [])}}
    unit_name = conf.get("unit_name") or conf.get("unit_code") or ""
    chairs = tuple(Person(c["name"], c["title"]) for c in conf.get("chairs") or [])
    if chairs and not 0 <= chair < len(chairs):
        raise DomainError(
            "unknown_chair",
            f"Hội nghị có {len(chairs)} người chủ trì; hãy chọn người kết luận từ 1 đến {len(chairs)}.",
        )
    first = chairs[chair] if chairs else Person("", "Chủ tịch")
    issuer = issuer_for(unit_name, str(conf.get("level") or ""), first, office_chief)
    # The day it was held in Vietnam, whatever offset the reply writes the start with.
    held = _vn_date(conf.get("held_at")) or _vn_date(conf.get("starts_at"))
    concluded = _vn_date(conf.get("concluded_at"))
    issued = issued_on or concluded or _not_after(dt.date.today(), conf.get("conclusion_due"))
    record = conf.get("record") or {}
    listed = list(items)
    return ConferenceInfo(
        title=(conf.get("title") or f"hội nghị {conf['conference_id']}"),
        unit_name=unit_name,
        level=conf.get("level") or "",
        held_on=held or issued,
        chairs=chairs,
        issuing_body=issuing_body or issuer.body,
        document_number=number or issuer.blank_number(),
        place=place_of(unit_name),
        issued_on=issued,
        signer=issuer.signer,
        concluded_by=f"đồng chí {first.title}" if first.name else "Chủ tịch",
        venue=conf.get("venue") or "",
        recipients=recipients_for(listed, recipients) if listed or recipients else ("Như trên", "Lưu: VT"),
        style=issuer.style if not issuing_body else _style_of(issuing_body, issuer.style),
        summary=str(conf.get("conclusion_summary") or record.get("conclusion_summary") or ""),
    )


def _not_after(day: dt.date, due: str | None) -> dt.date:
    return min(day, dt.date.fromisoformat(due)) if due else day


def _style_of(issuing_body: str, default: Style) -> Style:
    """An issuing body the operator names: a Party committee by its name, else the chair's style."""
    name = issuing_body.lower()
    if any(word in name for word in ("tỉnh ủy", "thành ủy", "huyện ủy", "quận ủy", "đảng ủy")):
        return Style.PARTY
    if "ủy ban nhân dân" in name or "ubnd" in name:
        return Style.STATE
    return default
