"""Targets proposed from the commune's yearly plan (.docx or .txt), for the officer to confirm.

Two kinds of sentence are read:

- a recurring minimum, e.g. "Định kỳ hàng tháng có ít nhất một tin bài tuyên
  truyền ... trên ... hệ thống loa truyền thanh" → at least 1 per month;
- the quarterly timetable, e.g. "Quý I/2022: Thực hiện tuyên truyền ... hệ thống
  truyền thanh của xã" → at least 1 in that quarter, when the quarter names the
  loudspeaker system (a quarter of conferences only proposes nothing).

Nothing is written here; :func:`accept` adds the proposals the officer keeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlite_utils import Database

from content.importers import read_document

from radio.accounts.roles import Actor
from radio.reports import targets

_NUMBER_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
                 "chín": 9, "mười": 10}
_KIND = {"tháng": "month", "quý": "quarter", "năm": "year"}
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_RECURRING = re.compile(
    r"(?:hàng|hằng|mỗi)\s+(tháng|quý|năm)\b.{0,40}?ít nhất\s+(\d+|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+"
    r"(?:tin,?\s*bài|tin bài|bản tin|bài)", re.I)
_QUARTER = re.compile(r"Quý\s+(IV|I{1,3})\s*/\s*(\d{4})\s*:\s*(.+)", re.I)
_LOUDSPEAKER = re.compile(r"truyền thanh|loa", re.I)
_PLAN_YEAR = re.compile(r"năm\s+(20\d\d)\b", re.I)


@dataclass(frozen=True)
class Proposal:
    """A target the plan asks for, with the sentence it came from."""

    topic: str
    period: str
    minimum: int
    applies_from: str | None
    applies_until: str | None
    sentence: str

    def describe(self) -> str:
        return targets.describe(self.__dict__)


def _sentences(text: str) -> list[str]:
    """Paragraphs with hard-wrapped lines joined again (a block that starts in lower case continues)."""
    out: list[str] = []
    for block in (b.strip() for b in text.split("\n\n")):
        if not block:
            continue
        if out and (block[0].islower() or not out[-1].rstrip().endswith((".", ":", ";"))
                    and not re.match(r"[-–•+]|\d+\.|[IVX]+\.|Quý\b", block)):
            out[-1] += " " + block
        else:
            out.append(block)
    return [" ".join(s.split()) for s in out]


def propose_text(text: str) -> list[Proposal]:
    """Proposals found in a plan's text, in document order, without duplicates."""
    found: list[Proposal] = []
    year_match = _PLAN_YEAR.search(text[:600])
    plan_year = int(year_match[1]) if year_match else None
    topic = "cchc"  # a commune's propaganda plan for CCHC; other topics are added by hand
    for sentence in _sentences(text):
        m = _RECURRING.search(sentence)
        if m and _LOUDSPEAKER.search(sentence):
            n = m[2].lower()
            minimum = int(n) if n.isdigit() else _NUMBER_WORDS[n]
            start = date(plan_year, 1, 1).isoformat() if plan_year else None
            end = date(plan_year, 12, 31).isoformat() if plan_year else None
            found.append(Proposal(topic, _KIND[m[1].lower()], minimum, start, end, sentence.lstrip("-–• ")))
            continue
        q = _QUARTER.search(sentence)
        if q and _LOUDSPEAKER.search(q[3]):
            quarter, year = _ROMAN[q[1].upper()], int(q[2])
            start = date(year, 3 * quarter - 2, 1)
            end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
            found.append(Proposal(topic, "quarter", 1, start.isoformat(),
                                  date.fromordinal(end.toordinal() - 1).isoformat(), sentence.lstrip("-–• ")))
    unique: list[Proposal] = []
    for p in found:
        if all((p.period, p.minimum, p.applies_from) != (u.period, u.minimum, u.applies_from) for u in unique):
            unique.append(p)
    return unique


def propose(path: Path) -> list[Proposal]:
    """Read the plan at *path* (.docx or .txt).

    :raise content.importers.DocumentError: unreadable or unsupported file.
    """
    _, text = read_document(Path(path))
    return propose_text(text)


def accept(db: Database, actor: Actor | None, proposals: list[Proposal], *, now: datetime) -> list[int]:
    """Add the confirmed proposals as targets (one audit row each); return their ids."""
    return [targets.add_target(db, actor, topic=p.topic, period=p.period, minimum=p.minimum,
                               applies_from=p.applies_from, applies_until=p.applies_until,
                               note=p.sentence[:300], now=now) for p in proposals]
