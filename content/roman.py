"""Roman numerals after the words that introduce them.

"thế kỷ XXI", "Phần IV", "khóa XV", "lần thứ IX", "Quý I/2024", also in
lower case ("thế kỷ xvii", "phần ii") as pasted text often has it.  Only
after these keywords: elsewhere "I" or "V" is far more likely a letter.
A single lower-case letter ("phần i") stays a letter for the same reason,
and so do the words "vi", "xi", "li" ("lần vi phạm").
"""

from __future__ import annotations

import re

from content.numbers import read_int, read_ordinal, roman_to_int

_KEYWORDS = (r"quý|phần|chương|mục|giai\s+đoạn|khóa|kỳ|kì|đợt|đại\s+hội|thế\s+kỷ|thế\s+kỉ|tập|phụ\s+lục"
             r"|loại|hạng|nhóm|cấp|bậc|vùng|khu\s+vực|tiểu\s+mục|điểm|thứ|lần|hội\s+nghị|kỳ\s+họp|nhiệm\s+kỳ"
             r"|báo\s+động|vòng|tầng|trung\s+đoàn|sư\s+đoàn|quân\s+khu|quân\s+đoàn|tiết|bài|học\s+phần")
_NUMERAL = r"(?:[IVXL]+|[ivxl]{2,})"
#: Lower-case numerals that are also words ("lần vi phạm", "khu vực xi
#: măng"): numerals only after the keywords that cannot take such a word.
_WORDS = {"vi", "xi", "li"}
_ONLY_NUMERALS_AFTER = re.compile(r"(?i)thứ|thế\s+kỷ|thế\s+kỉ|khóa|đại\s+hội")
AFTER_KEYWORD = re.compile(
    rf"(?i:(?<!\w)({_KEYWORDS}))(\s+)({_NUMERAL}(?:\s*(?:,|và|-|–|đến)\s*{_NUMERAL}(?![\w]))*)"
    r"(?:\s*/\s*([0-9]{4}))?(?![\w])"
)


def roman_numerals_in_context(line: str) -> str:
    """"Quý IV", "giai đoạn II", "thế kỷ xvii", "Quý I/2024" → numbers;
    after "thứ" the ordinal: "lần thứ IV" → "lần thứ tư"."""
    def say(match: re.Match[str]) -> str:
        parts = re.split(r"\s*(,|và|-|–|đến)\s*", match.group(3))
        if parts[0] in _WORDS and not _ONLY_NUMERALS_AFTER.fullmatch(match.group(1)):
            return match.group(0)
        values = [roman_to_int(p) for p in parts[0::2]]
        if any(v is None for v in values):
            return match.group(0)
        separators = [{",": ", ", "và": " và "}.get(sep, " đến ") for sep in parts[1::2]]
        ordinal = match.group(1).lower() == "thứ"
        numbers = [read_ordinal(v) if ordinal else read_int(v) for v in values]
        spoken_list = numbers[0] + "".join(sep + n for sep, n in zip(separators, numbers[1:]))
        spoken = f"{match.group(1)}{match.group(2)}{spoken_list}"
        if match.group(4):
            spoken += " năm " + read_int(int(match.group(4)))
        return spoken + " "
    return AFTER_KEYWORD.sub(say, line)
