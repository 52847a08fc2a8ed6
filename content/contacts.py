"""Web addresses, e-mail addresses and telephone numbers.

They must be read out character group by character group: a TTS engine
would otherwise say "1.234.567" for a phone number or drop the dots of a
domain.  These passes run before the number rules for that reason.
"""

from __future__ import annotations

import re

from content.numbers import read_digits
from content.spelling import is_syllable_run, spell

_TOP_LEVEL = r"(?:vn|com|net|org|gov|edu|info|int|biz|io)"
URL_PATTERN = re.compile(
    r"(?i)(?:https?://\S+|(?<![\w@.])(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\." + _TOP_LEVEL
    + r"(?![\w-])(?:/[^\s,;)\]]*)?)"
)
EMAIL_PATTERN = re.compile(r"(?i)(?<![\w.])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+")
_PHONE = re.compile(r"(?<![0-9.,/])(\+84 ?|0)([0-9]{1,4}(?:[ .-]?[0-9]{2,4}){1,4})(?![0-9]|[.,][0-9])")
_CONTEXT_NUMBER = re.compile(
    r"(?i)((?:số\s+)?(?:điện\s+thoại|đt|sđt|hotline|tổng\s+đài|đường\s+dây\s+nóng|gọi(?:\s+(?:đến|tới|vào))?(?:\s+số)?"
    r"|fax|zalo|liên\s+hệ|stk|mã\s+số\s+thuế|mst|mã\s+số\s+(?:bhxh|bảo\s+hiểm\s+xã\s+hội)|(?:số\s+)?tài\s+khoản(?:\s+số)?|(?:qua|tới|đến)\s+số|bấm(?:\s+số)?|quay(?:\s+số)?)"
    r"\s*:?\s*(?:số\s*)?)([0-9][0-9 .]*[0-9]|[0-9])(?![0-9])"
)
_SPOKEN_SYMBOLS = {".": " chấm ", "/": " gạch chéo ", "-": " gạch ngang ", "_": " gạch dưới ",
                   "@": " a còng ", ":": " hai chấm ", "?": " hỏi ", "=": " bằng ", "&": " và ",
                   "#": " thăng ", "%": " phần trăm ", "+": " cộng ", "~": " ngã "}
WORD_READINGS = {"www": "vê kép vê kép vê kép", "vn": "vê en", "gov": "gốp", "com": "com",
                  "org": "o rờ giê", "net": "nét", "edu": "e đu", "info": "in phô",
                  # services every listener knows by their spoken name
                  "gmail": "giê meo", "yahoo": "da hu", "zalo": "da lô", "facebook": "phây búc",
                  "youtube": "diu túp", "google": "gu gồ", "outlook": "aothlúc", "hotmail": "hót meo"}


def read_address_part(part: str) -> str:
    """Read one letters-or-digits run of an address."""
    if part.isdigit():
        return read_digits(part)
    lower = part.lower()
    if lower in WORD_READINGS:
        return WORD_READINGS[lower]
    # Unaccented Vietnamese written together ("dichvucong", "thainguyen")
    # is read as it stands; anything else ("ubnd", "vneid", "moh") would
    # come out as an invented syllable, so it is spelled.
    if is_syllable_run(lower):
        return lower
    return _spell_the_code(part)


def _spell_the_code(part: str) -> str:
    """Spell as little as possible: "ubndxa" is the code "ubnd" spelled,
    then the word "xa"; "xaubnd" the other way round.  The code part has
    at least three letters, so "mard" is not read "ma" + "e rờ dê"."""
    lower = part.lower()
    best: tuple[int, str] | None = None
    for cut in range(2, len(lower) - 1):
        head, tail = lower[:cut], lower[cut:]
        if cut >= 3 and is_syllable_run(tail) and (best is None or cut < best[0]):
            best = (cut, f"{spell(head)} {tail}")
        if len(tail) >= 3 and is_syllable_run(head) and (best is None or len(tail) < best[0]):
            best = (len(tail), f"{head} {spell(tail)}")
    return best[1] if best else spell(part)


