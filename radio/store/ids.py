"""Ids and counts typed by people: checked to a range before they reach SQLite.

SQLite integers stop at 2**63 - 1; a 23-digit id in a URL would overflow
(``OverflowError``) deep in a query, so every id is checked here first.
"""

from __future__ import annotations

from radio.errors import NotFoundError, ValidationError

MAX_ID = 2**53  # beyond any row count a station reaches; also safe in JSON


def parse_id(value: object, what: str) -> int:
    """*value* as a row id, or :class:`NotFoundError` naming *what* ("Bulletin", "Slot").

    :raise NotFoundError: not a whole number between 1 and :data:`MAX_ID`.
    """
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 16 or not 1 <= int(text) <= MAX_ID:
        shown = text if len(text) <= 30 else text[:27] + "..."
        raise NotFoundError(f'{what} "{shown}" does not exist.')
    return int(text)


def parse_count(value: object, what: str, *, low: int, high: int) -> int:
    """A whole number typed by someone, within ``low..high`` (e.g. a cap in minutes).

    Rejects ``²`` and other Unicode digits that ``int()`` would choke on or accept.
    """
    text = str(value).strip()
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()):
        shown = text if len(text) <= 30 else text[:27] + "..."
        raise ValidationError(f'{what} "{shown}" is not a whole number.')
    # 30 nines must not reach int(): the range check is done on the length first
    number = int(text) if len(digits) <= 18 else (-1 if text.startswith("-") else 1) * 10**18
    if not low <= number <= high:
        raise ValidationError(f"{what} must be between {low} and {high}.")
    return number


def ascii_int(value: object) -> int:
    """``int(value)`` for a whole number written in ASCII digits (an optional sign, spaces
    around); the caller checks the range.

    ``int()`` alone takes ``"٣"`` (3) and ``"1_0"`` (10); here each is a
    :class:`ValueError`, as ``int("x")`` is.
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:  # a spreadsheet's 3.0
        return int(value)
    text = str(value).strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 4000:  # int()'s own limit is 4300
        raise ValueError(value)
    return int(text)
