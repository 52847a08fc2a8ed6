"""Decoding the text files a commune office saves, without asking which encoding.

Tried in order: a byte-order mark (UTF-8, UTF-16 LE/BE), strict UTF-8, UTF-16
without a mark (detected from its zero bytes), then the two legacy Vietnamese
8-bit encodings still found on office PCs: Windows-1258 and TCVN3 (ABC, the
".VnTime" fonts). The legacy guess is scored by how Vietnamese the result
reads; :attr:`Decoded.guessed` says the officer should check the result.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

# TCVN 5712:1993 (VN1, a superset of TCVN3/ABC) bytes 0x80-0xFF; below 0x80 is
# ASCII (its C0 letters are left out: they would eat line breaks). Taken from
# glibc's TCVN5712-1 converter.
_TCVN_HIGH = (
    '\xc0\u1ea2\xc3\xc1\u1ea0\u1eb6\u1eac\xc8\u1eba\u1ebc\xc9\u1eb8\u1ec6\xcc\u1ec8\u0128'
    '\xcd\u1eca\xd2\u1ece\xd5\xd3\u1ecc\u1ed8\u1edc\u1ede\u1ee0\u1eda\u1ee2\xd9\u1ee6\u0168'
    '\xa0\u0102\xc2\xca\xd4\u01a0\u01af\u0110\u0103\xe2\xea\xf4\u01a1\u01b0\u0111\u1eb0'
    '\u0300\u0309\u0303\u0301\u0323\xe0\u1ea3\xe3\xe1\u1ea1\u1eb2\u1eb1\u1eb3\u1eb5\u1eaf\u1eb4'
    '\u1eae\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0\u1eb7\u1ea7\u1ea9\u1eab\u1ea5\u1ead\xe8\u1ec2\u1ebb\u1ebd'
    '\xe9\u1eb9\u1ec1\u1ec3\u1ec5\u1ebf\u1ec7\xec\u1ec9\u1ec4\u1ebe\u1ed2\u0129\xed\u1ecb\xf2'
    '\u1ed4\u1ecf\xf5\xf3\u1ecd\u1ed3\u1ed5\u1ed7\u1ed1\u1ed9\u1edd\u1edf\u1ee1\u1edb\u1ee3\xf9'
    '\u1ed6\u1ee7\u0169\xfa\u1ee5\u1eeb\u1eed\u1eef\u1ee9\u1ef1\u1ef3\u1ef7\u1ef9\xfd\u1ef5\u1ed0'
)
_TCVN3_TABLE = "".join(chr(n) for n in range(128)) + _TCVN_HIGH

_VOWELS = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ"
#: one Vietnamese syllable (lower case, NFC): onset, one to three vowels, coda
_SYLLABLE = re.compile(
    rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnpqrstvx])?[{_VOWELS}]{{1,3}}(?:ch|ng|nh|[cmnpt])?")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str       # "utf-8", "utf-16-le", "windows-1258", "tcvn3", ...
    guessed: bool       # a legacy encoding was guessed: the officer should check the text


class UndecodableError(ValueError):
    """No known encoding reads the bytes."""


def decode_text(raw: bytes) -> Decoded:
    """Decode *raw* (see the module doc for the order tried).

    :raise UndecodableError: nothing fits (e.g. binary data).
    """
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[len(codecs.BOM_UTF8):], "utf-8")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16")
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return utf16
    if b"\x00" in raw:
        raise UndecodableError("binary data (zero bytes), not text")
    candidates = [(_score(text), name, text) for name, text in (
        ("windows-1258", _cp1258(raw)), ("tcvn3", raw.decode("latin-1").translate(_TCVN3_MAP)))
        if text is not None]
    score, name, text = max(candidates)
    if score < 0.8:
        raise UndecodableError("not UTF-8, UTF-16, Windows-1258 or TCVN3 text")
    return Decoded(unicodedata.normalize("NFC", text), name, True)


_TCVN3_MAP = {n: ord(c) for n, c in enumerate(_TCVN3_TABLE) if n >= 128}


def _strict(raw: bytes, encoding: str) -> Decoded:
    try:
        return Decoded(raw.decode(encoding), encoding, False)
    except UnicodeDecodeError as error:
        raise UndecodableError(f"not {encoding.upper()} text (undecodable byte at position {error.start})") from None


def _utf16_without_bom(raw: bytes) -> Decoded | None:
    """UTF-16 is told by its zero bytes: ASCII letters, spaces and digits have a zero high byte."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    half = len(raw) // 2
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= 0.2 * half and other <= 0.02 * half:
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            return Decoded(text, encoding, False)
    return None


def _cp1258(raw: bytes) -> str | None:
    try:
        return raw.decode("cp1258")
    except UnicodeDecodeError:
        return None


def _score(text: str) -> float:
    """Share of the words with non-ASCII letters that are Vietnamese syllables.

    A wrong 8-bit guess still yields letters (TCVN3 maps almost every byte to
    one), but not syllables: two tone marks, or a vowel cluster no word has.
    """
    words = [w for w in _WORD.findall(unicodedata.normalize("NFC", text).lower()) if not w.isascii()]
    if not words:
        return 1.0
    good = sum(1 for w in words if _SYLLABLE.fullmatch(w)
               and sum(c in _TONES for c in unicodedata.normalize("NFD", w)) <= 1)
    return good / len(words)
