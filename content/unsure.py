"""Spans of a text the normaliser could not resolve or resolved by a guess.

The officer sees them before approval (``radio normalize --explain``, the
admin editor's highlights) and fixes a reading by adding a lexicon entry,
never by editing the bulletin.  Four kinds:

``unknown_abbreviation``
    an all-caps token that is neither in the lexicon nor a heading word; it
    is spelled with letter names ("XKLĐ" → "ích ca e lờ đê").
``spelled``
    part of a web or e-mail address spelled letter by letter ("ubnd").
``code``
    letters and digits mixed in a way no rule knows ("F0", "B1234567").
``foreign``
    a word that is not Vietnamese ("paracetamol", "livestream"); the engine
    will guess how to say it.

Detection runs on the canonical line, where every rule matches, and the
spans are mapped back to offsets in the caller's original text (which may
be NFD or carry the other tone placement), so ``text[start:end]`` is
always the original token.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass

from content import contacts, document_numbers, roman, structure, units
from content.numbers import roman_to_int
from content.spelling import is_caps_word, is_syllable_run, is_vietnamese_syllable, spell
from content.unicode_forms import canonicalize, has_vietnamese_marks

KINDS = ("unknown_abbreviation", "spelled", "code", "foreign")


@dataclass(frozen=True)
class Unsure:
    """One span of the original text read by a guess.

    :ivar start: offset of the first character in the original text.
    :ivar end: offset just after the last character.
    :ivar original: ``text[start:end]``.
    :ivar spoken: what the normaliser made of it.
    :ivar kind: one of :data:`KINDS`.
    """

    start: int
    end: int
    original: str
    spoken: str
    kind: str

    def to_dict(self) -> dict:
        return asdict(self)


_TOKEN = re.compile(r"[^\W_]+")
#: Letter-digit tokens the rules read with confidence: clock times, durations,
#: money, quantities with a unit, weekdays, roads, glued lexicon numbers.
_KNOWN_MIXED = re.compile(
    r"[0-9]{1,2}[hHg](?:[0-9]{2})?p?|[0-9]{1,3}p(?:[0-9]{1,3}s)?|[0-9]{1,3}s|[0-9]+k|[0-9]+tr[0-9]{0,3}"
    r"|T[2-7]|[Kk]m[0-9]{1,4}|[0-9]+(?:" + "|".join(
        re.escape(u) for u in sorted(units.UNITS, key=len, reverse=True) if re.fullmatch(r"[^\W\d_][\w]*", u))
    + r")|(?:m|km|cm)[23]"
)
_GLUED_TO_LEXICON = re.compile(r"([A-ZĐ][A-ZĐa-zđ]*[A-ZĐ])([0-9]{1,3}|[a-zđà-ỹ]{2,7})")
_ROMAN_CONTEXT = roman.AFTER_KEYWORD
#: Road numbers ("QL1A", "ĐT.264"), read by document_numbers.road_numbers.
_ROAD = re.compile(r"(?<![\w/.])(?:" + "|".join(document_numbers.ROAD_TYPES) + r")(?:\.\s?|\s)?[1-9][0-9]{0,3}[A-Z]?(?![\w/])")


def _cluster_starts(line: str) -> list[int]:
    """Offset in ``line`` of each character of its NFC form (a base
    character and its combining marks compose into one)."""
    starts = [i for i, ch in enumerate(line) if i == 0 or not unicodedata.combining(ch)]
    return starts


def _offset_map(original: str, canonical: str) -> Callable[[int], int]:
    """Map an offset in the canonical line to one in the original line."""
    if len(original) == len(canonical):
        return lambda k: k
    starts = _cluster_starts(original)
    if len(starts) == len(canonical):
        return lambda k: starts[k] if k < len(starts) else len(original)
    # Compositions that are not one cluster per character (rare scripts):
    # scale, clamped, so offsets still lie inside the text.
    ratio = len(original) / max(len(canonical), 1)
    return lambda k: min(len(original), round(k * ratio))


def _covered(canonical: str, lexicon: Mapping[str, str], pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Spans the rules resolve with confidence: lexicon entries, Roman
    numerals after their keyword or heading a line, unit symbols after a
    number, road numbers."""
    spans = [m.span() for m in pattern.finditer(canonical)] if pattern is not None else []
    spans += [m.span(3) for m in _ROMAN_CONTEXT.finditer(canonical)]
    heading_number = structure.ROMAN_HEADING.match(canonical)
    if heading_number and roman_to_int(heading_number.group(1)):
        spans.append(heading_number.span(1))  # "II. Nội dung": a heading number
    spans += [m.span(2) for m in units.UNIT_AFTER_NUMBER.finditer(canonical)]
    spans += [m.span() for m in _ROAD.finditer(canonical)]
    return spans


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


