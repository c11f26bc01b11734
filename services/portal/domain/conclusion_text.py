"""A held conference's conclusion and published answers as a plain-text file a citizen can download.

The signed conclusion notice itself is the secretariat's document (DOCX, rendered by the operator's
CLI); the portal offers what it publishes of it, with the answers by field, in one UTF-8 file that
opens on any phone. Nothing personal: the same texts as the public page.
"""

from __future__ import annotations

from services.portal.domain.conference import ConferenceView


def conclusion_text(view: ConferenceView) -> str:
    lines = [view.title.upper(), "", f"Đơn vị tổ chức: {view.unit}", f"Thời gian: {view.when} (giờ Việt Nam)"]
    if view.venue:
        lines.append(f"Địa điểm: {view.venue}")
    if view.chairs:
        lines.append("Chủ trì: " + "; ".join(view.chairs))
    if view.conclusion is not None:
        c = view.conclusion
        issued = f" ngày {c.issued_on}" if c.issued_on else ""
        lines += ["", f"KẾT LUẬN ({c.document}{issued})", c.summary]
        if c.document_url:
            lines.append(f"Văn bản: {c.document_url}")
    lines += ["", f"KẾT QUẢ TRẢ LỜI: {view.opinions} ý kiến đã ghi nhận"]
    if view.on_time_rate:
        lines.append(f"Tỉ lệ trả lời đúng hạn: {view.on_time_rate}")
    for field, rows in view.answers_by_field.items():
        lines += ["", field.upper()]
        for number, row in enumerate(rows, 1):
            late = " (trả lời quá hạn)" if row.on_time is False else ""
            lines += [
                f"{number}. Ý kiến {row.code}: {row.opinion}",
                f"   Trả lời: {row.answer}",
                f"   {row.document}{late}",
            ]
    return "\n".join(lines) + "\n"
