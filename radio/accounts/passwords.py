"""Password policy: long enough, not a well-known password, not guessable from the
station or the account.

The list of common passwords ships in the package (``data/common_passwords.txt``,
its source is cited at the top of the file). Checks compare case-insensitively
and without Vietnamese marks (``Đức`` is ``duc``), so ``Password123`` is as
refused as ``password123``.

Beyond the list, a password is refused when little of it is left after taking
out what a guesser tries first: runs of one character or of a
short unit repeated (``1111111111``, ``abab``), sequential runs of three or more
(``abcdefghij``, ``12345678901``, ``9876``, keyboard rows like ``qwerty``),
years (``2026``), the username and the words of the station's name
(``minhduc2026`` for "Đài truyền thanh xã Minh Đức").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib.resources import files

from radio.errors import ValidationError

MIN_LENGTH = 10
MAX_LENGTH = 200  # scrypt of a megabyte-long "password" is a cheap denial of service
#: letters and digits that must be left once the guessable parts are taken out
MIN_OWN_CHARS = 6
#: sequences a guesser walks along (each is also tried backwards)
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
#: words of a station's name that do not tell one station from another
_GENERIC_WORDS = frozenset({"dai", "truyen", "thanh", "phat", "xa", "phuong", "thi", "tran", "huyen",
                            "quan", "tinh", "thanh", "pho", "ubnd", "uy", "ban", "nhan", "dan", "loa"})


@functools.cache
def common_passwords() -> frozenset[str]:
    text = files("radio.accounts").joinpath("data", "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _fold(text: str) -> str:
    """Letters and digits only, lower-case, without Vietnamese marks: "Xã Minh-Đức" → "xaminhduc"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c)).lower()


def _words(name: str) -> list[str]:
    return [w for w in (_fold(part) for part in re.split(r"[\W_]+", name or "")) if w]


def _distinctive_name(station_name: str) -> str:
    """The part of a station's name that is its own: "Đài truyền thanh xã Minh Đức" → "minhduc"."""
    words = _words(station_name)
    while words and words[0] in _GENERIC_WORDS:
        words.pop(0)
    return "".join(words)


def _runs(folded: str) -> list[tuple[int, int]]:
    """Spans of *folded* walking along a sequence (3 characters or more)."""
    spans, i = [], 0
    while i < len(folded):
        best = i
        for sequence in _SEQUENCES:
            for seq in (sequence, sequence[::-1]):
                j = i + 1
                while j < len(folded) and seq.find(folded[i:j + 1]) >= 0:
                    j += 1
                best = max(best, j)
        if best - i >= 3:
            spans.append((i, best))
            i = best
        else:
            i += 1
    return spans


def _own_part(folded: str, names: list[str]) -> str:
    """What is left of *folded* once the guessable parts are taken out."""
    for name in sorted(names, key=len, reverse=True):
        if len(name) >= 3:
            folded = folded.replace(name, " ")
    folded = re.sub(r"(?:19|20)\d\d", " ", folded)
    # a unit repeated, as one copy ("1111" → "1", "abab" → "ab"), then the sequences
    folded = re.sub(r"(.+?)\1+", lambda m: m[1] if len(m[0]) >= 3 else m[0], folded)
    kept, start = [], 0
    for begin, end in _runs(folded):
        kept.append(folded[start:begin])
        start = end
    kept.append(folded[start:])
    return "".join(kept).replace(" ", "")


def check_password(password: str, *, username: str = "", station_name: str = "") -> None:
    """Refuse a weak password (nothing is stored by this function).

    :raise ValidationError: shorter than :data:`MIN_LENGTH`, longer than
        :data:`MAX_LENGTH`, a common password, containing the username or the
        station's name, or guessable (see the module's docstring).
    """
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"Password must have at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise ValidationError(f"Password must have at most {MAX_LENGTH} characters.")
    folded = _fold(password)
    if password.lower() in common_passwords() or (folded and folded in common_passwords()):
        raise ValidationError("This password is one of the most common passwords; choose another.")
    for name in (_fold(username), _fold(station_name), _distinctive_name(station_name)):
        if len(name) >= 3 and name in folded:
            raise ValidationError("The password must not contain the username or the station name.")
    own = _own_part(folded, [_fold(username), *_words(station_name), *_words(username)])
    if len(own) < MIN_OWN_CHARS or own in common_passwords():
        raise ValidationError("This password is too easy to guess (repeated or sequential characters, "
                              "a year, the station's name); add words of your own.")
