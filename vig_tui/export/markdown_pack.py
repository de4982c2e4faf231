"""The meeting pack as Markdown that reads just as well as plain text.

Every piece of request text is escaped, so a name or a line of evidence can
never become a heading, a link or raw HTML when the file is pasted into
something that renders Markdown (Teams, a wiki, a Markdown-to-HTML tool).
"""

from __future__ import annotations

import re

from .content import (
    REDACTION_NOTICE,
    Item,
    Part,
    cover_lines,
    entry_heading,
    entry_parts,
    order_line,
    title,
)
from .document import MARKING
from .pack import MeetingPack

BLANK_LINE = "_" * 30

_INLINE = re.compile(r"([\\`*_<>\[\]|])")
#: Line starts that Markdown reads as structure: headings, quotes, lists, rules.
_LINE_START = re.compile(r"^([#>+=~-]|\d+[.)])")


def escape(text: str) -> str:
    """Plain text made literal for Markdown, one line."""
    return _INLINE.sub(r"\\\1", " ".join(text.split()))


def escape_block(text: str) -> list[str]:
    """Free text made literal for Markdown, keeping its lines and paragraphs."""
    lines = []
    for raw in text.strip().splitlines():
        line = _INLINE.sub(r"\\\1", raw.strip())
        lines.append(_LINE_START.sub(r"\\\1", line))
    return lines


def render_markdown(pack: MeetingPack) -> str:
    out = [f"**{MARKING}**", "", f"# {escape(title(pack))}", ""]
    for line in cover_lines(pack):
        out += [escape(line), ""]
    if pack.redacted:
        out += [f"**{escape(REDACTION_NOTICE)}**", ""]
    out += ["## Suggested order", ""]
    if not pack.entries:
        out += ["No requests for this meeting.", ""]
    for number, entry in enumerate(pack.entries, start=1):
        out.append(f"{number}. {escape(order_line(entry))}")
    for number, entry in enumerate(pack.entries, start=1):
        out += ["", "---", "", f"## {escape(entry_heading(number, entry))}"]
        for part in entry_parts(pack, entry):
            out += _part(part)
    return "\n".join(out).rstrip() + "\n"


def _part(part: Part) -> list[str]:
    out = ["", f"### {escape(part.heading)}", ""]
    if not part.items:
        return [*out, escape(part.empty)]
    listed = False
    for item in part.items:
        if item.long:
            if listed:
                out.append("")
            out += [f"**{escape(item.label)}**", "", *escape_block(item.text), ""]
            listed = False
        else:
            out.append(f"- {_short(item)}")
            listed = True
    while out and out[-1] == "":
        out.pop()
    return out


def _short(item: Item) -> str:
    if item.blank:
        return f"{escape(item.label)}: {BLANK_LINE}"
    text = escape(item.text)
    return f"**{escape(item.label)}: {text}**" if item.warning else f"{escape(item.label)}: {text}"
