"""Final passes: all-caps words, stray symbols, dashes, slashes, spacing.

By the time these run every number and known abbreviation has been
spoken; what is left is typography that a TTS engine would either read
aloud ("gạch chéo") or spell (an all-caps heading).
"""

from __future__ import annotations

import re

from content.spelling import is_caps_word, letter_name, spell
from content.unicode_forms import has_vietnamese_marks

_WORD = re.compile(r"[^\W\d_]+")
_FOOTNOTE = re.compile(r"\[\s*(?:[0-9]{1,3}|\*+|[a-z])\s*\]|\(\s*\*+\s*\)|(?<=\w)\*+|(?<![mM])[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_PER_UNIT = (r"năm|tháng|ngày|tuần|giờ|phút|quý|người|hộ|lượt|lần|buổi|kỳ|xã|thôn|xóm|ấp|ha|kg|tấn|km"
             r"|m2|con|chiếc|cái|suất|học\s+sinh|hộ\s+gia\s+đình|hồ\s+sơ|bộ|lô|thửa|trẻ|xe|chuyến|lít"
             r"|khẩu|nhân\s+khẩu|sản\s+phẩm|lớp|trường|ca|ngày\s+đêm|đợt|cuộc|văn\s+bản|thủ\s+tục|m3|mét"
             r"|giấy|căn|liều|tạ|yến|sào|mẫu|cây|gói|bao|hố|phòng|đối\s+tượng|công|lao\s+động|mũi|tiết")
_PER = re.compile(rf"(?<=\w)\s*/\s*(?=(?:{_PER_UNIT})(?!\w))")
#: "20.000 đồng/giấy", "1,5 tấn/sào": after money or a measure, whatever
#: follows a slash is what the amount is counted per.
_PER_AFTER_AMOUNT = re.compile(
    r"(?:(?<=đồng)|(?<=lít)|(?<=gam)|(?<=tấn)|(?<=tạ)|(?<=mét)|(?<=héc ta))\s*/\s*(?=[^\W\d_])"
)
_SYMBOLS = {"&": " và ", "@": " a còng ", "=": " bằng ", "≥": " lớn hơn hoặc bằng ",
            "≤": " nhỏ hơn hoặc bằng ", ">": " lớn hơn ", "<": " nhỏ hơn ", "~": " khoảng ",
            "≈": " khoảng ", "#": " số ", "$": " đô la ", "€": " ơ rô ", "°": " độ ", "§": " điều ",
            "…": "...", "(": ", ", ")": ", ", "[": ", ", "]": ", ", "{": ", ", "}": ", ",
            "|": ", ", "\\": " ", "_": " ", "^": " ", "`": " ", "*": " ", "+": " cộng ",
            "\"": " ", "“": " ", "”": " ", "‘": " ", "’": " ", "«": " ", "»": " ", "'": " ",
            "×": " nhân ", "÷": " chia ", "→": " ", "•": " ", "/": " "}


def caps_words(line: str) -> str:
    """Lower-case all-caps words, spell all-caps acronyms.

    A caps token that is one well-formed Vietnamese syllable ("MỤC",
    "ĐÍCH", "NAM") is a word of a heading; anything else ("PCI", "GDMC")
    is spelled with Vietnamese letter names.  Known acronyms never reach
    this pass: the lexicon has already expanded them.
    """
    tokens = [m for m in _WORD.finditer(line) if m.group(0).isupper()]
    in_heading = sum(
        1 for m in tokens if len(m.group(0)) > 1 and is_caps_word(m.group(0), False) and has_vietnamese_marks(m.group(0))
    ) >= 1 and len(tokens) >= 2

    def say(match: re.Match[str]) -> str:
        word = match.group(0)
        if not word.isupper():
            return word
        if len(word) == 1:
            # Single Vietnamese letters with tone marks are words ("Ở", "Ý").
            if not (word.isascii() or word == "Đ"):
                return word
            after = match.string[match.end():]
            if word == "Y" and re.match(r" +(?:tế|học|sĩ|khoa|sinh|đức|bác sĩ|dược)(?!\w)", after):
                return word  # "Sở Y tế", "Y học": the word y, not the letter
            name = letter_name(word)
            # Initial of a person's name ("Nguyễn Văn A", "ông B"): keep the capital.
            previous = re.search(r"([^\W\d_]+)\s+$", match.string[: match.start()])
            if previous and previous.group(1)[:1].isupper() and not previous.group(1).isupper():
                return word if name == word.lower() else name.capitalize()
            return name
        if is_caps_word(word, in_heading):
            lowered = word.lower()
            before = match.string[: match.start()].rstrip().rstrip(" ,\"“(")
            at_sentence_start = not before or before.endswith((".", "!", "?"))
            return lowered.capitalize() if at_sentence_start else lowered
        return spell(word)
    return _WORD.sub(say, line)


