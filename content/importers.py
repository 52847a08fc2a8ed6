"""Read bulletins the culture officer wrote elsewhere: plain text and Word.

:func:`read_document` returns ``(title, text)``; the title is the first
non-empty line or paragraph, and the text is the whole document, paragraphs
separated by blank lines.
"""

from __future__ import annotations

import codecs
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".docx")


class DocumentError(ValueError):
    """A document cannot be imported; the message says why, in one line."""


def read_document(path: Path) -> tuple[str, str]:
    """Read ``path`` as ``(title, text)``.

    :raises DocumentError: for an unsupported type, an undecodable or
        unreadable file, or a document with no text.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            f"{path.name}: cannot import '{suffix or 'no extension'}' files; "
            f"supported: {', '.join(SUPPORTED_SUFFIXES)}")
    if not path.is_file():
        raise DocumentError(f"{path.name}: no such file")
    blocks = _read_txt(path) if suffix == ".txt" else _read_docx(path)
    blocks = [" ".join(block.split()) for block in blocks]
    blocks = [block for block in blocks if block]
    if not blocks:
        raise DocumentError(f"{path.name}: the document has no text")
    return blocks[0], "\n\n".join(blocks)


def _read_txt(path: Path) -> list[str]:
    """Paragraphs of a UTF-8 (with or without BOM) or BOM-marked UTF-16 file."""
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise DocumentError(
            f"{path.name}: not {encoding.upper().replace('-SIG', '')} text "
            f"(undecodable byte at position {error.start}); save it as UTF-8 and retry"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Paragraphs are separated by blank lines; single line breaks inside a
    # paragraph are kept as lines of their own (headings, list items).
    return text.split("\n")


def _read_docx(path: Path) -> list[str]:
    """Paragraphs and table cells of a .docx, in document order."""
    import zipfile
    import zlib

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml.etree import XMLSyntaxError

    # a damaged file fails in the zip layer (bad CRC, bad deflate data), the XML
    # parser or python-docx's own checks; each is the same "not readable" to the officer
    unreadable = (PackageNotFoundError, zipfile.BadZipFile, zlib.error, XMLSyntaxError, KeyError,
                  ValueError, EOFError)
    try:
        document = docx.Document(str(path))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                blocks.append(item.text)
            elif isinstance(item, Table):
                blocks.extend(_table_cells(item))
    except unreadable as error:
        raise DocumentError(
            f"{path.name}: not a readable Word .docx file ({type(error).__name__})") from None
    return blocks


def _table_cells(table) -> list[str]:
    """Each distinct cell's text, row by row (merged cells repeat in python-docx)."""
    cells: list[str] = []
    seen: dict[int, object] = {}  # holds the elements so their ids stay unique
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen[id(cell._tc)] = cell._tc
            cells.extend(paragraph.text for paragraph in cell.paragraphs)
            for nested in cell.tables:
                cells.extend(_table_cells(nested))
    return cells
