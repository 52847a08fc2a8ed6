"""Human recordings: a local reader's voice as a bulletin's audio instead of speech.

Ethnic-minority communes air bulletins read by respected local readers in
their own language. An upload (or a browser recording) is checked by decoding
it with ffmpeg, converted to the programme format and loudness-normalised into
``RADIO_HOME/recordings/``. A refused file leaves nothing behind: the converted
file is written under a fresh name first and removed again if the database
write fails, and no row changes until the audio is known good.

A recording is part of what a leader approves (the bulletin's
``recording_path`` is frozen at approval by the database, and its bytes are
part of the approval's content hash); it airs through the same render row as
speech, with ``engine = "recording"`` and the file's ``audio_sha256``.
"""

from __future__ import annotations

import contextlib
import tempfile
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlite_utils import Database

from radio.bulletins import lifecycle as bulletins_mod
from radio.accounts.roles import Actor, require
from radio.accounts.audit import record
from radio.errors import StateError, ValidationError
from radio.store.home import Home
from radio.store.connection import bump_revision, write

#: file types a reader's phone or recorder produces (webm: the browser's MediaRecorder)
SUFFIXES = (".mp3", ".wav", ".m4a", ".ogg", ".opus", ".webm")
MAX_RECORDING_BYTES = 20 * 1024 * 1024
DEFAULT_LANGUAGE = "Tiếng Việt"
MAX_LANGUAGE_CHARS = 40
_CHUNK = 64 * 1024


def check_suffix(filename: str) -> str:
    """The lower-case extension of *filename* if it is a recording type.

    :raise ValidationError: any other extension.
    """
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        shown = suffix if len(suffix) <= 12 else suffix[:10] + "…"
        raise ValidationError(f"Cannot use '{shown or 'no extension'}' files as a recording; "
                              f"supported: {', '.join(SUFFIXES)}.")
    return suffix


def parse_language(value: str | None) -> str:
    """The recording's language as shown to people: "Tiếng Việt" unless named.

    :raise ValidationError: longer than :data:`MAX_LANGUAGE_CHARS`.
    """
    language = unicodedata.normalize("NFC", " ".join((value or "").split()))
    if len(language) > MAX_LANGUAGE_CHARS:
        raise ValidationError(f"The language name is {len(language)} characters; "
                              f"the limit is {MAX_LANGUAGE_CHARS}.")
    return language or DEFAULT_LANGUAGE


