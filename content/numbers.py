"""Read numerals the way a Vietnamese announcer says them.

The conventions follow northern broadcast usage: ``21`` is *hai mươi mốt*,
``25`` *hai mươi lăm*, ``24`` *hai mươi tư*, ``105`` *một trăm linh năm* and
``2022`` *hai nghìn không trăm hai mươi hai*.  Everything here is a pure
function of its argument so it can be unit-tested in isolation.
"""

from __future__ import annotations

DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")

#: Names of successive groups of three digits.  Above a thousand billion the
#: spoken form becomes clumsy, so longer numbers are read digit by digit.
GROUP_NAMES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ")

#: Integers from this value on are read digit by digit (see :func:`read_int`).
DIGIT_BY_DIGIT_FROM = 10**15


def read_digits(digits: str) -> str:
    """Read a string of ASCII digits one by one (phone numbers, codes)."""
    return " ".join(DIGIT_WORDS[int(d)] for d in digits if d.isdigit() and d.isascii())


def _read_units_after_tens(unit: int) -> str:
    """The unit word after *mươi*: 1, 4 and 5 change their sound there."""
    return {0: "", 1: "mốt", 4: "tư", 5: "lăm"}.get(unit, DIGIT_WORDS[unit])


def _read_group(value: int, with_hundreds: bool) -> str:
    """Read 0..999.

    :param with_hundreds: say "không trăm" and "linh" even when the hundreds
        digit is zero, as needed for every group but the leading one
        (1.005 → *một nghìn không trăm linh năm*).
    """
    hundreds, rest = divmod(value, 100)
    tens, unit = divmod(rest, 10)
    words: list[str] = []
    if hundreds or with_hundreds:
        words += [DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0:
        if unit:
            words += (["linh"] if words else []) + [DIGIT_WORDS[unit]]
    elif tens == 1:
        words.append("mười")
        if unit:
            words.append("lăm" if unit == 5 else DIGIT_WORDS[unit])
    else:
        words += [DIGIT_WORDS[tens], "mươi"]
        if unit:
            words.append(_read_units_after_tens(unit))
    return " ".join(words)


def read_int(value: int) -> str:
    """Spoken form of a non-negative integer.

    >>> read_int(1500000)
    'một triệu năm trăm nghìn'
    """
    if value < 0:
        return "âm " + read_int(-value)
    if value == 0:
        return "không"
    if value >= DIGIT_BY_DIGIT_FROM:
        return read_digits(str(value))
    if value >= 10**12:
        return read_billions(value)
    groups: list[int] = []
    while value:
        value, group = divmod(value, 1000)
        groups.append(group)
    words: list[str] = []
    leading = len(groups) - 1
    for index in range(leading, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words.append(_read_group(group, with_hundreds=index != leading))
        if GROUP_NAMES[index]:
            words.append(GROUP_NAMES[index])
    return " ".join(words)


def read_billions(value: int) -> str:
    """Counted in tỷ from a thousand billion up, as news reads budgets:
    12.345.000.000.000 → *mười hai nghìn ba trăm bốn mươi lăm tỷ*,
    2.500.000.000.000.000 → *hai triệu năm trăm nghìn tỷ*.
    """
    billions, rest = divmod(value, 10**9)
    spoken = f"{read_int(billions) if billions < 10**12 else read_billions(billions)} tỷ"
    # The rest is read as it would follow "một tỷ", so its zero groups say
    # "không trăm": 1.000.000.000.005 → "một nghìn tỷ không trăm linh năm".
    return spoken + (" " + read_int(10**9 + rest).removeprefix("một tỷ ") if rest else "")


def read_integer_text(digits: str) -> str:
    """Read a digit string as a quantity.

    Leading zeros are dropped ("02 cuộc" → *hai cuộc*) unless the string is
    long enough to be a code rather than a quantity, then it is spelled.
    """
    digits = "".join(d for d in digits if d.isascii() and d.isdigit())
    if not digits:
        return ""
    if len(digits) > 3 and digits.startswith("0"):
        return read_digits(digits)
    if len(digits) > 15:
        return read_digits(digits)
    return read_int(int(digits))


def read_grouped_integer(digits: str) -> str:
    """A quantity written with thousand separators ("2.500.000.000.000.000"):
    never a code, so read in tỷ even past the digit-by-digit limit."""
    digits = "".join(d for d in digits if d.isascii() and d.isdigit())
    if not digits:
        return ""
    value = int(digits)
    return read_billions(value) if value >= 10**12 and len(digits) <= 24 else read_integer_text(digits)


def read_fraction_digits(digits: str) -> str:
    """Read the part after the decimal comma.

    One or two digits without a leading zero are read as a number
    (12,25 → *mười hai phẩy hai mươi lăm*); otherwise digit by digit so that
    12,05 is not confused with 12,5.
    """
    if len(digits) <= 2 and not digits.startswith("0"):
        return read_int(int(digits))
    return read_digits(digits)


def read_numeral(text: str) -> str:
    """Read a written Vietnamese numeral: ``.`` groups thousands, ``,`` is the
    decimal mark (``1.500.000``, ``12,5``, ``1.234,75``)."""
    integer_part, _, fraction = text.partition(",")
    grouped = "." in integer_part
    integer_part = integer_part.replace(".", "")
    spoken = (read_grouped_integer(integer_part) if grouped else read_integer_text(integer_part)) or "không"
    if fraction:
        spoken += " phẩy " + read_fraction_digits(fraction)
    return spoken


def read_month(month: int) -> str:
    """Month number after *tháng*: April is *tháng tư*, not *tháng bốn*."""
    return "tư" if month == 4 else read_int(month)


def read_ordinal(value: int) -> str:
    """Ordinal after *thứ*: 1 → *nhất*, 4 → *tư* (thứ tư, lần thứ tư)."""
    return {1: "nhất", 4: "tư"}.get(value) or read_int(value)


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(numeral: str) -> int | None:
    """Value of a well-formed Roman numeral, or ``None`` if it is not one.

    Well-formedness is checked by converting back, so "IIII" or "VX" (which
    are more likely letters than numbers) are rejected.
    """
    numeral = numeral.upper()
    if not numeral or any(ch not in _ROMAN_VALUES for ch in numeral):
        return None
    total = 0
    for ch, nxt in zip(numeral, numeral[1:] + " "):
        value = _ROMAN_VALUES[ch]
        total += -value if value < _ROMAN_VALUES.get(nxt, 0) else value
    return total if total > 0 and int_to_roman(total) == numeral else None


def int_to_roman(value: int) -> str:
    """Canonical Roman numeral of ``value`` (used to validate input)."""
    pairs = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
             (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for amount, symbol in pairs:
        count, value = divmod(value, amount)
        out.append(symbol * count)
    return "".join(out)
