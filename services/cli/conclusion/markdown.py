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
    lines += [
        f"**{info.issuing_body.upper()}**  ",
        c.number_line(info.document_number),
        "",
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**  ",
        "**Độc lập - Tự do - Hạnh phúc**",
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
    number = 0
    for index, (title, section) in enumerate(c.grouped(items), start=1):
        lines += [f"## {index}. {title}", ""]
        lines += ["| STT | Mã theo dõi | Lĩnh vực | Người nêu | Nội dung ý kiến | Hướng giải quyết |"]
        lines += ["|---:|---|---|---|---|---|"]
        for item in section:
            number += 1
            cells = (
                item.tracking_code,
                c.field_name(item),
                item.submitter,
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
    lines += [f"- {recipient};" for recipient in info.recipients]
    return "\n".join(lines) + "\n"