@contextlib.contextmanager
def saved_stream(stream: BinaryIO, filename: str) -> Iterator[Path]:
    """Copy an upload's bytes to a temporary file (removed afterwards), counting them.

    :raise ValidationError: wrong extension, empty, or over :data:`MAX_RECORDING_BYTES`.
    """
    suffix = check_suffix(filename)
    with tempfile.TemporaryDirectory(prefix="radio-recording-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        written = 0
        with open(path, "wb") as fh:
            while chunk := stream.read(_CHUNK):
                written += len(chunk)
                if written > MAX_RECORDING_BYTES:
                    raise ValidationError(f"The recording is larger than {_limit_text()}.")
                fh.write(chunk)
        if written == 0:
            raise ValidationError("The recording file is empty.")
        yield path


def _limit_text() -> str:
    if MAX_RECORDING_BYTES >= 1024 * 1024:
        return f"{MAX_RECORDING_BYTES / (1024 * 1024):g} MB"
    return f"{MAX_RECORDING_BYTES / 1024:g} KB"


def _check_file(source: Path, filename: str) -> None:
    check_suffix(filename)
    if not source.is_file():
        raise ValidationError(f'File "{filename}" does not exist.')
    size = source.stat().st_size
    if size == 0:
        raise ValidationError("The recording file is empty.")
    if size > MAX_RECORDING_BYTES:
        raise ValidationError(f"The recording is larger than {_limit_text()}.")


def _convert(home: Home, source: Path, settings: dict | None) -> Path:
    """Convert *source* into a new file under ``home.recordings``.

    :raise ValidationError: not audio ffmpeg can read, or silent.
    """
    from audio.checks import SilentAudioError
    from audio.convert import UndecodableAudioError, convert_recording

    home.recordings.mkdir(parents=True, exist_ok=True)
    target = home.recordings / f"{uuid.uuid4().hex}.wav"
    lufs = float((settings or {}).get("target_lufs", -16.0))
    try:
        convert_recording(source, target, target_lufs=lufs)
    except UndecodableAudioError as exc:
        raise ValidationError(f"The file is not a recording: {exc}.") from None
    except SilentAudioError:
        raise ValidationError("The recording is silent or too short to hear.") from None
    return target


def _remove_unused(db: Database, home: Home, path: str | None) -> None:
    """Delete a recording file no bulletin points to any more (only inside ``home.recordings``)."""
    if not path:
        return
    file = Path(path)
    if file.parent.resolve() != home.recordings.resolve():
        return
    if db.execute("SELECT 1 FROM bulletins WHERE recording_path = ?", [path]).fetchone():
        return
    file.unlink(missing_ok=True)


def attach_recording(db: Database, home: Home, bulletin_id: int, source: Path, *, filename: str,
                     actor: Actor, now: datetime, language: str | None = None,
                     settings: dict | None = None) -> dict:
    """Make the recording at *source* the audio of draft *bulletin_id* (replacing any earlier one).

    :param filename: the name the file came with (its extension is checked).
    :raise ValidationError: not an accepted recording; nothing was written.
    :raise StateError: the bulletin is no longer a draft.
    """
    require(actor, "bulletin.record")
    source = Path(source)
    _check_file(source, filename)
    language = parse_language(language)
    current = bulletins_mod.get_bulletin(db, bulletin_id)
    bulletins_mod.require_edit(actor, current)
    _require_draft(current)
    target = _convert(home, source, settings)
    try:
        with write(db):
            current = bulletins_mod.get_bulletin(db, bulletin_id)
            _require_draft(current)
            # a new reading answers a return like an edit does
            db["bulletins"].update(current["id"], dict(
                recording_path=str(target), recording_language=language,
                returned_at=None, returned_by=None, return_reason=None))
            record(db, actor, "bulletin.record", now=now, target=f"bulletin:{current['id']}",
                   detail={"file": filename[-120:], "language": language})
            bump_revision(db)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    _remove_unused(db, home, current.get("recording_path"))
    return bulletins_mod.get_bulletin(db, bulletin_id)


def detach_recording(db: Database, home: Home, bulletin_id: int, *, actor: Actor,
                     now: datetime) -> dict:
    """Take the recording off a draft: it airs as speech again.

    :raise StateError: the bulletin is no longer a draft.
    """
    require(actor, "bulletin.record")
    with write(db):
        current = bulletins_mod.get_bulletin(db, bulletin_id)
        bulletins_mod.require_edit(actor, current)
        _require_draft(current)
        db["bulletins"].update(current["id"], dict(recording_path=None, recording_language=None))
        record(db, actor, "bulletin.record", now=now, target=f"bulletin:{current['id']}",
               detail={"removed": True})
        bump_revision(db)
    _remove_unused(db, home, current.get("recording_path"))
    return bulletins_mod.get_bulletin(db, bulletin_id)


def _require_draft(bulletin: dict) -> None:
    if bulletin["status"] != "draft":
        raise StateError(f"Bulletin {bulletin['id']} is {bulletin['status']}; "
                         "its recording can no longer change.")


def add_recorded_bulletin(db: Database, home: Home, source: Path, *, filename: str, title: str,
                          actor: Actor, now: datetime, text: str | None = None,
                          language: str | None = None, settings: dict | None = None,
                          **fields) -> int:
    """Queue a new draft whose audio is the recording at *source*; return its id.

    The recording is checked and converted before the draft is written, so a
    refused file leaves neither a row nor a file.

    :param text: what the recording says, for the record (default: the title).
    :param fields: the other :func:`radio.bulletins.lifecycle.add_bulletin` options.
    :raise ValidationError: not an accepted recording, or a bad bulletin field.
    """
    require(actor, "bulletin.create")
    require(actor, "bulletin.record")
    source = Path(source)
    _check_file(source, filename)
    language = parse_language(language)
    target = _convert(home, source, settings)
    try:
        with write(db):
            new_id = bulletins_mod.add_bulletin(
                db, title=title, text=(text or "").strip() or title, now=now, actor=actor, **fields)
            db["bulletins"].update(new_id, dict(recording_path=str(target), recording_language=language))
            record(db, actor, "bulletin.record", now=now, target=f"bulletin:{new_id}",
                   detail={"file": filename[-120:], "language": language})
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return new_id
