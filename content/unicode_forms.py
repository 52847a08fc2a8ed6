"""Bring Vietnamese text to one Unicode spelling before any matching.

The same word reaches us in several byte forms: NFC or NFD (decomposed text
pasted from PDF or macOS), and with the tone mark on either vowel of the
open syllables *oa*, *oe*, *uy* (``hòa``/``hoà``, ``Ủy``/``Uỷ``).  Matching
the lexicon or any rule on such variants would silently miss, so every
entry point goes through :func:`canonicalize` first.  The classic placement
(``hòa``, ``khỏe``, ``thủy``, ``Ủy``) is chosen because it is the one most
administrative documents use.
"""

from __future__ import annotations

import re
import unicodedata

#: The five combining tone marks (huyền, sắc, ngã, hỏi, nặng).
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"

# In NFD, an open syllable ending in oa/oe/uy with the tone on its second
# vowel.  "qu" is a consonant, so "quý" keeps its mark on "y".  The
# lookahead also refuses combining marks so "hoặc" (a + breve) is untouched.
_MOVABLE_TONE = re.compile(
    rf"(?<![qQ])([oO][aAeE]|[uU][yY])([{TONE_MARKS}])(?![\w\u0300-\u036f])"
)


def _move_tone_to_first_vowel(match: re.Match[str]) -> str:
    """``o`` + ``a`` + tone → ``o`` + tone + ``a`` (NFD)."""
    pair, tone = match.group(1), match.group(2)
    return pair[0] + tone + pair[1]


def _ascii_digits(text: str) -> str:
    """Replace other scripts' decimal digits with ASCII ones so that every
    later rule only has to know ``[0-9]``."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch
        for ch in text
    )


def canonicalize(text: str) -> str:
    """NFC text with classic tone placement and ASCII digits."""
    decomposed = unicodedata.normalize("NFD", text)
    decomposed = _MOVABLE_TONE.sub(_move_tone_to_first_vowel, decomposed)
    return _ascii_digits(unicodedata.normalize("NFC", decomposed))


def strip_tones(text: str) -> str:
    """Remove tone marks but keep vowel quality (ơ, ư, â, ă, ê, ô)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))


def has_vietnamese_marks(word: str) -> bool:
    """True if the word carries any diacritic or the letter đ."""
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", word)) or (
        "đ" in word.lower()
    )
