"""Turn written administrative Vietnamese into what an announcer says.

The public API is :func:`normalize` and :func:`normalize_lines`.  Text is
processed line by line through an ordered list of small passes (see
:data:`PASSES`); the order matters because later passes rely on earlier
ones having consumed their patterns (phone numbers before numerals, dashed
dates before ranges, the lexicon before all-caps spelling...).

Line contract: ``normalize(text)`` returns exactly ``len(text.split("\\n"))``
lines.  A ``"\\r"`` (Windows line ending) or any other line-breaking
character inside a line is treated as a space, so ``"a\\r\\nb"`` gives
``"a\\nb"``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from content import cleanup, contacts, dates, document_numbers, durations, money, quantities, ranges, slips, structure, units
from content.lexicon import load_lexicon
from content.unsure import Unsure, find_unsure
from content.spelling import spell
from content.unicode_forms import canonicalize, strip_tones

Lexicon = Mapping[str, str]
LinePass = Callable[[str, Lexicon], str]


@functools.lru_cache(maxsize=8)
def _lexicon_pattern(keys: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of all keys, longest first, bounded so that "CA"
    does not match inside "CAND" nor "TT" inside "TTHC"."""
    if not keys:
        return None
    alternation = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)" if alternation else r"(?!)")


def expand_abbreviations(line: str, lexicon: Lexicon) -> str:
    """Replace lexicon keys (case-sensitive, whole tokens, longest first)."""
    pattern = _lexicon_pattern(tuple(sorted(lexicon)))
    if pattern is None:
        return line
    line = pattern.sub(lambda m: f" {lexicon[m.group(0)]} ", line)

    def glued(match: re.Match[str]) -> str:
        expansion = lexicon.get(match.group(1))
        return f" {expansion} {match.group(2)} " if expansion else match.group(0)
    # "QH13", "HU10": a known abbreviation glued to a term or session number.
    return _GLUED_NUMBER.sub(glued, line)


_GLUED_NUMBER = re.compile(r"(?<![\w/.-])([A-ZĐ][A-ZĐa-zđ]*[A-ZĐ])([0-9]{1,3})(?![\w/]|[.,][0-9])")


def drop_defined_abbreviations(line: str, lexicon: Lexicon) -> str:
    """"cải cách hành chính (CCHC)" → "cải cách hành chính".

    Documents define an abbreviation by writing it in brackets after its
    expansion; read aloud that would say the same words twice.
    """
    def drop(match: re.Match[str]) -> str:
        expansion = lexicon.get(match.group(1), "").lower()
        before = match.string[: match.start()].rstrip().lower()
        if expansion and before.endswith(expansion):
            return " "
        return " " if _initials_match(match.group(1), before) else match.group(0)
    return re.sub(r"\s*\(\s*([^()]{1,20}?)\s*\)", drop, line)


def _initials_match(acronym: str, before: str) -> bool:
    """True if an all-caps ``acronym`` is made of the initials of the words
    just before it: "Hoàn thành tốt nhiệm vụ (HTTNV)"."""
    if not (2 <= len(acronym) <= 10 and acronym.isalpha() and acronym.isupper()):
        return False
    words = re.findall(r"[^\W\d_]+", before)[-len(acronym):]
    if len(words) != len(acronym):
        return False
    initials = "".join(strip_tones(w[0]).upper() for w in words)
    return initials == strip_tones(acronym).upper()


def _spell_or_expand(lexicon: Lexicon) -> Callable[[str], str]:
    return lambda token: lexicon.get(token) or spell(token)


def _only_line(fn: Callable[[str], str]) -> LinePass:
    """Adapt a lexicon-free pass to the pipeline signature."""
    def run(line: str, _lexicon: Lexicon) -> str:
        return fn(line)
    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    return run