def read_address(address: str) -> str:
    """Speak a URL or e-mail: "dichvucong.gov.vn" → "dichvucong chấm gốp chấm vê en"."""
    address = re.sub(r"(?i)^https?://", "", address).rstrip("/")
    pieces = re.findall(r"[a-z]+|[0-9]+|[^a-z0-9]", address, flags=re.IGNORECASE)
    spoken = [_SPOKEN_SYMBOLS.get(p, " ") if len(p) == 1 and not p.isalnum() else read_address_part(p)
              for p in pieces]
    return " " + " ".join(s.strip() for s in spoken if s.strip()) + " "


def speakable_part(url: str) -> str:
    """What an announcer reads of a web address: the site, plus its path
    only when that is one short word ("thainguyen.gov.vn/tin").  Query
    strings, fragments and long paths ("/p/home/dvc-trang-chu.html") cannot
    be typed from a loudspeaker and are left out."""
    url = re.split(r"[?#]", url, maxsplit=1)[0]
    scheme = re.match(r"(?i)^https?://", url)
    rest = url[scheme.end():] if scheme else url
    host, slash, path = rest.partition("/")
    segments = [s for s in path.split("/") if s]
    if slash and not (len(segments) <= 1 and all(re.fullmatch(r"[A-Za-z0-9]{1,15}", s) for s in segments)):
        return host
    return url


def addresses(line: str) -> str:
    """E-mails first (they contain a domain), then web addresses.

    A sentence-final dot after a URL stays a full stop.
    """
    line = EMAIL_PATTERN.sub(lambda m: read_address(m.group(0)), line)

    def say_url(match: re.Match[str]) -> str:
        url = match.group(0)
        trailing = ""
        while url and url[-1] in ".,;:":
            trailing, url = url[-1] + trailing, url[:-1]
        return read_address(speakable_part(url)) + trailing
    return URL_PATTERN.sub(say_url, line)


def _grouped_digits(number: str) -> str:
    """Digits read group by group, groups separated by a short pause."""
    groups = [g for g in re.split(r"[ .-]", number) if g]
    if len(groups) == 1 and len(groups[0]) >= 9:
        digits = groups[0]
        groups = [digits[:4], digits[4:7], digits[7:]]
    return ", ".join(read_digits(g) for g in groups)


#: Nationwide service numbers: 1900/1800 plus 4 or 6 digits, and the
#: emergency numbers 111-115 when they stand after a calling word.
_SERVICE_NUMBER = re.compile(r"(?<![0-9.,/])(1[89]00)[ .]?([0-9]{4}|[0-9]{2}[ .]?[0-9]{2}[ .]?[0-9]{2}|[0-9]{3}[ .]?[0-9]{3})(?![0-9]|[.,][0-9])")


def phone_numbers(line: str) -> str:
    """Numbers announced as phone numbers are read digit by digit.

    Two signals: a 10-11 digit number starting with 0 or +84 (Vietnamese
    numbering plan), or a number after "điện thoại", "hotline", "gọi"...
    (this also covers 113, 114, 115).
    """
    line = _SERVICE_NUMBER.sub(lambda m: f" {read_digits(m.group(1))}, {_grouped_digits(m.group(2))} ", line)

    def say_contextual(match: re.Match[str]) -> str:
        keyword = match.group(1).strip().lower().rstrip(":").strip()
        digits = re.sub(r"[^0-9]", "", match.group(2))
        # "ĐT 264" is a provincial road, "liên hệ 3 lần" a count: only read
        # digit by digit what looks like a phone or service number.
        if keyword in ("đt", "số đt", "liên hệ") and len(digits) < 5:
            return match.group(0)
        return f"{match.group(1)} {_grouped_digits(match.group(2))} "
    line = _CONTEXT_NUMBER.sub(say_contextual, line)

    def say_plan(match: re.Match[str]) -> str:
        prefix, rest = match.group(1), match.group(2)
        digit_count = len(re.sub(r"[^0-9]", "", rest)) + (1 if prefix == "0" else 2)
        if not 10 <= digit_count <= 11:
            return match.group(0)
        if prefix.startswith("+84"):
            return " cộng tám tư, " + _grouped_digits(rest) + " "
        return " " + _grouped_digits(prefix + rest) + " "
    return _PHONE.sub(say_plan, line)
