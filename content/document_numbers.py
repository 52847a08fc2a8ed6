"""Official document numbers: "số 26/KH-UBND", "30/2020/NĐ-CP", "05-CT/TU".

Read as: the number, the year if given ("năm ..."), then each code part
expanded through the lexicon, with short pauses (commas) between them and
no slashes: "hai mươi sáu, kế hoạch, Ủy ban nhân dân". Road numbers ("QL1A",
"ĐT.264") and kilometre posts are the other coded numbers of official text, read here too
(:func:`road_numbers`). Reading a document *file* is :mod:`content.importers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from content.numbers import read_int, read_integer_text
from content.spelling import letter_name

_CODE_PART = r"[A-ZĐ][A-ZĐa-zđ]*(?:&[A-ZĐ][A-ZĐa-zđ]*)*[0-9]*"
_CODE = rf"{_CODE_PART}(?:[-/]{_CODE_PART})*"
_NUMBERED = re.compile(
    rf"(?<![\w/.,])([0-9]{{1,5}})(?:/([0-9]{{4}}))?(?:/|-(?={_CODE_PART}/)|(?={_CODE_PART}-))({_CODE})(?![\w&])"
)
_UNNUMBERED = re.compile(rf"(?<![\w/])/({_CODE_PART}-{_CODE})(?![\w&])")


#: Readings of the first part of a document code, which is always the
#: document type: "TT" is "thông tư" there, although alone (as in
#: "TT Đảng ủy") it means "thường trực".
DOCUMENT_TYPES = {
    "TT": "thông tư", "CT": "chỉ thị", "HD": "hướng dẫn", "KH": "kế hoạch", "QĐ": "quyết định",
    "NQ": "nghị quyết", "NĐ": "nghị định", "TB": "thông báo", "BC": "báo cáo", "CV": "công văn",
    "TTr": "tờ trình", "KL": "kết luận", "QC": "quy chế", "QyĐ": "quy định", "PA": "phương án",
    "ĐA": "đề án", "CTr": "chương trình", "GM": "giấy mời", "BB": "biên bản", "HĐ": "hợp đồng",
    "TTLT": "thông tư liên tịch", "L": "luật", "PL": "pháp lệnh", "UBTVQH": "Ủy ban Thường vụ Quốc hội",
}


def expand_code(code: str, lexicon: Mapping[str, str], spell_unknown: Callable[[str], str]) -> str:
    """Expand "KH-UBND" → "kế hoạch, Ủy ban nhân dân".

    The whole code is looked up first, then every longest run of parts, so
    "TT-BTTTT" can be "thông tư, ..." although "TT" alone is "thường trực".
    """
    if code in lexicon:
        return lexicon[code]
    first, *remainder = re.split(r"[-/]", code, maxsplit=1)
    rest = remainder[0] if remainder else ""
    if first in DOCUMENT_TYPES and rest:
        return DOCUMENT_TYPES[first] + ", " + expand_code(rest, lexicon, spell_unknown)
    parts = re.split(r"([-/])", code)
    names = parts[0::2]
    spoken: list[str] = []
    start = 0
    while start < len(names):
        for end in range(len(names), start, -1):
            candidate = "".join(parts[2 * start: 2 * end - 1])
            if candidate in lexicon:
                spoken.append(lexicon[candidate])
                start = end
                break
        else:
            spoken.append(_expand_part(names[start], lexicon, spell_unknown))
            start += 1
    return ", ".join(spoken)


def _expand_part(part: str, lexicon: Mapping[str, str], spell_unknown: Callable[[str], str]) -> str:
    """One unknown code part; a trailing number is a term or session
    ("QH13" → "Quốc hội mười ba")."""
    letters, digits = re.match(r"(.*?)([0-9]*)$", part).groups()
    spoken = lexicon.get(letters) or spell_unknown(letters)
    return f"{spoken} {read_integer_text(digits)}" if digits else spoken


def document_numbers(line: str, lexicon: Mapping[str, str], spell_unknown: Callable[[str], str]) -> str:
    """Replace document numbers with their spoken form (see module doc)."""
    def say(match: re.Match[str]) -> str:
        number, year, code = match.group(1), match.group(2), match.group(3)
        words = [read_integer_text(number)]
        if year:
            words.append("năm " + read_int(int(year)))
        words.append(expand_code(code, lexicon, spell_unknown))
        return " " + ", ".join(words) + " "
    line = _NUMBERED.sub(say, line)
    return _UNNUMBERED.sub(lambda m: " " + expand_code(m.group(1), lexicon, spell_unknown) + " ", line)


#: Road network codes: "QL1A" (quốc lộ một A), "ĐT.264", "ĐH 12".
ROAD_TYPES = {"QL": "quốc lộ", "ĐT": "đường tỉnh", "ĐH": "đường huyện", "TL": "tỉnh lộ",
              "HL": "hương lộ", "ĐX": "đường xã", "ĐCT": "đường cao tốc"}
_ROAD = re.compile(r"(?<![\w/.])(QL|ĐT|ĐH|TL|HL|ĐX|ĐCT)(?:\.\s?|\s)?([1-9][0-9]{0,3})([A-Z])?(?![\w/]|[.,][0-9])")
_KILOMETRE_POST = re.compile(r"(?<![\w/.])[Kk][Mm]\s?([0-9]{1,4})\s?\+\s?([0-9]{1,3})(?![0-9])")


def road_numbers(line: str) -> str:
    """Roads and kilometre posts: "QL1A" → "quốc lộ một A", "ĐT.264" →
    "đường tỉnh hai trăm sáu mươi tư", "Km 12+500" → "ki lô mét mười hai
    cộng năm trăm".  Runs before the phone rule so that "ĐT 264" (a road)
    is not taken for "điện thoại"."""
    def say_road(match: re.Match[str]) -> str:
        road = ROAD_TYPES[match.group(1)]
        before = match.string[: match.start()].rstrip().lower()
        if road.startswith("đường ") and re.search(r"(?<!\w)đường$", before):
            road = road[len("đường "):]  # "tuyến đường ĐT.264" → "tuyến đường tỉnh ..."
        spoken = f"{road} {read_int(int(match.group(2)))}"
        letter = match.group(3)
        if letter:
            name = letter_name(letter)
            spoken += " " + (letter if name == letter.lower() else name)
        return f" {spoken} "
    line = _ROAD.sub(say_road, line)
    return _KILOMETRE_POST.sub(
        lambda m: f" ki lô mét {read_int(int(m.group(1)))} cộng {read_int(int(m.group(2)))} ", line)