#: The pipeline, in order.  Each pass is documented where it is defined.
PASSES: tuple[LinePass, ...] = (
    _only_line(cleanup.emoji),
    _only_line(structure.drop_bullets),
    _only_line(structure.heading_numbers),
    _only_line(structure.signing_marks),
    _only_line(structure.letter_items),
    _only_line(cleanup.footnotes),
    _only_line(contacts.addresses),
    slips.glued_abbreviations,
    _only_line(slips.missing_spaces),
    _only_line(slips.dates_as_names),
    _only_line(cleanup.hashtags),
    _only_line(document_numbers.road_numbers),
    _only_line(contacts.phone_numbers),
    lambda line, lex: document_numbers.document_numbers(line, lex, _spell_or_expand(lex)),
    _only_line(quantities.quarters_of_year),
    _only_line(quantities.roman_numerals_in_context),
    _only_line(durations.clock_seconds_and_durations),
    _only_line(ranges.shared_month_dates),
    _only_line(money.signs),
    _only_line(dates.dashed_dates),
    _only_line(ranges.unit_ranges),
    _only_line(money.colloquial_money),
    _only_line(quantities.ranges),
    _only_line(dates.clock_times),
    _only_line(dates.slashed_dates),
    _only_line(dates.month_names),
    _only_line(quantities.ratios),
    _only_line(quantities.ordinals),
    _only_line(quantities.weekdays),
    _only_line(quantities.level_lists),
    drop_defined_abbreviations,
    expand_abbreviations,
    _only_line(units.units),
    _only_line(quantities.numerals),
    _only_line(cleanup.caps_words),
    _only_line(cleanup.slashes),
    _only_line(cleanup.dashes),
    _only_line(cleanup.symbols),
    _only_line(cleanup.spacing),
)

_LINE_BREAKS_INSIDE_LINE = re.compile(r"[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def _normalize_line(line: str, lexicon: Lexicon) -> str:
    """Run every pass over one line.

    A pass that fails on some pathological input is skipped rather than
    allowed to raise: the station must keep broadcasting, and the other
    passes still improve the line.
    """
    try:
        line = canonicalize(line)
    except Exception:  # noqa: BLE001 - see docstring
        pass
    line = _LINE_BREAKS_INSIDE_LINE.sub(" ", line)
    for line_pass in PASSES:
        try:
            line = line_pass(line, lexicon)
        except Exception:  # noqa: BLE001 - see docstring
            continue
    return line.replace("\n", " ")


def _resolve_lexicon(lexicon: Lexicon | None) -> dict[str, str]:
    """The shipped lexicon, with the caller's entries winning."""
    try:
        return load_lexicon(lexicon)
    except Exception:  # noqa: BLE001 - a broken data file must not stop speech
        return {}


def normalize_lines(lines: Iterable[str], lexicon: Lexicon | None = None) -> Iterator[str]:
    """Spoken form of each line; one output per input line.

    :param lexicon: station entries merged over the shipped lexicon.
    """
    resolved = _resolve_lexicon(lexicon)
    for line in lines:
        yield _normalize_line(str(line), resolved)


def normalize(text: str, lexicon: Lexicon | None = None) -> str:
    """Spoken form of ``text``, line for line (see module docstring).

    :param text: written text, NFC or NFD, any tone-mark placement.
    :param lexicon: station overrides (local names...) over the shipped one.
    :return: text safe to hand to gTTS or espeak-ng; never raises.
    """
    try:
        lines = str(text).split("\n")
    except Exception:  # noqa: BLE001 - e.g. a str subclass with a broken __str__
        return ""
    return "\n".join(normalize_lines(lines, lexicon))


@dataclass(frozen=True)
class Analysis:
    """The spoken form of a text and the spans read by a guess.

    :ivar spoken: exactly what :func:`normalize` returns.
    :ivar unsure: spans with offsets into the original text, in order.
    """

    spoken: str
    unsure: list[Unsure] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-able form for the admin editor."""
        return {"spoken": self.spoken, "unsure": [u.to_dict() for u in self.unsure]}


def analyse(text: str, lexicon: Lexicon | None = None) -> Analysis:
    """Spoken form of ``text`` plus where the normaliser had to guess
    (see :mod:`content.unsure`).  Never raises; a station entry for a
    term (``lexicon``) makes its span disappear.

    :param text: written text, any number of lines.
    :param lexicon: station overrides, as for :func:`normalize`.
    """
    try:
        text = str(text)
    except Exception:  # noqa: BLE001 - e.g. a str subclass with a broken __str__
        return Analysis("")
    resolved = _resolve_lexicon(lexicon)
    spoken_lines, unsure = [], []
    pattern = _lexicon_pattern(tuple(sorted(resolved)))
    offset = 0
    for line in text.split("\n"):
        spoken_lines.append(_normalize_line(line, resolved))
        try:
            unsure += find_unsure(_LINE_BREAKS_INSIDE_LINE.sub(" ", line), spoken_lines[-1], resolved, pattern,
                                  lambda token: _normalize_line(token, resolved), offset)
        except Exception:  # noqa: BLE001 - a detection bug must not stop speech
            pass
        offset += len(line) + 1
    return Analysis("\n".join(spoken_lines), unsure)
