"""Text typed by people, checked once before it is stored: one validator for the web,
the CLI and the API.

A NUL typed in a topic broke every CSV export (SQLite's text functions stop at
it) and a control character in a target's topic made the Word export fail
(XML 1.0 cannot hold it). So every stored field goes through :func:`clean_line`
(one line: topics, names, titles of the log, reasons) or :func:`clean_text`
(several lines): tabs and line breaks become spaces in a line, a tab stays in
text; any other control character (C0, DEL, C1), a lone surrogate and the
non-characters U+FFFE/U+FFFF are refused with the character named; the rest is
NFC-normalised and stripped.

Exports read rows stored before this check: :func:`xml_safe` drops what an XML
document cannot hold, on the way out.
"""

from __future__ import annotations

import re
import unicodedata

from radio.errors import ValidationError

#: what no stored field may hold (tab, line feed and carriage return are handled apart)
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: what an XML 1.0 document (DOCX, XLSX) cannot hold
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def no_controls(value: object, what: str) -> str:
    """*value* as text, refused if it holds a control character (kept as it is otherwise)."""
    text = "" if value is None else value if isinstance(value, str) else str(value)
    bad = _REFUSED.search(text)
    if bad:
        raise ValidationError(f"{what} contains a control character (U+{ord(bad[0]):04X}); remove it.")
    return text


def clean_line(value: object, what: str, *, max_chars: int | None = None) -> str:
    """One line of text: tabs and line breaks as spaces, NFC, stripped.

    :param what: the field, capitalised, as the message names it ("Topic")
    :raise ValidationError: a control character, or longer than *max_chars*
    """
    text = no_controls(value, what)
    text = unicodedata.normalize("NFC", re.sub(r"[\t\r\n]", " ", text)).strip()
    if max_chars is not None and len(text) > max_chars:
        raise ValidationError(f"{what} is {len(text)} characters; the limit is {max_chars}.")
    return text


def clean_text(value: object, what: str, *, max_chars: int | None = None) -> str:
    """Several lines of text: ``\\r\\n`` as ``\\n``, tabs kept, NFC, stripped.

    :raise ValidationError: a control character, or longer than *max_chars*
    """
    text = no_controls(value, what).replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text).strip()
    if max_chars is not None and len(text) > max_chars:
        raise ValidationError(f"{what} is {len(text)} characters; the limit is {max_chars}.")
    return text


def xml_safe(value):
    """*value* without the characters an XML document cannot hold (rows stored before
    :func:`clean_line` existed); anything but text is returned as it is."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value
