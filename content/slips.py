"""Typing slips that pasted text carries, repaired before reading.

* An abbreviation glued to the next word: "UBNDxã" → "UBND xã".
* No space after a comma, colon or semicolon ("xã,thôn", "Thời gian:14h"),
  or after a full stop before a new sentence ("xong.Đề nghị").
* A date used as a name: streets, squares, schools, parks named after a
  historic day ("đường 30/4", "Quảng trường 26/3", "trường THCS 19/5") are
  read as the name, "ba mươi tháng tư", never "ngày ba mươi tháng tư".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from content.numbers import read_int, read_month
from content.spelling import is_vietnamese_syllable

_GLUED = re.compile(r"(?<![\w/.-])([A-ZĐ][A-ZĐ&]+)([a-zđà-ỹ]{2,7})(?![\w])")
_SPACE_AFTER = re.compile(r"(?<=[^\W\d_])([,;:])(?=[^\W_])")
_SENTENCE_GLUED = re.compile(r"(?<=[a-zđà-ỹ]{2})([.!?])(?=[A-ZĐÀ-Ỹ][a-zđà-ỹ])")
_NAMED_PLACE = (r"đường|phố|đại\s+lộ|quảng\s+trường|trường|THCS|THPT|tiểu\s+học|mầm\s+non|công\s+viên"
                r"|cầu|chợ|sân\s+vận\s+động|khu\s+phố|ngõ|hẻm|bệnh\s+viện|nông\s+trường|lâm\s+trường|bến\s+xe")
#: "nhu cầu 1/2", "thành phố 2/3", "môi trường 1/2" are not names.
_DATE_AS_NAME = re.compile(
    rf"(?<!nhu )(?<!yêu )(?<!thành )(?<!môi )(?<!thị )(?<!chiến )(?i:(?<!\w)({_NAMED_PLACE}))(\s+)"
    r"([0-9]{1,2})[/-]([0-9]{1,2})(?![0-9/]|[.,-][0-9])"
)


def glued_abbreviations(line: str, lexicon: Mapping[str, str]) -> str:
    """"UBNDxã", "BHYTtự nguyện": a known abbreviation with a word stuck
    to it.  The whole token must not itself be an entry ("TTr", "VNeID")
    and the tail must be one Vietnamese syllable."""
    def split(match: re.Match[str]) -> str:
        head, tail = match.groups()
        if match.group(0) in lexicon or head not in lexicon or not is_vietnamese_syllable(tail):
            return match.group(0)
        return f"{head} {tail}"
    return _GLUED.sub(split, line)


def missing_spaces(line: str) -> str:
    """"xã,thôn" → "xã, thôn"; "gian:14h" → "gian: 14h"; "xong.Đề" → "xong. Đề"."""
    line = _SPACE_AFTER.sub(r"\1 ", line)
    return _SENTENCE_GLUED.sub(r"\1 ", line)


def dates_as_names(line: str) -> str:
    """"đường 30/4" → "đường ba mươi tháng tư" (a name, no "ngày")."""
    def say(match: re.Match[str]) -> str:
        day, month = int(match.group(3)), int(match.group(4))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{read_int(day)} tháng {read_month(month)} "
    return _DATE_AS_NAME.sub(say, line)
