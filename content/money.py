"""Money as people type it, currency signs, and the minus sign.

"50k" is *năm mươi nghìn*, "1tr5" *một triệu năm trăm nghìn*, "2 triệu
rưỡi" *hai triệu năm trăm nghìn* (the half is said as a number so that
it is not heard as a separate word), "$500" *năm trăm đô la* (the sign is
read after the amount, as it is said), "-1,2%" *âm một phẩy hai phần trăm*.
"""

from __future__ import annotations

import re

from content.numbers import read_int, read_numeral
from content.units import currency_signs

#: "50k", "35K"; a single digit before a capital K is more likely "4K" video.
_THOUSANDS_K = re.compile(r"(?<![\w.,])([0-9]{1,3}(?:[.,][0-9]+)?k|[0-9]{2,3}(?:[.,][0-9]+)?K)(?![\w])")
_MILLIONS_TR = re.compile(r"(?<![\w.,])([0-9]{1,3})tr([0-9]{1,3})(?![\w])")
_MILLIONS_TR_BARE = re.compile(r"(?<![\w.,])([0-9]{1,3})tr(?![\w.])")
_SCALES = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_AND_A_HALF = re.compile(r"(?<![\w.,])([0-9]{1,3})\s+(nghìn|ngàn|triệu|tỷ|tỉ)\s+rưỡi(?!\w)")
#: A minus glued to a number after a word or colon: "đạt -1,2%", "còn −3".
_MINUS_AFTER_WORD = re.compile(r"(?:(?<=[^\W\d_]\s)|(?<=[^\W\d_]:\s)|(?<=\()|(?<=[^\W\d_]:))-(?=[0-9])")


def colloquial_money(line: str) -> str:
    """"50k", "1tr5", "3tr500", "2tr", "2 triệu rưỡi", "1 tỷ rưỡi"."""
    line = _MILLIONS_TR.sub(
        lambda m: f" {read_int(int(m.group(1)) * 10**6 + int(m.group(2).ljust(3, '0')) * 1000)} ", line)
    line = _MILLIONS_TR_BARE.sub(lambda m: f" {read_int(int(m.group(1)))} triệu ", line)
    line = _THOUSANDS_K.sub(lambda m: f" {read_numeral(m.group(1)[:-1].replace('.', ','))} nghìn ", line)
    return _AND_A_HALF.sub(
        lambda m: f" {read_int(int(m.group(1)) * _SCALES[m.group(2)] + _SCALES[m.group(2)] // 2)} ", line)


def signs(line: str) -> str:
    """Currency signs before the amount, and minus signs: "$500" → "500 $",
    "−3" / "đạt -1,2%" → "âm 3" / "đạt âm 1,2%"."""
    line = currency_signs(line)
    line = line.replace("\u2212", " âm ")
    return _MINUS_AFTER_WORD.sub("âm ", line)