#: Emoji and pictographs from Facebook/Zalo posts (📢, 👉, ✅, ❤️), with
#: their variation selectors, joiners, skin tones and keycap marks.
#: Geometric bullets (●, ▪) and arrows go too.  "°" and "²" are not here.
_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\u2190-\u21FF\u25A0-\u25FF"
    "\uFE0E\uFE0F\u200D\u20E3\U000E0020-\U000E007F]+"
)


def emoji(line: str) -> str:
    """Emoji are decoration: an announcer skips them without a word."""
    return _EMOJI.sub(" ", line)


_HASHTAG = re.compile(r"(?<![\w&#/])#([^\W\d_][\w]*)")


def _split_camel(tag: str) -> str:
    """"ChuyểnĐổiSố" → "Chuyển Đổi Số"; "VNeID" and "CCHC" stay whole."""
    out = []
    for i, ch in enumerate(tag):
        if (0 < i < len(tag) - 1 and ch.isupper() and tag[i - 1].islower() and tag[i + 1].islower()):
            out.append(" ")
        out.append(ch)
    return "".join(out).replace("_", " ")


def hashtags(line: str) -> str:
    """"#CCHC #UBND" → "CCHC, UBND": the tag is read (expanded later by the
    lexicon) after a short pause, never as "thăng" or "số"."""
    return _HASHTAG.sub(lambda m: ", " + _split_camel(m.group(1)) + " ", line)


def footnotes(line: str) -> str:
    """Footnote markers "[1]", "(*)", superscripts: not meant to be read."""
    return _FOOTNOTE.sub(" ", line)


def dashes(line: str) -> str:
    """Dashes left after the range rule are pauses.

    "kinh tế - xã hội" → "kinh tế, xã hội"; a hyphen glued between a word
    and a capitalised word ("Đảng ủy-TT") too; other glued hyphens become a
    space ("e-mail").
    """
    line = re.sub(r"\s+[-–—]+\s*|\s*[-–—]+\s+", ", ", line)
    # (checked with isupper: the range À-Ỹ also holds lower-case "ố", so
    # "i-ốt" must not become "i, ốt")
    line = re.sub(r"(?<=\w)[-–—](?=\w)", lambda m: ", " if m.string[m.end()].isupper() else m.group(0), line)
    return re.sub(r"[-–—]+", " ", line)


def slashes(line: str) -> str:
    """"cuộc/năm" → "cuộc mỗi năm"; "và/hoặc" → "và hoặc"; any other slash
    is silent so no engine says "gạch chéo"."""
    line = line.replace("./.", ".")  # the "end of document" mark
    line = _PER.sub(" mỗi ", line)
    line = _PER_AFTER_AMOUNT.sub(" mỗi ", line)
    return line.replace("/", " ")


def symbols(line: str) -> str:
    """Spell the symbols that carry meaning, drop the decorative ones."""
    line = line.replace("./.", ".")
    return "".join(_SYMBOLS.get(ch, ch) for ch in line)


def spacing(line: str) -> str:
    """Collapse spaces and tidy punctuation produced by earlier passes."""
    line = re.sub(r"\s+", " ", line)
    line = re.sub(r"\s+([,.;:!?])", r"\1", line)
    line = re.sub(r"([,;:])(?:\s*[,;])+", r"\1", line)
    line = re.sub(r"[,;]\s*([.!?])", r"\1", line)
    line = re.sub(r"([.!?])\s*[,;]+", r"\1", line)
    line = re.sub(r"(?<!\.)\.\s?\.(?!\.)", ".", line)
    line = re.sub(r"([.!?])(?=[A-ZĐÀ-Ỹ])", r"\1 ", line)
    line = re.sub(r"([,;:])(?=[^\s\d.,;:!?])", r"\1 ", line)
    line = re.sub(r"^[\s,;.:]+", "", line)
    line = re.sub(r"[\s,;]+$", "", line)
    return line.strip()
