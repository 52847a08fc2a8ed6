"""Sections of a long document, so one part of a plan can become a bulletin.

A commune plan (kế hoạch) is numbered "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích",
"a) ..."; the officer usually airs one part of it, not the whole plan.
:func:`split_sections` finds the Roman-numeral parts and the numbered parts
inside them. Pure text work: paragraphs are separated by blank lines, as
:func:`content.importers.read_document` returns them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

_ROMAN = re.compile(r"(?:[IVX]{1,5})[.)]\s+\S")
_ARABIC = re.compile(r"\d{1,2}[.)]\s+\S")
#: a heading is a short paragraph; a numbered paragraph of prose is a list item
MAX_HEADING_CHARS = 120


@dataclass(frozen=True)
class Section:
    """One part of a document: its heading (as written) and the paragraphs under it."""

    level: int  # 1: "I.", 2: "1." inside it
    title: str
    text: str

    def to_dict(self) -> dict:
        return asdict(self)


def drop_title(title: str, text: str) -> str:
    """*text* without its first paragraph when that paragraph is the title (imports repeat it)."""
    blocks = _blocks(text)
    if blocks and _same(blocks[0], title):
        blocks = blocks[1:]
    return "\n\n".join(blocks)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", text or "") if b.strip()]


def _is_heading(block: str, pattern: re.Pattern) -> bool:
    return len(block) <= MAX_HEADING_CHARS and bool(pattern.match(block)) and "\n" not in block


def _split(blocks: list[str], pattern: re.Pattern) -> list[tuple[str, list[str]]]:
    parts: list[tuple[str, list[str]]] = []
    for block in blocks:
        if _is_heading(block, pattern):
            parts.append((block, []))
        elif parts:
            parts[-1][1].append(block)
    return parts


def split_sections(text: str) -> list[Section]:
    """The document's parts in order: each Roman part, followed by its numbered sub-parts.

    Without at least two Roman parts, the numbered parts are the top level.
    A part with no paragraphs under it is left out (nothing to air).
    """
    blocks = _blocks(text)
    top = _split(blocks, _ROMAN)
    if len(top) < 2:
        return [Section(1, heading, "\n\n".join(body)) for heading, body in _split(blocks, _ARABIC) if body]
    sections: list[Section] = []
    for heading, body in top:
        if body:
            sections.append(Section(1, heading, "\n\n".join(body)))
        sections.extend(Section(2, sub, "\n\n".join(sub_body))
                        for sub, sub_body in _split(body, _ARABIC) if sub_body)
    return sections
