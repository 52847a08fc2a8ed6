"""A draft bulletin made from a document written elsewhere (Word .docx or plain text).

One home for what an import does, below the admin's "Nhập từ tệp" and ``radio bulletin
add --file`` alike, so the same file makes the same bulletin through either face (the
same title and text, so the same content hash the leader approves):

- the document's first paragraph is its title; when the bulletin's title is that
  paragraph, the text starts after it, because speech reads the title first and a
  repeated paragraph would be read twice on air;
- a text file whose encoding was guessed (Windows-1258, TCVN3) comes back with a note
  the face shows, asking the officer to check the accents before approval.

Reading the file (its size, type, zip-bomb and encoding rules) is
:func:`content.importers.import_document`; its :class:`~content.importers.DocumentError`
reaches the caller unchanged, its message naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from content.importers import DocumentError, ImportedDocument, import_document
from content.sections import drop_title
from radio.accounts.roles import Actor, require
from radio.bulletins.lifecycle import add_bulletin

__all__ = ["DocumentError", "ImportedBulletin", "bulletin_text", "import_bulletin"]


@dataclass(frozen=True)
class ImportedBulletin:
    id: int
    title: str
    text: str
    #: set when the file's encoding was guessed: the face shows it to whoever imported
    encoding_note: str | None = None


def bulletin_text(document: ImportedDocument, title: str | None = None) -> tuple[str, str]:
    """The ``(title, text)`` of a bulletin made from *document*.

    *title* overrides the document's own (its first paragraph). The first paragraph
    leaves the text only when it is the bulletin's title, and only when something is
    left: a one-paragraph document keeps it as its text.
    """
    title = (title or "").strip() or document.title
    return title, drop_title(title, document.text) or document.text


def import_bulletin(db: Database, path: Path, *, actor: Actor, now: datetime, filename: str | None = None,
                    title: str | None = None, **fields) -> ImportedBulletin:
    """Read the document at *path* and queue it as a draft bulletin.

    :param filename: the name the file had where it came from (an upload is saved under
        a temporary name); recorded in the audit row. Default: *path*'s name.
    :param title: a title chosen instead of the document's first paragraph.
    :param fields: topic, priority, repeat_count, valid_from, valid_until, created_by,
        as :func:`radio.bulletins.lifecycle.add_bulletin` takes them.
    :raises PermissionDeniedError: before the file is read, for a role that may not import.
    :raises DocumentError: the file cannot be read as a bulletin; nothing is stored.
    :raises ValidationError: the bulletin it makes is refused (too long, ...); nothing is stored.
    """
    require(actor, "bulletin.import")  # before anything parses a file from this actor
    document = import_document(Path(path))
    title, text = bulletin_text(document, title)
    new_id = add_bulletin(db, title=title, text=text, now=now, actor=actor,
                          imported_from=filename or Path(path).name, **fields)
    return ImportedBulletin(new_id, title, text, document.encoding_note)
