"""Letter names, and telling an acronym from a capitalised word.

A TTS engine given "PCI" says something English; a listener expects the
Vietnamese letter names *pê xê i*.  Conversely an all-caps heading such as
"MỤC ĐÍCH" must be read as words, not spelled.  The deciding rule is
whether the token is one well-formed Vietnamese syllable.
"""

from __future__ import annotations

import functools
import re

from content.unicode_forms import has_vietnamese_marks, strip_tones

LETTER_NAMES = {
    "a": "a", "ă": "á", "â": "ớ", "b": "bê", "c": "xê", "d": "dê", "đ": "đê",
    "e": "e", "ê": "ê", "f": "ép", "g": "giê", "h": "hát", "i": "i", "j": "gi",
    "k": "ca", "l": "e lờ", "m": "em mờ", "n": "en nờ", "o": "o", "ô": "ô",
    "ơ": "ơ", "p": "pê", "q": "qui", "r": "e rờ", "s": "ét", "t": "tê",
    "u": "u", "ư": "ư", "v": "vê", "w": "vê kép", "x": "ích", "y": "i dài",
    "z": "dét",
}

_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(?:ng|nh|ch|[cmnpt])?$"
)


def letter_name(letter: str) -> str:
    """Vietnamese name of one letter; unknown characters are returned as is."""
    base = strip_tones(letter.lower())
    return LETTER_NAMES.get(base, letter.lower())


def spell(token: str) -> str:
    """Spell a token letter by letter ("ABC" → "a bê xê")."""
    return " ".join(letter_name(ch) for ch in token if ch.isalpha())


def is_vietnamese_syllable(word: str) -> bool:
    """True if ``word`` has the shape onset + vowels + final of one syllable."""
    return bool(_SYLLABLE.match(strip_tones(word.lower())))


def is_caps_word(word: str, in_heading: bool) -> bool:
    """Whether an all-caps token should be read as a word (lower-cased).

    Two-letter tokens without diacritics ("TU", "CA") are more often
    acronyms than words outside headings, so they are spelled there.
    """
    if not is_vietnamese_syllable(word):
        return False
    return in_heading or has_vietnamese_marks(word) or len(word) >= 3


@functools.lru_cache(maxsize=4096)
def is_syllable_run(word: str) -> bool:
    """True if ``word`` (letters only) splits into Vietnamese syllables:
    "dichvucong" (dich-vu-cong) does, "ubnd" and "vneid" do not."""
    word = strip_tones(word.lower())
    if not word:
        return False
    return any(_SYLLABLE.match(word[:end]) and (end == len(word) or is_syllable_run(word[end:]))
               for end in range(min(len(word), 7), 0, -1))