def _address_parts(canonical: str) -> tuple[list[tuple[int, int, str, str]], list[tuple[int, int]]]:
    """Spelled parts of e-mail and web addresses, and the address spans."""
    found, spans = [], []
    for pattern in (contacts.EMAIL_PATTERN, contacts.URL_PATTERN):
        for match in pattern.finditer(canonical):
            if _inside(match.span(), spans):
                continue
            spans.append(match.span())
            # Only what is read aloud: paths and query strings are left out.
            said = match.group(0) if pattern is contacts.EMAIL_PATTERN else contacts.speakable_part(match.group(0))
            for part in re.finditer(r"[A-Za-z]+", said):
                word = part.group(0)
                if word.lower() in ("http", "https"):
                    continue
                spoken = contacts.read_address_part(word)
                if spoken != word.lower() and word.lower() not in contacts.WORD_READINGS:
                    start = match.start() + part.start()
                    found.append((start, start + len(word), spoken, "spelled"))
    return found, spans


def _glued_document_number(match: re.Match[str], lexicon: Mapping[str, str]) -> bool:
    """"99KH-UBND" (slash forgotten): the document rule reads it right."""
    glued = re.fullmatch(r"[0-9]{1,4}([A-ZĐ][A-ZĐa-z]*)", match.group(0))
    return bool(glued and glued.group(1) in lexicon and match.string[match.end():match.end() + 1] == "-")


def _shows_in(reading: str, spoken: str) -> bool:
    """Whether ``reading`` occurs as whole words in the spoken line."""
    return bool(re.search(rf"(?<!\w){re.escape(reading.lower())}(?!\w)", spoken.lower()))


def _heading(canonical: str) -> bool:
    """Same test as :func:`content.cleanup.caps_words`: an all-caps line
    with Vietnamese words is a heading, whose short words are words."""
    caps = [t for t in _TOKEN.findall(canonical) if t.isalpha() and t.isupper()]
    return len(caps) >= 2 and any(len(t) > 1 and is_caps_word(t, False) and has_vietnamese_marks(t) for t in caps)


def _classify(token: str, lexicon: Mapping[str, str], heading: bool,
              read: Callable[[str], str]) -> tuple[str, str] | None:
    """(spoken, kind) if ``token`` is read by a guess, else ``None``."""
    if token in lexicon or len(token) < 2:
        return None
    has_digit = any(ch.isdigit() for ch in token)
    has_letter = any(ch.isalpha() for ch in token)
    glued = _GLUED_TO_LEXICON.fullmatch(token)
    if glued and glued.group(1) in lexicon and (glued.group(2).isdigit() or is_vietnamese_syllable(glued.group(2))):
        return None  # "QH13", "UBNDxã": an entry with a number or a word stuck to it
    if has_digit and has_letter:
        if _KNOWN_MIXED.fullmatch(token):
            return None
        return read(token), "code"
    if not has_letter:
        return None
    if token.isupper():
        if is_caps_word(token, heading) or roman_to_int(token) is not None and len(token) > 1 and heading:
            return None
        return spell(token), "unknown_abbreviation"
    if sum(ch.isupper() for ch in token) >= 2 and not token.istitle():
        return token, "unknown_abbreviation"  # "VNeID", "eKYC": left as written
    if token in units.UNITS:
        return None
    lower = token.lower()
    looks_foreign = any(ch in "fjwz" for ch in lower) or (
        not has_vietnamese_marks(token) and not is_syllable_run(lower))
    return (token, "foreign") if looks_foreign else None


def find_unsure(line: str, spoken: str, lexicon: Mapping[str, str], lexicon_pattern: re.Pattern[str] | None,
                read: Callable[[str], str], offset: int = 0) -> list[Unsure]:
    """Unsure spans of one line (no newline inside), offsets shifted by
    ``offset``.

    :param spoken: the line's spoken form; a guess that does not show in it
        was resolved by a rule in context ("T7, CN", "(HTTNV)" dropped
        after its own words, "#ChuyểnĐổiSố") and is not reported.
    :param read: the normaliser for one token, used to say what a code became.
    """
    canonical = canonicalize(line)
    to_original = _offset_map(line, canonical)
    found, address_spans = _address_parts(canonical)
    covered = _covered(canonical, lexicon, lexicon_pattern) + address_spans
    heading = _heading(canonical)
    for match in _TOKEN.finditer(canonical):
        if _inside(match.span(), covered) or _glued_document_number(match, lexicon):
            continue
        verdict = _classify(match.group(0), lexicon, heading, read)
        if verdict and _shows_in(verdict[0], spoken):
            found.append((match.start(), match.end(), *verdict))
    spans = []
    for start, end, spoken, kind in sorted(found):
        a, b = to_original(start), to_original(end)
        if a < b:
            spans.append(Unsure(offset + a, offset + b, line[a:b], spoken, kind))
    return spans
