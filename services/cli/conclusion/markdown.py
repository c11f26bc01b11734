"""Render the conclusion notice as Markdown: the same content as the DOCX, for the web and e-mail."""

from __future__ import annotations

from collections.abc import Sequence

from services.cli.conclusion import notice as c


def _cell(text: str) -> str:
    # A pipe or a line break inside a cell would split the table row.
    return " ".join(text.replace("|", "\\|").split())


def render_markdown(info: c.ConferenceInfo, items: Sequence[c.ConclusionItem]) -> str:
    """The notice as a Markdown document (ends with a newline)."""
    lines: list[str] = []
    if info.parent_body:
        lines.append(f"{info.parent_body.upper()}  ")
    lines.append(f"**{info.issuing_body.upper()}**  ")
    if info.style is c.Style.PARTY:
        lines += ["\\*  ", c.number_line(info.document_number, info.style), "", f"**{c.PARTY_MOTTO}**"]
    else:
        motto, motto_2 = c.STATE_MOTTO
        lines += [c.number_line(info.document_number, info.style), "", f"**{motto}**  ", f"**{motto_2}**"]
    lines += [
        "",
        f"*{c.date_line(info.place, info.issued_on)}*",
        "",
        "# THÔNG BÁO",
        "",
        f"**{c.subtitle(info)}**",
        "",
        c.introduction(info),
        "",
    ]
    if summary := c.summary_paragraph(info):
        lines += [summary, ""]
    number = 0
    for index, (title, section) in enumerate(c.grouped(items), start=1):
        lines += [f"## {index}. {title}", ""]
        lines += ["| STT | Mã theo dõi | Lĩnh vực | Người nêu | Nội dung ý kiến | Hướng giải quyết |"]
        lines += ["|---:|---|---|---|---|---|"]
        for item in section:
            number += 1
            cells = (
                c.codes_text(item),
                c.field_name(item),
                item.submitters,
                item.summary,
                c.disposition(item),
            )
            lines.append(f"| {number} | " + " | ".join(_cell(x) for x in cells) + " |")
        lines.append("")
    lines += [c.CLOSING, ""]
    signer = [info.signer.on_behalf.upper()] if info.signer.on_behalf else []
    signer += info.signer.position.upper().splitlines()
    lines += [f"**{line}**  " for line in signer]
    lines += ["", f"**{info.signer.name}**", "", "***Nơi nhận:***", ""]
    last = len(info.recipients)
    lines += [f"- {r}{'.' if i == last else ';'}" for i, r in enumerate(info.recipients, start=1)]
    return "\n".join(lines) + "\n"
