"""Line-start markup of administrative documents: bullets, numbered
headings ("I.", "3.1.", "1.") and lettered items ("a)", "b.").

These only make sense at the start of a line, which is why they are
separate from the in-sentence rules.
"""

from __future__ import annotations

import re

from content.numbers import read_int, roman_to_int
from content.spelling import letter_name

_BULLET = re.compile(r"^\s*(?:(?!\+[0-9])[-+•*·–—●○▪■◦‣⁃►✓➢>]\s*)+(?=\S|$)")
ROMAN_HEADING = re.compile(r"^\s*([IVX]+)\s*[.):](?![a-zđ.])\s*")
_SECTION_NUMBER = re.compile(r"^\s*([0-9]{1,2}(?:\.[0-9]{1,2})*)(?:\.|\))(?![0-9])\s*|^\s*([0-9]{1,2}(?:\.[0-9]{1,2})+)\s+")
_LETTER_ITEM = re.compile(r"^\s*([a-zđA-ZĐ])\s*(?:\)|\.(?=\s))\s*")


def drop_bullets(line: str) -> str:
    """"- ", "+ ", "• " at line start are layout, not words."""
    return _BULLET.sub("", line, count=1)


def _capitalise(words: str) -> str:
    return words[:1].upper() + words[1:]


def heading_numbers(line: str) -> str:
    """"I. MỤC ĐÍCH" → "Một. MỤC ĐÍCH"; "3.1. Ban" → "Ba chấm một. Ban".

    Numbers read as numbers; the full stop is kept as the pause a reader
    makes after a heading number.
    """
    roman = ROMAN_HEADING.match(line)
    if roman and roman_to_int(roman.group(1)):
        return _capitalise(read_int(roman_to_int(roman.group(1)))) + ". " + line[roman.end():]
    section = _SECTION_NUMBER.match(line)
    if section and line[section.end():].strip():
        number = section.group(1) or section.group(2)
        spoken = " chấm ".join(read_int(int(part)) for part in number.split("."))
        return _capitalise(spoken) + ". " + line[section.end():]
    return line


_SIGNING_MARK = re.compile(
    r"(?:^|(?<=\s))([QP])\.\s*(?=[A-ZĐÀ-Ỹ]{2,}(?![^\W\d_]*[a-zđà-ỹ])"
    r"|(?i:chủ\s+tịch|giám\s+đốc|trưởng|chánh|hiệu\s+trưởng|bí\s+thư|tổng|cục\s+trưởng|viện\s+trưởng)(?!\w))"
)
_SIGNING_WORDS = {"Q": "quyền", "P": "phó"}


def signing_marks(line: str) -> str:
    """"Q. CHỦ TỊCH" (acting chairman), "P. GIÁM ĐỐC" (deputy director):
    a single capital letter and a dot before an all-caps title is a signing
    mark, not the item letter "qui" or "pê"."""
    line = _SIGNING_MARK.sub(lambda m: _SIGNING_WORDS[m.group(1)] + " ", line)
    return _PLACE_PREFIX.sub(lambda m: _PLACE_WORDS[m.group(1)] + " ", line)


#: "P. Tân Lập", "TP. Thái Nguyên", "X. Yên Ninh": an administrative unit
#: abbreviation with a dot before a capitalised place name.
_PLACE_WORDS = {"P": "phường", "Q": "quận", "TP": "thành phố", "TX": "thị xã", "TT": "thị trấn",
                "X": "xã", "H": "huyện"}
_PLACE_PREFIX = re.compile(r"(?:^|(?<=[\s,(]))(TP|TX|TT|P|Q|X|H)\.\s*(?=[A-ZĐÀ-Ỹ][a-zđà-ỹ])")


def letter_items(line: str) -> str:
    """"a) Nội dung" → "a, Nội dung"; "b. Tổ chức" → "bê, Tổ chức"."""
    item = _LETTER_ITEM.match(line)
    if item and line[item.end():].strip():
        return letter_name(item.group(1)) + ", " + line[item.end():]
    return line
