"""Read bulletins the culture officer wrote elsewhere: plain text and Word.

:func:`read_document` returns ``(title, text)``; the title is the first
non-empty line or paragraph, and the text is the whole document, paragraphs
separated by blank lines. :func:`import_document` also says when the text's
encoding was guessed. The bulletin made from a document (its title paragraph not
repeated in its text) is :mod:`radio.bulletins.importing`'s, for the admin and the CLI alike.

Uploads come from anyone with an account, and the admin runs in the station's
process: the file's size is checked before parsing, and a .docx (a zip) is
refused as soon as its parts inflate past :data:`MAX_INFLATED_BYTES`, without
inflating the rest.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .decoding import UndecodableError, decode_text

SUPPORTED_SUFFIXES = (".txt", ".docx")
#: largest file accepted (a long bulletin in Word is a few hundred KB)
MAX_FILE_BYTES = 5 * 1024 * 1024
#: largest total a .docx may inflate to (its XML, images included)
MAX_INFLATED_BYTES = 5 * 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ImportedDocument:
    title: str
    text: str
    #: set when the encoding was guessed (Windows-1258, TCVN3): ask the officer to check
    encoding_note: str | None = None


class DocumentError(ValueError):
    """A document cannot be imported; the message says why, in one line."""


def read_document(path: Path) -> tuple[str, str]:
    """Read ``path`` as ``(title, text)`` (see :func:`import_document`)."""
    document = import_document(path)
    return document.title, document.text


def import_document(path: Path) -> ImportedDocument:
    """Read ``path`` as a bulletin's title and text.

    :raises DocumentError: for an unsupported type, a file too large, an
        undecodable or unreadable file, a .docx that inflates too far, or a
        document with no text.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix if len(suffix) <= 12 else suffix[:10] + "…"
        raise DocumentError(
            f"{_short(path.name)}: cannot import '{shown or 'no extension'}' files; "
            f"supported: {', '.join(SUPPORTED_SUFFIXES)}")
    if not path.is_file():
        raise DocumentError(f"{_short(path.name)}: no such file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DocumentError(f"{_short(path.name)}: the file is {size // 1024} KB; "
                            f"the limit is {MAX_FILE_BYTES // 1024} KB")
    note = None
    if suffix == ".txt":
        blocks, note = _read_txt(path)
    else:
        blocks = _read_docx(path)
    blocks = [" ".join(block.split()) for block in blocks]
    blocks = [block for block in blocks if block]
    if not blocks:
        raise DocumentError(f"{_short(path.name)}: the document has no text")
    return ImportedDocument(blocks[0], "\n\n".join(blocks), note)


def _short(name: str) -> str:
    return name if len(name) <= 80 else name[:60] + "…" + name[-15:]


def _read_txt(path: Path) -> tuple[list[str], str | None]:
    """Paragraphs of a text file in any encoding :func:`content.decoding.decode_text` knows."""
    try:
        decoded = decode_text(path.read_bytes())
    except UndecodableError as error:
        raise DocumentError(f"{_short(path.name)}: {error}; save it as UTF-8 and retry") from None
    note = None
    if decoded.guessed:
        label = {"windows-1258": "Windows-1258", "tcvn3": "TCVN3 (ABC)"}.get(decoded.encoding, decoded.encoding)
        note = f"The file was read as {label} text; check the accents before sending it for approval."
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    # Paragraphs are separated by blank lines; single line breaks inside a
    # paragraph are kept as lines of their own (headings, list items).
    return text.split("\n"), note


def _check_inflated_size(path: Path) -> None:
    """Refuse a zip whose parts inflate past :data:`MAX_INFLATED_BYTES` (a zip bomb).

    The sizes in the zip's directory can lie, so the parts are inflated here in
    small chunks and counted, stopping at the limit: memory stays at one chunk
    and time at a few megabytes' worth, whatever the file claims.
    """
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if total + info.file_size > MAX_INFLATED_BYTES:
                    raise DocumentError(_too_big(path))
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > MAX_INFLATED_BYTES:
                            raise DocumentError(_too_big(path))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, OSError,
            EOFError) as error:
        raise DocumentError(
            f"{_short(path.name)}: not a readable Word .docx file ({type(error).__name__})") from None


def _too_big(path: Path) -> str:
    return (f"{_short(path.name)}: the document inflates past {MAX_INFLATED_BYTES // (1024 * 1024)} MB "
            "when opened; it is not an ordinary bulletin")


def _read_docx(path: Path) -> list[str]:
    """Paragraphs and table cells of a .docx, in document order."""
    _check_inflated_size(path)

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml.etree import XMLSyntaxError

    # a damaged file fails in the zip layer (bad CRC, bad deflate data), the XML
    # parser or python-docx's own checks; each is the same "not readable" to the officer
    unreadable = (PackageNotFoundError, zipfile.BadZipFile, zlib.error, XMLSyntaxError, KeyError,
                  ValueError, SyntaxError, EOFError)
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
            f"{_short(path.name)}: not a readable Word .docx file ({type(error).__name__})") from None
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
